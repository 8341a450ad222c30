package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lease mode on the real Redis: slices of the shared budget spent locally, never more than the limit. */
class LeasedBudgetStoreTest {

  private static final Instant T0 = Instant.ofEpochMilli(System.currentTimeMillis());
  private static final long WINDOW_START = T0.toEpochMilli() - 3_600_000;
  private static final long WINDOW_END = WINDOW_START + Duration.ofDays(1).toMillis();
  private static final BudgetKey SHARED = new BudgetKey("global-day", "*", WINDOW_START);

  private final TestRedis redis = new TestRedis();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    redis.close();
  }

  private RedisBudgetStore redisStore() {
    RedisBudgetStore s = redis.store().build();
    open.add(s);
    return s;
  }

  private LeasedBudgetStore leased(RedisBudgetStore shared, double share) {
    return LeasedBudgetStore.over(shared).sliceShare(share).sliceTtl(Duration.ofSeconds(10)).build();
  }

  private static BudgetCharge charge(long amount, long limit) {
    return new BudgetCharge(SHARED, amount, limit, WINDOW_END);
  }

  @Test
  void fourInstancesInLeaseModeNeverOverspendAndGiveEverythingBack() throws Exception {
    int instances = 4;
    long limit = 5_000_000;
    List<LeasedBudgetStore> stores = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      stores.add(leased(redisStore(), 0.05));
    }
    Hammer.Result all = Hammer.runAll(stores, 8, 1500, SHARED, limit, limit / 2, WINDOW_END);
    long settled = all.settled();
    long rejected = all.rejected();
    long requests = all.granted() + all.rejected();
    long sharedCalls = 0;
    for (LeasedBudgetStore s : stores) {
      sharedCalls += s.sharedCalls();
      s.close();
    }

    BudgetSnapshot s = redisStore().snapshot(SHARED);
    assertThat(s.spent()).isEqualTo(settled).isLessThanOrEqualTo(limit);
    assertThat(s.reserved()).isZero();
    assertThat(rejected).isPositive();
    assertThat(redis.cmd.zcard(redis.keys.leases(SHARED))).isZero();
    System.out.printf("lease mode, 4 instances: spent %d of %d, %d shared calls for %d requests%n", s.spent(),
        limit, sharedCalls, requests);
  }

  @Test
  void farFromTheLimitCallsAlmostNeverReachRedis() {
    LeasedBudgetStore store = leased(redisStore(), 0.02);
    long limit = 1_000_000_000_000L;
    int calls = 20_000;
    for (int i = 0; i < calls; i++) {
      assertThat(store.reserve("c" + i, List.of(charge(1000, limit)), T0).granted()).isTrue();
      store.settle("c" + i, new long[] {500}, T0);
    }

    assertThat((double) store.sharedCalls() / calls).isLessThanOrEqualTo(0.05);
    assertThat(store.sharedCalls()).isEqualTo(1);   // one slice of 2% of the limit covers every call
    store.close();
    assertThat(redisStore().snapshot(SHARED)).isEqualTo(new BudgetSnapshot(SHARED, 500L * calls, 0));
  }

  @Test
  void nearTheLimitSlicesShrinkSoTwoInstancesCanUseAlmostAllOfIt() {
    long limit = 10_000;
    LeasedBudgetStore a = leased(redisStore(), 0.5);
    LeasedBudgetStore b = leased(redisStore(), 0.5);
    long settled = 0;
    boolean aDenied = false;
    boolean bDenied = false;
    for (int i = 0; !(aDenied && bDenied) && i < 1000; i++) {
      LeasedBudgetStore s = i % 2 == 0 ? a : b;
      BudgetReservation r = s.reserve("c" + i, List.of(charge(100, limit)), T0);
      if (r.granted()) {
        s.settle("c" + i, new long[] {100}, T0);
        settled += 100;
        aDenied = false;
        bDenied = false;
      } else if (s == a) {
        aDenied = true;
      } else {
        bDenied = true;
      }
    }
    a.close();
    b.close();

    BudgetSnapshot s = redisStore().snapshot(SHARED);
    assertThat(s).isEqualTo(new BudgetSnapshot(SHARED, settled, 0));
    assertThat(settled).isLessThanOrEqualTo(limit).isGreaterThan(limit - 200);
  }

  @Test
  void countersOfEndedWindowsAreForgottenAfterTheirSliceWentBack() {
    LeasedBudgetStore store = leased(redisStore(), 0.1);
    long end = T0.toEpochMilli() + 1000;
    store.reserve("c1", List.of(new BudgetCharge(SHARED, 100, 10_000, end)), T0);
    store.settle("c1", new long[] {70}, T0);

    store.sweep(Instant.ofEpochMilli(end + 9_999));
    assertThat(store.tracked()).isEqualTo(1);
    store.sweep(Instant.ofEpochMilli(end + 10_000));
    assertThat(store.tracked()).isZero();
    assertThat(redisStore().snapshot(SHARED)).isEqualTo(new BudgetSnapshot(SHARED, 70, 0));
  }

  @Test
  void anIdleSliceGoesBackAfterItsTtl() {
    LeasedBudgetStore store = leased(redisStore(), 0.1);
    store.reserve("c1", List.of(charge(100, 10_000)), T0);
    store.settle("c1", new long[] {60}, T0);
    RedisBudgetStore other = redisStore();
    assertThat(other.snapshot(SHARED)).isEqualTo(new BudgetSnapshot(SHARED, 0, 1000));   // the slice

    store.sweep(T0.plusSeconds(9));
    assertThat(other.snapshot(SHARED)).isEqualTo(new BudgetSnapshot(SHARED, 0, 1000));
    store.sweep(T0.plusSeconds(10));
    assertThat(other.snapshot(SHARED)).isEqualTo(new BudgetSnapshot(SHARED, 60, 0));
    assertThat(store.snapshot(SHARED)).isEqualTo(new BudgetSnapshot(SHARED, 60, 0));
  }
}
