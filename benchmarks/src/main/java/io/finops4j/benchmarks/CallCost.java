package io.finops4j.benchmarks;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Load-independent cost of one call, for a shared machine where wall-clock percentiles drift: the bytes the
 * calling thread allocates per call and its CPU time per call (both from {@code ThreadMXBean}, which other
 * processes do not inflate), plus the bytes finops4j's own background threads (the ledger writer, cache
 * maintenance) allocate per call. The same configuration as {@link OverheadBenchmark} (every control on, 1 KB
 * prompt), the three paths interleaved round by round: an exact-cache miss (each prompt differs by its last
 * characters), an exact-cache hit (the same prompt every time), and the provider called directly.
 *
 * <p>At hundreds of thousands of calls a second the ledger writer can fall behind; callers then wait for room in its
 * queue (parked, no CPU); {@code controls=no-ledger} takes the writer out when comparing other levers.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.finops4j.benchmarks.CallCost [calls per round] [rounds]
 *     [prompt bytes] [controls: all, no-ledger, ...]</pre>
 */
public final class CallCost {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private CallCost() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int promptBytes = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
    String controls = args.length > 3 ? args[3] : Controls.ALL;
    Path dir = Files.createTempDirectory("finops4j-callcost");
    ProviderClient provider = new FacadeBenchmark.InstantProvider();
    try (Llm llm = Finops4j.builder().config(ConfigLoader.load(new ByteArrayInputStream(
            Controls.yaml("", dir.resolve("ledger.jsonl"), controls).getBytes(StandardCharsets.UTF_8)),
            "benchmark")).provider(provider).build()) {
      String system = "Classify the support ticket into one of: billing, bug, how-to, other. Answer with one word.";
      String user = "x".repeat(promptBytes - system.length() - 12);
      Attribution attribution = Attribution.builder().customer("acme").feature("ticket-triage").team("support").build();
      Prompt repeated = Prompt.builder().system(system).user(user).build();
      llm.complete("classification", repeated, attribution);
      long[] seq = {0};
      Runnable miss = () -> llm.complete("classification",
          Prompt.builder().system(system).user(user + Long.toString(++seq[0], 36)).build(), attribution);
      Runnable hit = () -> llm.complete("classification", repeated, attribution);
      Runnable direct = () -> provider.complete(new ProviderRequest("gpt-5-mini",
          Prompt.builder().system(system).user(user + Long.toString(++seq[0], 36)).build(), 50, 0.0, "acme", false));
      String[] names = {"miss", "hit", "direct"};
      Runnable[] paths = {miss, hit, direct};
      // Warm-up: C2 compiles every path before the first measured round.
      for (int i = 0; i < 3; i++) {
        for (Runnable p : paths) {
          measure(p, calls);
        }
      }
      List<List<double[]>> results = new ArrayList<>();
      for (int i = 0; i < paths.length; i++) {
        results.add(new ArrayList<>());
      }
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < paths.length; i++) {
          results.get(i).add(measure(paths[i], calls));
        }
      }
      System.out.printf(Locale.ROOT, "%d rounds x %d calls, %d-byte prompt, controls=%s; median (min-max) per call%n",
          rounds, calls, promptBytes, controls);
      System.out.printf(Locale.ROOT, "%-7s %24s %24s %24s %24s %22s%n", "path", "caller B/call", "background B/call",
          "caller CPU ns/call", "background CPU ns/call", "wall ns/call");
      for (int i = 0; i < paths.length; i++) {
        List<double[]> measured = results.get(i);
        System.out.printf(Locale.ROOT, "%-7s %24s %24s %24s %24s %22s%n", names[i], RoundFigures.column(measured, 0),
            RoundFigures.column(measured, 1), RoundFigures.column(measured, 2), RoundFigures.column(measured, 4),
            RoundFigures.column(measured, 3));
      }
    } finally {
      LedgerBenchmark.delete(dir); // a run writes gigabytes of ledger rows
    }
  }

  /**
   * {caller bytes, background bytes, caller CPU ns, wall ns, background CPU ns} per call over {@code calls} calls.
   * Background work still pending when the loop ends (a batch of ledger rows, a cache drain) is counted in the next
   * measurement, whose path may differ: compare paths over many rounds.
   */
  private static double[] measure(Runnable path, int calls) {
    long self = Thread.currentThread().getId();
    long b0 = THREADS.getThreadAllocatedBytes(self);
    long bg0 = background();
    long bc0 = backgroundCpu();
    long c0 = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      path.run();
    }
    long t1 = System.nanoTime();
    long c1 = THREADS.getCurrentThreadCpuTime();
    long b1 = THREADS.getThreadAllocatedBytes(self);
    long bg1 = background();
    long bc1 = backgroundCpu();
    return new double[] {(double) (b1 - b0) / calls, (double) (bg1 - bg0) / calls, (double) (c1 - c0) / calls,
        (double) (t1 - t0) / calls, (double) (bc1 - bc0) / calls};
  }

  /** Bytes allocated so far by finops4j's own threads (ledger writer, cache maintenance). */
  private static long background() {
    return sumOverOwnThreads(THREADS::getThreadAllocatedBytes);
  }

  /** CPU time so far of finops4j's own threads. */
  private static long backgroundCpu() {
    return sumOverOwnThreads(THREADS::getThreadCpuTime);
  }

  /** {@code perThread} of each live thread whose name starts with {@code finops4j}, by thread id; -1s count as 0. */
  private static long sumOverOwnThreads(java.util.function.LongUnaryOperator perThread) {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("finops4j")) {
        sum += Math.max(0, perThread.applyAsLong(t.getId()));
      }
    }
    return sum;
  }

}
