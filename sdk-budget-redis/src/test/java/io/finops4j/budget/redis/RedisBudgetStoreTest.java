package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetSnapshot;
import io.finops4j.api.spi.BudgetStore;
import io.finops4j.api.spi.BudgetStoreContract;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store protocol (inherited) against the real Redis, and what only a shared store does. */
class RedisBudgetStoreTest extends BudgetStoreContract<RedisBudgetStore> {

  private final TestRedis redis = new TestRedis();
  private RedisBudgetStore peer;

  @Override
  protected RedisBudgetStore createStore(Duration lease) {
    return redis.store().lease(lease).build();
  }

  @Override
  protected BudgetStore otherInstance() {
    if (peer == null) {
      peer = redis.store().lease(LEASE).build();
    }
    return peer;
  }

  @Override
  protected void assertNoReservationLeft(BudgetKey key) {
    assertThat(redis.cmd.zcard(redis.keys.leases(key))).isZero();
  }

  @Override
  protected int contentionThreads() {
    return 16;
  }

  @Override
  protected int contentionCallsPerThread() {
    return 250;
  }

  @AfterEach
  void cleanUp() {
    if (peer != null) {
      peer.close();
    }
    redis.close();
  }

  @Test
  void countersAreOneHashPerKey() {
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);
    store.settle("c1", new long[] {120}, T0);

    assertThat(redis.cmd.hgetall(redis.keys.counter(A))).containsEntry("s", "120").containsEntry("r", "0");
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
  void theSettleScriptRunTwiceForOneCallCountsOnce() {
    // what a retried settle does when Redis ran the first one but its answer was lost
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);
    String[] keys = {redis.keys.call(A, "c1"), redis.keys.counter(A), redis.keys.leases(A)};
    String[] args = {Long.toString(T0.toEpochMilli() + LEASE.toMillis()), "c1", "300", "250",
        Long.toString(WINDOW_END + LEASE.toMillis())};

    List<Object> first = redis.cmd.eval(Script.SETTLE.text, ScriptOutputType.MULTI, keys, args);
    List<Object> second = redis.cmd.eval(Script.SETTLE.text, ScriptOutputType.MULTI, keys, args);

    assertThat(first).containsExactly(1L, 250L, 0L);
    assertThat(second).containsExactly(0L);
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 250, 0));
  }

  @Test
  void aReservationIdIsUsedOnceAcrossInstances() {
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);

    assertThatThrownBy(() -> otherInstance().reserve("c1", List.of(charge(A, 300, 1000)), T0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("c1");
    assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 0, 300));
  }

  @Test
  void aCrashedInstancesLeaseHoldsToItsLastMillisecond() {
    otherInstance().reserve("crashed", List.of(charge(A, 900, 1000)), T0);

    assertThat(store.reserve("c2", List.of(charge(A, 200, 1000)), T0.plus(LEASE).minusMillis(1)).granted())
        .isFalse();
    assertThat(store.reserve("c3", List.of(charge(A, 200, 1000)), T0.plus(LEASE)).granted()).isTrue();
  }

  @Test
  void keysExpireAWindowPlusALeaseAfterTheWindowAndCallMarksAfterALease() {
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);
    long counterExpiry = WINDOW_END + LEASE.toMillis();

    redis.assertExpiresAt(redis.keys.counter(A), counterExpiry);
    redis.assertExpiresAt(redis.keys.leases(A), counterExpiry);
    redis.assertExpiresAt(redis.keys.call(A, "c1"), T0.toEpochMilli() + LEASE.toMillis());
    assertThat(redis.cmd.pttl(redis.keys.counter(A))).isPositive()
        .isLessThanOrEqualTo(counterExpiry - T0.toEpochMilli());

    Instant later = T0.plusSeconds(5);
    store.settle("c1", new long[] {100}, later);
    redis.assertExpiresAt(redis.keys.counter(A), counterExpiry);
    redis.assertExpiresAt(redis.keys.call(A, "c1"), later.toEpochMilli() + LEASE.toMillis());
    assertThat(redis.cmd.get(redis.keys.call(A, "c1"))).isEqualTo("d");

    // the next window is a new counter with its own expiry
    BudgetKey next = new BudgetKey(A.budgetId(), A.scopeKey(), WINDOW_END);
    long nextEnd = WINDOW_END + Duration.ofDays(1).toMillis();
    store.reserve("c2", List.of(new BudgetCharge(next, 10, 1000, nextEnd)), Instant.ofEpochMilli(WINDOW_END));
    assertThat(store.snapshot(next)).isEqualTo(new BudgetSnapshot(next, 0, 10));
    redis.assertExpiresAt(redis.keys.counter(next), nextEnd + LEASE.toMillis());
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
