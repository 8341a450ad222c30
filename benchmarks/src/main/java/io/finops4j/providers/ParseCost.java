package io.finops4j.providers;

import io.finops4j.api.spi.ProviderResponse;
import io.finops4j.benchmarks.RoundFigures;
import io.finops4j.benchmarks.loopback.LoopbackServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What reading one {@code chat.completion} body costs the calling thread, in bytes and CPU ns per body (both from
 * {@code ThreadMXBean}, which other processes do not inflate): the loopback server's answer, read as the transport
 * reads it. {@code tree} is {@code readTree} of the body and the tree walk, {@code stream} the field-by-field read
 * of {@link OpenAiWire#COMPLETION} (in this package to reach it).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.finops4j.providers.ParseCost [tree|stream] [calls] [rounds]</pre>
 */
public final class ParseCost {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private ParseCost() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "stream";
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Field answer = LoopbackServer.class.getDeclaredField("ANSWER"); // the one copy of the served body
    answer.setAccessible(true);
    byte[] body = ((String) answer.get(null)).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 3; i++) {
      round(mode, body, calls);
    }
    double[][] r = new double[rounds][];
    for (int i = 0; i < rounds; i++) {
      r[i] = round(mode, body, calls);
    }
    System.out.printf(Locale.ROOT, "%s, %d-byte body, %d rounds x %d: caller B/body %s, caller CPU ns/body %s%n",
        mode, body.length, rounds, calls, RoundFigures.column(List.of(r), 0),
        RoundFigures.column(List.of(r), 1));
  }

  private static double[] round(String mode, byte[] body, int calls) throws IOException {
    long b0 = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    long c0 = THREADS.getCurrentThreadCpuTime();
    long sink = 0;
    for (int i = 0; i < calls; i++) {
      sink += parse(mode, body).usage().inputTokens();
    }
    long c1 = THREADS.getCurrentThreadCpuTime();
    long b1 = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    if (sink != 260L * calls) {
      throw new IllegalStateException("read " + sink + " input tokens");
    }
    return new double[] {(double) (b1 - b0) / calls, (double) (c1 - c0) / calls};
  }

  private static ProviderResponse parse(String mode, byte[] body) throws IOException {
    if (mode.equals("tree")) {
      return OpenAiWire.completion(OpenAiClient.JSON.readTree(new ByteArrayInputStream(body)), "req-1");
    }
    return OpenAiWire.COMPLETION.parse(body, "req-1");
  }

}
