package io.finops4j.benchmarks;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Time to steady state after start: a fresh JVM calls {@code llm.complete()} with every control on (1 KB prompts,
 * exact-cache misses, stub provider) in a loop and prints, per second, the calls made, their mean latency, the
 * calling thread's CPU per call (which other processes on a shared machine do not inflate) and the JIT's cumulative
 * compile time; at the end, the first second from which every later second's CPU per call stays within 25% of the
 * last ten seconds' mean. Run it with the JVM flags under test (e.g. an AppCDS archive).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.finops4j.benchmarks.WarmUp [seconds]</pre>
 */
public final class WarmUp {

  private WarmUp() {}

  public static void main(String[] args) throws Exception {
    long started = ManagementFactory.getRuntimeMXBean().getStartTime();
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    Path dir = Files.createTempDirectory("finops4j-warmup");
    double[] means = new double[seconds];
    try (Llm llm = Finops4j.builder().config(ConfigLoader.load(new ByteArrayInputStream(
            Controls.yaml("", dir.resolve("ledger.jsonl"), Controls.ALL).getBytes(StandardCharsets.UTF_8)),
            "benchmark")).provider(new FacadeBenchmark.InstantProvider()).build()) {
      String system = "Classify the support ticket into one of: billing, bug, how-to, other. Answer with one word.";
      String user = "x".repeat(1024 - system.length() - 12);
      Attribution attribution = Attribution.builder().customer("acme").feature("ticket-triage").team("support").build();
      System.out.printf(Locale.ROOT, "first call %d ms after JVM start%n", System.currentTimeMillis() - started);
      long seq = 0;
      long t0 = System.nanoTime();
      for (int s = 0; s < seconds; s++) {
        long end = t0 + (s + 1) * 1_000_000_000L;
        long calls = 0;
        long busy = 0;
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long now;
        while ((now = System.nanoTime()) < end) {
          llm.complete("classification", Prompt.builder().system(system).user(user + Long.toString(++seq, 36)).build(),
              attribution);
          busy += System.nanoTime() - now;
          calls++;
        }
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
        means[s] = calls == 0 ? Double.NaN : cpu / 1e3 / calls;
        System.out.printf(Locale.ROOT, "second %2d: %7d calls, mean %8.2f us, caller CPU %7.2f us/call, JIT %6d ms%n",
            s + 1, calls, busy / 1e3 / Math.max(1, calls), means[s],
            ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
      }
    } finally {
      LedgerBenchmark.delete(dir); // a run writes gigabytes of ledger rows
    }
    int tail = Math.min(10, seconds);
    double steady = 0;
    for (int s = seconds - tail; s < seconds; s++) {
      steady += means[s] / tail;
    }
    int from = seconds;
    while (from > 0 && means[from - 1] <= steady * 1.25) {
      from--;
    }
    System.out.printf(Locale.ROOT, "steady state (caller CPU within 25%% of the last %d s mean, %.2f us/call) from second %d%n",
        tail, steady, from + 1);
  }
}
