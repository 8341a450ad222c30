package io.finops4j.benchmarks;

import io.finops4j.api.Completion;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import io.finops4j.core.cache.CaffeineResponseCache;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * What the exact cache's maintenance thread costs per stored answer at a steady rate of stores: one thread puts
 * {@code perMs} new answers into a 16 MB {@link CaffeineResponseCache} every millisecond (the loopback benchmark's
 * 16 callers store about 12 a millisecond, its 64 callers about 33), and each second the CPU time of the
 * {@code finops4j-cache-maintenance} thread is divided by the second's stores. The batch's fixed cost (a wake-up and
 * Caffeine's maintenance steps) weighs most at low rates; evicting the oldest entries is the per-store rest.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.finops4j.benchmarks.MaintenanceCost 12 10
 * </pre>
 */
public final class MaintenanceCost {

  private MaintenanceCost() {}

  public static void main(String[] args) {
    int perMs = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int warmup = 5; // the cache fills (16 MB) and C2 compiles the put path
    CaffeineResponseCache cache = new CaffeineResponseCache(16L << 20);
    Completion answer = Completion.builder().text("billing").model(ModelId.parse("openai/gpt-5-mini"))
        .usage(Usage.of(260, 2)).costUsd(new BigDecimal("0.000069")).build();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] cpuPerStore = new double[seconds];
    double[] putNanos = new double[seconds];
    long n = 0;
    for (int second = -warmup; second < seconds; second++) {
      Thread maintenance = maintenanceThread();
      long cpu0 = maintenance == null ? 0 : threads.getThreadCpuTime(maintenance.getId());
      long inPut = 0;
      long start = System.nanoTime();
      for (int ms = 0; ms < 1000; ms++) {
        for (int i = 0; i < perMs; i++) {
          String key = "acme|k" + n++;
          long p0 = System.nanoTime();
          cache.put(key, answer, Duration.ofMinutes(10));
          inPut += System.nanoTime() - p0;
        }
        long until = start + (ms + 1) * 1_000_000L;
        while (System.nanoTime() < until) {
          Thread.onSpinWait(); // paced: the stores of a millisecond, then wait for the next one
        }
      }
      if (second >= 0 && maintenance != null) {
        long stores = 1000L * perMs;
        cpuPerStore[second] = (double) (threads.getThreadCpuTime(maintenance.getId()) - cpu0) / stores;
        putNanos[second] = (double) inPut / stores;
      }
    }
    System.out.printf(Locale.ROOT, "%d stores/s, %d s: maintenance thread CPU per store %s ns, put on the caller %s ns"
        + " (median (min-max) of the seconds)%n", perMs * 1000, seconds,
        RoundFigures.of(cpuPerStore), RoundFigures.of(putNanos));
  }

  private static Thread maintenanceThread() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("finops4j-cache-maintenance")).findFirst().orElse(null);
  }

}
