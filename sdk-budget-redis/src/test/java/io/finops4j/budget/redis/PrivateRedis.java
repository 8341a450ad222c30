package io.finops4j.budget.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A redis-server of this test's own, on a free port, as a child process, so that a test can stop, kill (by PID) and
 * restart it: never the shared server. {@link #stop()} saves the data set (SHUTDOWN SAVE into a temp dir) and
 * {@link #start()} loads it again, as a restarted production Redis with persistence would.
 *
 * <p>The binary is {@code redis-server} from the PATH, or else the one the test dependency
 * {@code com.github.codemonstur:embedded-redis} ships for this OS and CPU (Redis 6.2), extracted once per JVM.
 */
final class PrivateRedis implements AutoCloseable {

  final int port;
  private final Path dir;
  private final List<String> args;
  private Process process;

  /** A plain server; {@code extra} are more redis-server options, e.g. {@code --cluster-enabled yes}. */
  PrivateRedis(String... extra) throws IOException {
    this(false, extra);
  }

  private PrivateRedis(boolean sentinel, String... extra) throws IOException {
    port = freePort();
    dir = Files.createTempDirectory("f4j-redis");
    args = new ArrayList<>();
    args.add(binary());
    if (sentinel) {
      // a sentinel reads (and rewrites) a config file of its own
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(conf, String.join("\n", extra) + "\n");
      args.add(conf.toString());
      args.add("--sentinel");
    }
    args.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--daemonize", "no", "--dir", dir.toString()));
    if (!sentinel) {
      args.addAll(List.of(extra));
    }
    start();
  }

  /** A Sentinel on a free port watching {@code master} (quorum 1) that fails over after a second without it. */
  static PrivateRedis sentinel(String name, int masterPort) throws IOException {
    return new PrivateRedis(true, "sentinel monitor " + name + " 127.0.0.1 " + masterPort + " 1",
        "sentinel down-after-milliseconds " + name + " 1000", "sentinel failover-timeout " + name + " 10000");
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  void start() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(args);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()));
    process = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!"+PONG".equals(send("PING"))) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("private redis-server on port " + port + " did not start: "
            + Files.readString(dir.resolve("redis.log")));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));   // polling for start-up, not a timing
    }
  }

  /** Stops the server, saving its data first so that {@link #start()} brings it back. */
  void stop() throws InterruptedException {
    send("SHUTDOWN SAVE");
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** Kills the server by its PID (SIGKILL), as a crashed machine would: nothing saved, no goodbye. */
  void kill() throws InterruptedException {
    ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    process.waitFor(20, TimeUnit.SECONDS);
  }

  /** Sends one inline command; its first reply line, or null when the server does not answer. */
  String send(String command) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\r') {
        line.append((char) c);
      }
      return line.toString();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      send("SHUTDOWN NOSAVE");
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
    for (File f : dir.toFile().listFiles()) {
      f.delete();
    }
    Files.deleteIfExists(dir);
  }

  /** A free port whose cluster bus port (+10000) is free too. */
  static int freePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int p;
      try (ServerSocket s = new ServerSocket(0)) {
        p = s.getLocalPort();
      }
      if (p + 10_000 <= 65_535) {
        try (ServerSocket bus = new ServerSocket(p + 10_000)) {
          return p;
        } catch (IOException busy) {
          // try another
        }
      }
    }
    throw new IllegalStateException("no free port pair (port, port + 10000) for a private redis-server");
  }

  private static String binary;

  /** redis-server from the PATH, else embedded-redis' binary for this platform. */
  static synchronized String binary() throws IOException {
    if (binary != null) {
      return binary;
    }
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(d, "redis-server");
      if (!d.isEmpty() && f.canExecute()) {
        return binary = f.getPath();
      }
    }
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean arm = arch.contains("aarch64") || arch.contains("arm");
    String resource = os.contains("mac")
        ? (arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64")
        : (arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64");
    try (InputStream in = PrivateRedis.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("no redis-server on the PATH and no " + resource + " in the test class path"
            + " (com.github.codemonstur:embedded-redis)");
      }
      Path exe = Files.createTempFile("f4j-redis-server", "");
      Files.copy(in, exe, StandardCopyOption.REPLACE_EXISTING);
      exe.toFile().setExecutable(true);
      exe.toFile().deleteOnExit();
      return binary = exe.toString();
    }
  }
}
