package io.finops4j.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import java.time.Duration;
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
import org.junit.jupiter.api.Test;

class InMemoryBudgetStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final long WINDOW_END = T0.plus(Duration.ofDays(1)).toEpochMilli();
  private static final BudgetKey A = new BudgetKey("customer-day", "acme", 0);
  private static final BudgetKey B = new BudgetKey("feature-day", "chat", 0);

  private final InMemoryBudgetStore store = new InMemoryBudgetStore(Duration.ofMinutes(10));

  private static BudgetCharge charge(BudgetKey key, long amount, long limit) {
    return new BudgetCharge(key, amount, limit, WINDOW_END);
  }

  @Test
  void reserveHoldsTheWorstCaseAndSettleReplacesItWithTheActual() {
    BudgetReservation r = store.reserve("c1", List.of(charge(A, 300, 1000)), T0);

    assertThat(r.granted()).isTrue();
    assertThat(r.counters()).containsExactly(new BudgetSnapshot(A, 0, 300));
    assertThat(store.settle("c1", new long[] {120}, T0)).containsExactly(new BudgetSnapshot(A, 120, 0));
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 120, 0));
  }

  @Test
  void deniesWhenSpentPlusReservedPlusTheRequestWouldPassTheLimit() {
    store.reserve("c1", List.of(charge(A, 600, 1000)), T0);
    store.settle("c1", new long[] {500}, T0);
    store.reserve("c2", List.of(charge(A, 400, 1000)), T0);   // 500 + 400 = 900

    BudgetReservation denied = store.reserve("c3", List.of(charge(A, 101, 1000)), T0);
    BudgetReservation fits = store.reserve("c4", List.of(charge(A, 100, 1000)), T0);

    assertThat(denied.granted()).isFalse();
    assertThat(denied.deniedIndex()).isZero();
    assertThat(denied.counters()).containsExactly(new BudgetSnapshot(A, 500, 400));
    assertThat(fits.granted()).isTrue();
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 500, 500));
  }

  @Test
  void aDenialOnOneKeyHoldsNothingOnTheOthers() {
    store.reserve("full", List.of(charge(B, 90, 100)), T0);

    BudgetReservation r = store.reserve("c1", List.of(charge(A, 50, 1000), charge(B, 50, 100)), T0);

    assertThat(r.granted()).isFalse();
    assertThat(r.deniedIndex()).isEqualTo(1);
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 0, 0));
    assertThat(store.snapshot(B)).isEqualTo(new BudgetSnapshot(B, 0, 90));
    assertThat(store.settle("c1", new long[] {10, 10}, T0)).isEmpty();
  }

  @Test
  void unlimitedChargesCountWithoutDenying() {
    BudgetReservation r = store.reserve("c1", List.of(charge(A, 5000, BudgetCharge.UNLIMITED)), T0);

    assertThat(r.granted()).isTrue();
    assertThat(r.counters().get(0).reserved()).isEqualTo(5000);
  }

  @Test
  void aRepeatedSettleDoesNotCountTwice() {
    store.reserve("c1", List.of(charge(A, 300, 1000), charge(B, 300, 1000)), T0);

    assertThat(store.settle("c1", new long[] {200, 200}, T0)).hasSize(2);
    assertThat(store.settle("c1", new long[] {200, 200}, T0)).isEmpty();
    assertThat(store.release("c1", T0)).isFalse();

    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 200, 0));
    assertThat(store.snapshot(B)).isEqualTo(new BudgetSnapshot(B, 200, 0));
  }

  @Test
  void releaseReturnsTheReservationWithoutCharging() {
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);

    assertThat(store.release("c1", T0)).isTrue();
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 0, 0));
    assertThat(store.settle("c1", new long[] {300}, T0)).isEmpty();
    assertThat(store.inFlight()).isZero();
  }

  @Test
  void aReservationIdIsUsedOnce() {
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);

    assertThatThrownBy(() -> store.reserve("c1", List.of(charge(A, 300, 1000)), T0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("c1");
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 0, 300));
  }

  @Test
  void anAbandonedReservationExpiresAfterItsLeaseAndALateSettleIsStillCharged() {
    store.reserve("crashed", List.of(charge(A, 900, 1000)), T0);
    store.reserve("slow", List.of(charge(B, 400, 1000)), T0);
    Instant beforeLease = T0.plus(Duration.ofMinutes(9));
    assertThat(store.reserve("c2", List.of(charge(A, 200, 1000)), beforeLease).granted()).isFalse();

    Instant afterLease = T0.plus(Duration.ofMinutes(10));
    BudgetReservation r = store.reserve("c3", List.of(charge(A, 200, 1000)), afterLease);

    assertThat(r.granted()).isTrue();
    assertThat(store.expiredLeases()).isEqualTo(2);
    assertThat(store.snapshot(B)).isEqualTo(new BudgetSnapshot(B, 0, 0));
    // the slow call finishes after all: its spend is real and is charged, once
    assertThat(store.settle("slow", new long[] {350}, afterLease)).containsExactly(new BudgetSnapshot(B, 350, 0));
    assertThat(store.settle("slow", new long[] {350}, afterLease)).isEmpty();
    assertThat(store.snapshot(B)).isEqualTo(new BudgetSnapshot(B, 350, 0));
  }

  @Test
  void countersOfEndedWindowsAreDroppedAfterALease() {
    store.reserve("c1", List.of(charge(A, 100, 1000)), T0);
    store.settle("c1", new long[] {100}, T0);
    assertThat(store.size()).isEqualTo(1);

    store.sweep(Instant.ofEpochMilli(WINDOW_END).plus(Duration.ofMinutes(9)));
    assertThat(store.size()).isEqualTo(1);
    store.sweep(Instant.ofEpochMilli(WINDOW_END).plus(Duration.ofMinutes(10)));
    assertThat(store.size()).isZero();
    assertThat(store.snapshots()).isEmpty();
  }

  @Test
  void settleWithTheWrongNumberOfAmountsFailsAndKeepsTheReservation() {
    store.reserve("c1", List.of(charge(A, 100, 1000), charge(B, 100, 1000)), T0);

    assertThatThrownBy(() -> store.settle("c1", new long[] {1}, T0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved 2 budgets");
    assertThat(store.settle("c1", new long[] {1, 2}, T0)).hasSize(2);
  }

  /**
   * 64 threads hammer one small budget (and each its own second key, so every reservation spans two counters)
   * with random worst cases and random actual costs up to them: spend must never pass the limit, every settled
   * amount must be counted exactly once, and nothing may stay reserved.
   */
  @Test
  void underContentionSpendNeverPassesTheLimitAndReservedReturnsToZero() throws Exception {
    int threads = 64;
    int perThread = 3000;
    long limit = 30_000_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong settled = new AtomicLong();
    AtomicLong rejections = new AtomicLong();
    AtomicLong granted = new AtomicLong();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        SplittableRandom random = new SplittableRandom(thread);
        BudgetKey own = new BudgetKey("thread", "t" + thread, 0);
        start.await();
        for (int i = 0; i < perThread; i++) {
          String id = thread + ":" + i;
          long worst = 1 + random.nextInt(1000);
          BudgetReservation r = store.reserve(id, List.of(charge(A, worst, limit), charge(own, worst, 1_000_000)),
              T0);
          if (!r.granted()) {
            rejections.incrementAndGet();
            continue;
          }
          granted.incrementAndGet();
          if (random.nextInt(10) == 0) {
            store.release(id, T0);   // a failed call
          } else {
            long actual = random.nextLong(worst + 1);
            store.settle(id, new long[] {actual, actual}, T0);
            settled.addAndGet(actual);
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    BudgetSnapshot s = store.snapshot(A);
    assertThat(s.spent()).isLessThanOrEqualTo(limit).isEqualTo(settled.get());
    assertThat(s.reserved()).isZero();
    assertThat(rejections.get()).isPositive();
    assertThat(granted.get() + rejections.get()).isEqualTo((long) threads * perThread);
    long ownSpent = 0;
    for (int t = 0; t < threads; t++) {
      BudgetSnapshot own = store.snapshot(new BudgetKey("thread", "t" + t, 0));
      assertThat(own.reserved()).isZero();
      ownSpent += own.spent();
    }
    assertThat(ownSpent).isEqualTo(settled.get());
    assertThat(store.inFlight()).isZero();
    System.out.printf("contention: %d granted, %d rejected, spent %d of %d%n", granted.get(), rejections.get(),
        s.spent(), limit);
  }
}
