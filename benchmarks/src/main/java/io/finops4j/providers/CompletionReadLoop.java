package io.finops4j.providers;

import io.finops4j.benchmarks.loopback.LoopbackServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;

/**
 * Reads the loopback server's chat completion ({@link LoopbackServer#ANSWER}) {@code n} times, for
 * {@link io.finops4j.benchmarks.AlternateJars}: in this package, since the reader is package-private.
 */
public final class CompletionReadLoop {

  private static final byte[] BODY = LoopbackServer.ANSWER.getBytes(StandardCharsets.UTF_8);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** Read back, so the reads cannot be dropped as dead code. */
  public static long sink;

  private CompletionReadLoop() {}

  /** The calling thread's CPU nanoseconds for {@code n} reads. */
  public static long loop(int n) throws java.io.IOException {
    long start = THREADS.getCurrentThreadCpuTime();
    long s = 0;
    for (int i = 0; i < n; i++) {
      s += OpenAiWire.completion(BODY, "req").usage().raw().size();
    }
    sink += s;
    return THREADS.getCurrentThreadCpuTime() - start;
  }
}
