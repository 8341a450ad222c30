package io.finops4j.budget.redis;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import io.finops4j.api.spi.BudgetStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads hammering one shared budget through one store: each call reserves a random worst case on the shared
 * counter and on a counter of its own thread, then settles a random actual amount up to it (or releases, one in
 * ten). Also a main for the two-JVM test: {@code url prefix threads ops limit windowStart windowEnd idPrefix};
 * it prints READY and starts at a line on stdin.
 */
final class Hammer {

  /** What one hammer did: the sum of settled amounts, grants, denials, and settles that crossed the threshold. */
  record Result(long settled, long granted, long rejected, long crossings) {}

  /**
   * {@link #run} on each of {@code stores} at once, as that many application instances (call ids {@code i<n>-...}),
   * their results summed.
   */
  static Result runAll(List<? extends BudgetStore> stores, int threads, int ops, BudgetKey shared, long limit,
      long threshold, long windowEnd) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(stores.size());
    try {
      List<Future<Result>> results = new ArrayList<>();
      for (int i = 0; i < stores.size(); i++) {
        BudgetStore store = stores.get(i);
        String id = "i" + i + "-";
        results.add(pool.submit(() -> run(store, threads, ops, shared, limit, threshold, windowEnd, id)));
      }
      long settled = 0;
      long granted = 0;
      long rejected = 0;
      long crossings = 0;
      for (Future<Result> f : results) {
        Result r = f.get(5, TimeUnit.MINUTES);
        settled += r.settled();
        granted += r.granted();
        rejected += r.rejected();
        crossings += r.crossings();
      }
      return new Result(settled, granted, rejected, crossings);
    } finally {
      pool.shutdownNow();
    }
  }

  static Result run(BudgetStore store, int threads, int ops, BudgetKey shared, long limit, long threshold,
      long windowEnd, String idPrefix) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong settled = new AtomicLong();
    AtomicLong granted = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong crossings = new AtomicLong();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        SplittableRandom random = new SplittableRandom(idPrefix.hashCode() * 31L + thread);
        BudgetKey own = new BudgetKey("thread", idPrefix + "t" + thread, shared.windowStart());
        start.await();
        Instant now = Instant.now();
        for (int i = 0; i < ops; i++) {
          String id = idPrefix + thread + ":" + i;
          long worst = 1 + random.nextInt(1000);
          BudgetReservation r = store.reserve(id, List.of(new BudgetCharge(shared, worst, limit, windowEnd),
              new BudgetCharge(own, worst, BudgetCharge.UNLIMITED, windowEnd)), now);
          if (!r.granted()) {
            rejected.incrementAndGet();
            continue;
          }
          granted.incrementAndGet();
          if (random.nextInt(10) == 0) {
            store.release(id, now);   // a failed call
          } else {
            long actual = random.nextLong(worst + 1);
            List<BudgetSnapshot> after = store.settle(id, new long[] {actual, actual}, now);
            settled.addAndGet(actual);
            long spent = after.get(0).spent();
            if (spent - actual < threshold && threshold <= spent) {
              crossings.incrementAndGet();
            }
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();
    return new Result(settled.get(), granted.get(), rejected.get(), crossings.get());
  }

  public static void main(String[] a) throws Exception {
    BudgetKey shared = new BudgetKey("global-day", "*", Long.parseLong(a[5]));
    long limit = Long.parseLong(a[4]);
    try (RedisBudgetStore store = RedisBudgetStore.builder().url(a[0]).keyPrefix(a[1])
        .timeout(java.time.Duration.ofSeconds(5)).build()) {
      // start together with the parent JVM: say ready, wait for its go
      System.out.println("READY");
      System.out.flush();
      if (new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine() == null) {
        return;
      }
      Result r = run(store, Integer.parseInt(a[2]), Integer.parseInt(a[3]), shared, limit, limit * 7 / 10,
          Long.parseLong(a[6]), a[7]);
      System.out.println("RESULT " + r.settled() + " " + r.granted() + " " + r.rejected() + " " + r.crossings());
    }
  }
}
