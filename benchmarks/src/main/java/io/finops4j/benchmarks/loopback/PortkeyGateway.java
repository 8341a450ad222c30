package io.finops4j.benchmarks.loopback;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The gateway anchor: the same raw OkHttp calls sent through Portkey's open-source AI gateway
 * ({@code npx @portkey-ai/gateway}, a Node.js process started here on a free port) to the same loopback upstream,
 * with {@code x-portkey-provider: openai} and {@code x-portkey-custom-host} naming the upstream. What it adds over
 * raw OkHttp is what an LLM gateway hop costs. Skipped, with a note, when {@code npx} is not on the PATH.
 */
final class PortkeyGateway implements ChatClient {

  /** The version measured in PERFORMANCE.md; pinned so that runs compare. */
  static final String PACKAGE = "@portkey-ai/gateway@1.15.2";

  private final Process process;
  private final RawOkHttp client;

  private PortkeyGateway(Process process, RawOkHttp client) {
    this.process = process;
    this.client = client;
  }

  /** Starts the gateway in front of {@code upstreamBaseUrl}; null, after a note on stderr, when npx is missing. */
  static PortkeyGateway start(String upstreamBaseUrl) throws IOException, InterruptedException {
    if (!onPath("npx")) {
      System.err.println("skipping portkey: npx is not on the PATH (the gateway runs with Node.js: npx " + PACKAGE + ")");
      return null;
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("portkey-gateway", ".log");
    Process p = new ProcessBuilder("npx", "-y", PACKAGE, "--port=" + port).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + 180_000_000_000L; // the first run downloads the package
    while (!listening(port)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        stop(p);
        System.err.println("skipping portkey: the gateway did not start on port " + port + "; see " + log);
        return null;
      }
      Thread.sleep(200);
    }
    System.err.println("portkey gateway " + PACKAGE + " on port " + port + " (log " + log + ")");
    return new PortkeyGateway(p, new RawOkHttp("Portkey gateway " + PACKAGE.substring(PACKAGE.lastIndexOf('@') + 1)
        + " (raw OkHttp through it)", "http://127.0.0.1:" + port + "/v1", RawOkHttp.Timeouts.DEFAULT,
        Map.of("x-portkey-provider", "openai", "x-portkey-custom-host", upstreamBaseUrl)));
  }

  @Override
  public String name() {
    return client.name();
  }

  @Override
  public String complete(String user) throws IOException {
    return client.complete(user);
  }

  @Override
  public void close() {
    client.close();
    stop(process);
  }

  /** Ends the gateway this run started: npx's node child first, then npx itself. */
  private static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
