package io.finops4j.benchmarks.loopback;

import io.finops4j.api.Llm;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.benchmarks.LedgerBenchmark;
import io.finops4j.ledger.JsonlLedgerReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A bounded load test on loopback with faults injected: 5% 429s, 1% 500s and 0.5% connection resets, at a steady
 * rate, through finops4j with every control on. At the end it checks what must hold whatever the faults:
 *
 * <ul>
 *   <li>no lost ledger rows: one row per call made, successful or not;</li>
 *   <li>no leaked reservations: every budget's {@code reserved} is back to 0;</li>
 *   <li>exact spend: every budget's spent equals the sum of the ledger's costs;</li>
 *   <li>a flat heap: the heap after a full GC, sampled each period after warm-up, does not grow.</li>
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.finops4j.benchmarks.loopback.Soak --seconds 120 --rate 400 --callers 16
 * </pre>
 */
public final class Soak {

  /** Faults by request number: a fixed pseudo-random pattern, the same on every run. */
  static LoopbackServer.Fault fault(long n) {
    long h = n * 0x9E3779B97F4A7C15L;
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 29;
    int perMille = (int) Math.floorMod(h, 1000L);
    if (perMille < 50) {
      return LoopbackServer.Fault.RATE_LIMITED;
    }
    if (perMille < 60) {
      return LoopbackServer.Fault.SERVER_ERROR;
    }
    if (perMille < 65) {
      return LoopbackServer.Fault.RESET;
    }
    return LoopbackServer.Fault.NONE;
  }

  /** How much the heap after a full GC may move after warm-up and still count as flat. */
  static final long FLAT_TOLERANCE_BYTES = 8_000_000;

  /** What a soak run saw. */
  public record Report(long calls, long ok, long failed, long serverRequests, long faults, long ledgerRows,
      BigDecimal ledgerCost, List<BigDecimal> budgetSpent, List<BigDecimal> budgetReserved, List<Long> heapAfterGc) {

    /** The checks; an empty list when the run held every promise. */
    public List<String> violations() {
      List<String> v = new ArrayList<>();
      if (ledgerRows != calls) {
        v.add("ledger rows " + ledgerRows + " != calls " + calls);
      }
      for (BigDecimal r : budgetReserved) {
        if (r.signum() != 0) {
          v.add("a budget still holds a reservation of " + r);
        }
      }
      for (BigDecimal s : budgetSpent) {
        if (s.compareTo(ledgerCost) != 0) {
          v.add("a budget's spent " + s + " != the ledger's cost " + ledgerCost);
        }
      }
      if (heapAfterGc.size() >= 4) {
        // flat after warm-up: from the middle sample on (the exact cache, bounded at 16 MB, is full by then)
        long middle = heapAfterGc.get(heapAfterGc.size() / 2);
        long last = heapAfterGc.get(heapAfterGc.size() - 1);
        if (last - middle > FLAT_TOLERANCE_BYTES) {
          v.add(String.format(Locale.ROOT, "heap grew %.1f MB after warm-up", (last - middle) / 1e6));
        }
      }
      return v;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "calls %d (ok %d, failed %d), server requests %d of which faults %d, ledger"
              + " rows %d, ledger cost %s USD, budgets spent %s, reserved %s, heap after GC (MB) %s",
          calls, ok, failed, serverRequests, faults, ledgerRows, ledgerCost.toPlainString(), budgetSpent,
          budgetReserved, heapAfterGc.stream().map(b -> String.format(Locale.ROOT, "%.1f", b / 1e6)).toList());
    }
  }

  /**
   * Runs {@code callers} threads making {@code totalCalls} calls at about {@code rate} calls per second in all (0:
   * as fast as they go), sampling the heap after a full GC every {@code sampleEvery} calls.
   */
  public static Report run(int callers, long totalCalls, int rate, long sampleEvery, Path dir) throws Exception {
    AtomicLong faults = new AtomicLong();
    Path ledger = dir.resolve("ledger.jsonl");
    List<Long> heap = new ArrayList<>();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong next = new AtomicLong();
    long serverRequests;
    List<BudgetView.BudgetUsage> budgets;
    try (LoopbackServer server = LoopbackServer.start(n -> {
          LoopbackServer.Fault f = fault(n);
          if (f != LoopbackServer.Fault.NONE) {
            faults.incrementAndGet();
          }
          return f;
        });
        Finops4jChat chat = new Finops4jChat(server.baseUrl(), ledger)) {
      Llm llm = chat.llm();
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      long start = System.nanoTime();
      long intervalNanos = rate <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / rate;
      Object sampling = new Object();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < callers; t++) {
        int id = t;
        done.add(pool.submit(() -> {
          long n;
          while ((n = next.getAndIncrement()) < totalCalls) {
            if (intervalNanos > 0) {
              // a steady rate: call n is due at start + n * interval
              long wait = start + n * intervalNanos - System.nanoTime();
              if (wait > 0) {
                LockSupport.parkNanos(wait);
              }
            }
            try {
              chat.complete("Ticket " + id + "-" + n + ": I was charged twice this month. #" + n);
              ok.incrementAndGet();
            } catch (RuntimeException e) {
              failed.incrementAndGet();
            }
            if (sampleEvery > 0 && n > 0 && n % sampleEvery == 0) {
              synchronized (sampling) {
                System.gc();
                heap.add(memory.getHeapMemoryUsage().getUsed());
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      budgets = llm.budgets().tracked();
      serverRequests = server.requests();
    } // closing the Llm flushes the ledger
    List<CallRecord> rows = new ArrayList<>();
    for (Path file : JsonlLedgerReader.files(ledger)) {
      try (Stream<CallRecord> s = JsonlLedgerReader.stream(file)) {
        s.forEach(rows::add);
      }
    }
    BigDecimal cost = rows.stream().map(CallRecord::costUsd).filter(c -> c != null).reduce(BigDecimal.ZERO,
        BigDecimal::add);
    return new Report(ok.get() + failed.get(), ok.get(), failed.get(), serverRequests, faults.get(), rows.size(), cost,
        budgets.stream().filter(b -> b.unit().equals("USD")).map(BudgetView.BudgetUsage::spent).toList(),
        budgets.stream().map(BudgetView.BudgetUsage::reserved).toList(), heap);
  }

  public static void main(String[] args) throws Exception {
    int seconds = 120;
    int rate = 400;
    int callers = 16;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--callers" -> callers = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; known: --seconds, --rate, --callers");
      }
    }
    long calls = (long) seconds * rate;
    Path dir = Files.createTempDirectory("finops4j-soak");
    Report report;
    try {
      report = run(callers, calls, rate, calls / 12, dir);
    } finally {
      LedgerBenchmark.delete(dir); // the report has read the rows back
    }
    System.out.println(report);
    List<String> violations = report.violations();
    System.out.println(violations.isEmpty() ? "PASS: no lost rows, no leaked reservations, exact spend, flat heap after warm-up"
        : "FAIL: " + violations);
    System.exit(violations.isEmpty() ? 0 : 1);
  }

  private Soak() {}
}
