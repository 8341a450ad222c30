package io.finops4j.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reservation protocol of {@link BudgetStore}, as tests every implementation must pass: all-or-nothing
 * reservation across keys, settle once per call id, release, leases that expire and late settles that still
 * charge, limits never passed under contention, snapshots.
 *
 * <p>Extend it with the store under test ({@link #createStore}) and add the store's own tests to the subclass.
 * Times are passed to the store explicitly; {@link #T0} is close to real time because a shared store may let its
 * server expire keys by its own clock.
 *
 * @param <S> the store type, so a subclass can reach store-specific methods through {@link #store}
 */
public abstract class BudgetStoreContract<S extends BudgetStore> {

  /** The time of the tests' first calls. */
  protected static final Instant T0 = Instant.ofEpochMilli(System.currentTimeMillis());
  protected static final long WINDOW_START = T0.toEpochMilli() - 3_600_000;
  protected static final long WINDOW_END = WINDOW_START + Duration.ofDays(1).toMillis();
  /** The lease of the store under test. */
  protected static final Duration LEASE = Duration.ofMinutes(10);
  protected static final BudgetKey A = new BudgetKey("customer-day", "acme", WINDOW_START);
  protected static final BudgetKey B = new BudgetKey("feature-day", "chat", WINDOW_START);

  /** The store under test, made by {@link #createStore} before each test and closed after it. */
  protected S store;

  /** A new store under test whose reservations expire after {@code lease}. Called once per test. */
  protected abstract S createStore(Duration lease);

  /**
   * Another instance of the app on the same counters, or {@link #store} itself when the store is not shared
   * (the default). The subclass closes what it makes here.
   */
  protected BudgetStore otherInstance() {
    return store;
  }

  /**
   * Asserts the store keeps nothing for reservations on {@code key} any more; called when every reservation of
   * the test has been settled, released or has expired, so a store may check all keys at once. Default: nothing
   * to check beyond the counters.
   */
  protected void assertNoReservationLeft(BudgetKey key) {}

  /** Threads of the contention test; a store with a round trip per call may want fewer. */
  protected int contentionThreads() {
    return 64;
  }

  /** Reservations per thread of the contention test. */
  protected int contentionCallsPerThread() {
    return 3000;
  }

  @BeforeEach
  void createStoreUnderTest() {
    store = createStore(LEASE);
  }

  @AfterEach
  void closeStoreUnderTest() throws Exception {
    if (store != null) {
      store.close();
    }
  }

  protected static BudgetCharge charge(BudgetKey key, long amount, long limit) {
    return new BudgetCharge(key, amount, limit, WINDOW_END);
  }

  @Test
  void reserveHoldsTheWorstCaseAndSettleReplacesItWithTheActual() {
    BudgetReservation r = store.reserve("c1", List.of(charge(A, 300, 1000)), T0);

    assertThat(r.granted()).isTrue();
    assertThat(r.counters()).containsExactly(new BudgetSnapshot(A, 0, 300));
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 0, 300));
    assertThat(store.settle("c1", new long[] {120}, T0)).containsExactly(new BudgetSnapshot(A, 120, 0));
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 120, 0));
    assertNoReservationLeft(A);
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
    assertThat(store.settle("c3", new long[] {101}, T0)).isEmpty();
  }

  @Test
  void aDenialOnOneKeyHoldsNothingOnTheOthers() {
    store.reserve("full", List.of(charge(B, 90, 100)), T0);

    BudgetReservation r = store.reserve("c1", List.of(charge(A, 50, 1000), charge(B, 50, 100)), T0);

    assertThat(r.granted()).isFalse();
    assertThat(r.deniedIndex()).isEqualTo(1);
    assertThat(r.counters()).containsExactly(new BudgetSnapshot(B, 0, 90));
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 0, 0));
    assertThat(store.snapshot(B)).isEqualTo(new BudgetSnapshot(B, 0, 90));
    assertThat(store.settle("c1", new long[] {10, 10}, T0)).isEmpty();
  }

  @Test
  void unlimitedChargesCountWithoutDenying() {
    BudgetReservation r = store.reserve("c1", List.of(charge(A, 5000, BudgetCharge.UNLIMITED)), T0);
    BudgetReservation r2 = store.reserve("c2", List.of(charge(A, 5000, BudgetCharge.UNLIMITED)), T0);

    assertThat(r.granted()).isTrue();
    assertThat(r.counters().get(0).reserved()).isEqualTo(5000);
    assertThat(r2.counters()).containsExactly(new BudgetSnapshot(A, 0, 10000));
  }

  @Test
  void aRepeatedSettleDoesNotCountTwice() {
    store.reserve("c1", List.of(charge(A, 300, 1000), charge(B, 300, 1000)), T0);

    assertThat(store.settle("c1", new long[] {200, 200}, T0))
        .containsExactly(new BudgetSnapshot(A, 200, 0), new BudgetSnapshot(B, 200, 0));
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
    assertThat(store.release("c1", T0)).isFalse();
    assertNoReservationLeft(A);
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
    otherInstance().reserve("crashed", List.of(charge(A, 900, 1000)), T0);   // never settled: its caller died
    store.reserve("slow", List.of(charge(B, 400, 1000)), T0);
    Instant beforeLease = T0.plus(LEASE).minus(LEASE.dividedBy(10));
    assertThat(store.reserve("c2", List.of(charge(A, 200, 1000)), beforeLease).granted()).isFalse();

    Instant atLeaseEnd = T0.plus(LEASE);
    BudgetReservation r = store.reserve("c3", List.of(charge(A, 200, 1000), charge(B, 1, 1000)), atLeaseEnd);

    assertThat(r.granted()).isTrue();
    assertThat(r.counters()).containsExactly(new BudgetSnapshot(A, 0, 200), new BudgetSnapshot(B, 0, 1));
    // the slow call finishes after all: its spend is real and is charged, once
    assertThat(store.settle("slow", new long[] {350}, atLeaseEnd)).containsExactly(new BudgetSnapshot(B, 350, 1));
    assertThat(store.settle("slow", new long[] {350}, atLeaseEnd)).isEmpty();
    store.settle("c3", new long[] {150, 1}, atLeaseEnd);
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 150, 0));
    assertThat(store.snapshot(B)).isEqualTo(new BudgetSnapshot(B, 351, 0));
    assertNoReservationLeft(A);
  }

  @Test
  void settleWithTheWrongNumberOfAmountsFailsAndKeepsTheReservation() {
    store.reserve("c1", List.of(charge(A, 100, 1000), charge(B, 100, 1000)), T0);

    assertThatThrownBy(() -> store.settle("c1", new long[] {1}, T0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved 2 budgets");
    assertThat(store.settle("c1", new long[] {1, 2}, T0)).hasSize(2);
  }

  @Test
  void snapshotsListEveryCounter() {
    BudgetKey odd = new BudgetKey("team:x%y", "acme/chat:1", WINDOW_START);
    store.reserve("c1", List.of(charge(A, 100, 1000), charge(odd, 7, 1000)), T0);
    store.settle("c1", new long[] {60, 5}, T0);
    store.reserve("c2", List.of(charge(B, 1, 1000)), T0);

    assertThat(store.snapshots()).containsExactlyInAnyOrder(new BudgetSnapshot(A, 60, 0),
        new BudgetSnapshot(odd, 5, 0), new BudgetSnapshot(B, 0, 1));
  }

  /**
   * Threads hammer one small budget (and each its own second key, so every reservation spans two counters) with
   * random worst cases and random actual costs up to them: spend must never pass the limit, every settled amount
   * must be counted exactly once, and nothing may stay reserved.
   */
  @Test
  void underContentionSpendNeverPassesTheLimitAndReservedReturnsToZero() throws Exception {
    int threads = contentionThreads();
    int perThread = contentionCallsPerThread();
    // about two thirds of what the calls settle on average: the budget runs out part-way through
    long limit = threads * (long) perThread * 625 / 4;
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
        BudgetKey own = new BudgetKey("thread", "t" + thread, WINDOW_START);
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
    try {
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    BudgetSnapshot s = store.snapshot(A);
    assertThat(s.spent()).isLessThanOrEqualTo(limit).isEqualTo(settled.get());
    assertThat(s.reserved()).isZero();
    assertThat(rejections.get()).isPositive();
    assertThat(granted.get() + rejections.get()).isEqualTo((long) threads * perThread);
    long ownSpent = 0;
    for (int t = 0; t < threads; t++) {
      BudgetSnapshot own = store.snapshot(new BudgetKey("thread", "t" + t, WINDOW_START));
      assertThat(own.reserved()).isZero();
      ownSpent += own.spent();
    }
    assertThat(ownSpent).isEqualTo(settled.get());
    assertNoReservationLeft(A);
    System.out.printf("contention: %d granted, %d rejected, spent %d of %d%n", granted.get(), rejections.get(),
        s.spent(), limit);
  }
}
