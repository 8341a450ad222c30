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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A redis-server of this test's own, on a free port, as a child process, so that a test can stop and restart
 * it: never the shared server. {@link #stop()} saves the data set (SHUTDOWN SAVE into a temp dir) and
 * {@link #start()} loads it again, as a restarted production Redis with persistence would.
 */
final class PrivateRedis implements AutoCloseable {

  final int port;
  private final Path dir;
  private Process process;

  PrivateRedis() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    dir = Files.createTempDirectory("f4j-redis");
    start();
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  void start() throws IOException {
    ProcessBuilder pb = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("redis.log").toFile());
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
}
