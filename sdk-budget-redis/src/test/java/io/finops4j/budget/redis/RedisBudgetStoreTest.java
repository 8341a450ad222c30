package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store's protocol against the real Redis: the same behaviour as the in-memory store, shared. */
class RedisBudgetStoreTest {

  // close to real time: the key expiries the store derives from it are applied by Redis' own clock
  private static final Instant T0 = Instant.ofEpochMilli(System.currentTimeMillis());
  private static final long WINDOW_START = T0.toEpochMilli() - 3_600_000;
  private static final long WINDOW_END = WINDOW_START + Duration.ofDays(1).toMillis();
  private static final Duration LEASE = Duration.ofMinutes(10);
  private static final BudgetKey A = new BudgetKey("customer-day", "acme", WINDOW_START);
  private static final BudgetKey B = new BudgetKey("feature-day", "chat", WINDOW_START);

  private final TestRedis redis = new TestRedis();
  private final RedisBudgetStore store = redis.store().lease(LEASE).build();

  @AfterEach
  void cleanUp() {
    store.close();
    redis.close();
  }

  private static BudgetCharge charge(BudgetKey key, long amount, long limit) {
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
    assertThat(redis.cmd.hgetall(redis.keys.counter(A))).containsEntry("s", "120").containsEntry("r", "0");
    assertThat(redis.cmd.zcard(redis.keys.leases(A))).isZero();
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
    assertThat(r2.counters()).containsExactly(new BudgetSnapshot(A, 0, 10000));
  }

  @Test
  void amountsBeyondTheLuaNumberPrecisionAreCountedExactlyInRedis() {
    long huge = (1L << 60) + 1;   // not a double
    store.reserve("c1", List.of(charge(A, huge, BudgetCharge.UNLIMITED)), T0);
    store.reserve("c2", List.of(charge(A, huge, BudgetCharge.UNLIMITED)), T0);
    store.settle("c1", new long[] {huge - 2}, T0);
    store.release("c2", T0);

    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, huge - 2, 0));
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
  void theSettleScriptRunTwiceForOneCallCountsOnce() {
    // what a retried settle does when Redis ran the first one but its answer was lost
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);
    String[] keys = {redis.keys.call("c1"), redis.keys.counter(A), redis.keys.leases(A)};
    String[] args = {Long.toString(T0.toEpochMilli() + LEASE.toMillis()), "c1", "300", "250",
        Long.toString(WINDOW_END + LEASE.toMillis())};

    List<Object> first = redis.cmd.eval(Script.SETTLE.text, ScriptOutputType.MULTI, keys, args);
    List<Object> second = redis.cmd.eval(Script.SETTLE.text, ScriptOutputType.MULTI, keys, args);

    assertThat(first).containsExactly(1L, 250L, 0L);
    assertThat(second).containsExactly(0L);
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 250, 0));
  }

  @Test
  void releaseReturnsTheReservationWithoutCharging() {
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);

    assertThat(store.release("c1", T0)).isTrue();
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 0, 0));
    assertThat(store.settle("c1", new long[] {300}, T0)).isEmpty();
    assertThat(store.release("c1", T0)).isFalse();
    assertThat(redis.cmd.zcard(redis.keys.leases(A))).isZero();
  }

  @Test
  void aReservationIdIsUsedOnceAcrossInstances() {
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);

    assertThatThrownBy(() -> store.reserve("c1", List.of(charge(A, 300, 1000)), T0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("c1");
    try (RedisBudgetStore other = redis.store().lease(LEASE).build()) {
      assertThatThrownBy(() -> other.reserve("c1", List.of(charge(A, 300, 1000)), T0))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("c1");
    }
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 0, 300));
  }

  @Test
  void aCrashedInstancesReservationExpiresAfterItsLeaseAndALateSettleIsStillCharged() {
    Duration lease = Duration.ofSeconds(30);
    try (RedisBudgetStore crashed = redis.store().lease(lease).build();
         RedisBudgetStore alive = redis.store().lease(lease).build()) {
      crashed.reserve("crashed", List.of(charge(A, 900, 1000)), T0);   // never settled: its instance died
      alive.reserve("slow", List.of(charge(B, 400, 1000)), T0);
      Instant beforeLease = T0.plus(lease).minusMillis(1);
      assertThat(alive.reserve("c2", List.of(charge(A, 200, 1000)), beforeLease).granted()).isFalse();

      Instant atLeaseEnd = T0.plus(lease);
      BudgetReservation r = alive.reserve("c3", List.of(charge(A, 200, 1000), charge(B, 1, 1000)), atLeaseEnd);

      assertThat(r.granted()).isTrue();
      assertThat(r.counters()).containsExactly(new BudgetSnapshot(A, 0, 200), new BudgetSnapshot(B, 0, 1));
      // the slow call finishes after all: its spend is real and is charged, once
      assertThat(alive.settle("slow", new long[] {350}, atLeaseEnd)).containsExactly(new BudgetSnapshot(B, 350, 1));
      assertThat(alive.settle("slow", new long[] {350}, atLeaseEnd)).isEmpty();
      alive.settle("c3", new long[] {150, 1}, atLeaseEnd);
      assertThat(alive.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 150, 0));
      assertThat(alive.snapshot(B)).isEqualTo(new BudgetSnapshot(B, 351, 0));
      assertThat(redis.cmd.zcard(redis.keys.leases(A))).isZero();
    }
  }

  @Test
  void keysExpireAWindowPlusALeaseAfterTheWindowAndCallMarksAfterALease() {
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);
    long counterExpiry = WINDOW_END + LEASE.toMillis();

    assertThat(redis.expireTime(redis.keys.counter(A))).isEqualTo(counterExpiry);
    assertThat(redis.expireTime(redis.keys.leases(A))).isEqualTo(counterExpiry);
    assertThat(redis.expireTime(redis.keys.call("c1"))).isEqualTo(T0.toEpochMilli() + LEASE.toMillis());
    assertThat(redis.cmd.pttl(redis.keys.counter(A))).isPositive()
        .isLessThanOrEqualTo(counterExpiry - T0.toEpochMilli());

    Instant later = T0.plusSeconds(5);
    store.settle("c1", new long[] {100}, later);
    assertThat(redis.expireTime(redis.keys.counter(A))).isEqualTo(counterExpiry);
    assertThat(redis.expireTime(redis.keys.call("c1"))).isEqualTo(later.toEpochMilli() + LEASE.toMillis());
    assertThat(redis.cmd.get(redis.keys.call("c1"))).isEqualTo("d");

    // the next window is a new counter with its own expiry
    BudgetKey next = new BudgetKey(A.budgetId(), A.scopeKey(), WINDOW_END);
    long nextEnd = WINDOW_END + Duration.ofDays(1).toMillis();
    store.reserve("c2", List.of(new BudgetCharge(next, 10, 1000, nextEnd)), Instant.ofEpochMilli(WINDOW_END));
    assertThat(store.snapshot(next)).isEqualTo(new BudgetSnapshot(next, 0, 10));
    assertThat(redis.expireTime(redis.keys.counter(next))).isEqualTo(nextEnd + LEASE.toMillis());
  }

  @Test
  void scriptsSurviveScriptFlush() {
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);
    redis.cmd.scriptFlush();

    assertThat(store.settle("c1", new long[] {100}, T0)).containsExactly(new BudgetSnapshot(A, 100, 0));
    redis.cmd.scriptFlush();
    assertThat(store.reserve("c2", List.of(charge(A, 300, 1000)), T0).granted()).isTrue();
    redis.cmd.scriptFlush();
    assertThat(store.release("c2", T0)).isTrue();
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 100, 0));
    assertThat(store.available()).isTrue();
  }

  @Test
  void settleWithTheWrongNumberOfAmountsFailsAndKeepsTheReservation() {
    store.reserve("c1", List.of(charge(A, 100, 1000), charge(B, 100, 1000)), T0);

    assertThatThrownBy(() -> store.settle("c1", new long[] {1}, T0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved 2 budgets");
    assertThat(store.settle("c1", new long[] {1, 2}, T0)).hasSize(2);
  }

  @Test
  void snapshotsListEveryCounterOfThisPrefixOnly() {
    BudgetKey odd = new BudgetKey("team:x%y", "acme/chat:1", WINDOW_START);
    store.reserve("c1", List.of(charge(A, 100, 1000), charge(odd, 7, 1000)), T0);
    store.settle("c1", new long[] {60, 5}, T0);
    try (TestRedis otherApp = new TestRedis(); RedisBudgetStore other = otherApp.store().build()) {
      other.reserve("c1", List.of(charge(B, 1, 1000)), T0);

      assertThat(store.snapshots()).containsExactlyInAnyOrder(new BudgetSnapshot(A, 60, 0),
          new BudgetSnapshot(odd, 5, 0));
      assertThat(other.snapshots()).containsExactly(new BudgetSnapshot(B, 0, 1));
    }
  }

  @Test
  void aNewInstanceSeesTheSharedCounters() {
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);
    store.settle("c1", new long[] {280}, T0);
    try (RedisBudgetStore other = redis.store().build()) {
      assertThat(other.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 280, 0));
      assertThat(other.reserve("c2", List.of(charge(A, 721, 1000)), T0).granted()).isFalse();
      assertThat(other.reserve("c3", List.of(charge(A, 720, 1000)), T0).granted()).isTrue();
    }
  }
}
