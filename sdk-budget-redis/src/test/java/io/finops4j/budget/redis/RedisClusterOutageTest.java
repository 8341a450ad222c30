package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One master of a real three-master Redis Cluster ({@link LocalCluster}, one per test) stopped mid-run and started
 * again: customers whose budgets live on the other two keep being enforced exactly in Redis, only the budgets on
 * the stopped node go by {@code on-unavailable}, and once it is back what was spent on them reaches it once.
 */
class RedisClusterOutageTest {

  private static final Instant NOW = Instant.now();
  private static final long WINDOW_START = NOW.toEpochMilli() - 3_600_000;
  private static final long WINDOW_END = WINDOW_START + Duration.ofDays(1).toMillis();
  /** The node the test stops. */
  private static final int STOPPED = 1;

  private final LocalCluster cluster;
  private final String prefix = "f4jo-" + UUID.randomUUID().toString().substring(0, 8);
  private final RedisKeys keys = new RedisKeys(prefix);

  RedisClusterOutageTest() throws Exception {
    cluster = new LocalCluster();
  }

  @AfterEach
  void stopCluster() throws Exception {
    cluster.close();
  }

  /** A store whose flusher retries only when told (flush()), so the test decides when the node is tried. */
  private RedisBudgetStore.Builder store(OnUnavailable policy) {
    return RedisBudgetStore.builder().url(cluster.url()).mode(RedisMode.CLUSTER).keyPrefix(prefix)
        .timeout(Duration.ofSeconds(2)).onUnavailable(policy).retryInterval(Duration.ofHours(1));
  }

  /** The first customer {@code name + i} whose budgets live on node {@code node}. */
  private BudgetKey customerOn(int node, String name) {
    for (int i = 0; ; i++) {
      BudgetKey k = new BudgetKey("customer-month", name + i, WINDOW_START);
      if (cluster.nodeOf(keys.counter(k)) == node) {
        return k;
      }
    }
  }

  private static BudgetCharge charge(BudgetKey k, long amount, long limit) {
    return new BudgetCharge(k, amount, limit, WINDOW_END);
  }

  /**
   * Calls of 100 each settled at 100 on {@code k} (limit 1000) until one is refused: every call is checked in Redis,
   * so exactly ten pass, the counter holds exactly their sum, and the refusal reports it.
   */
  private static void spendsExactlyItsLimitInRedis(RedisBudgetStore store, BudgetKey k, String calls) {
    for (int i = 0; i < 10; i++) {
      assertThat(store.reserve(calls + i, List.of(charge(k, 100, 1000)), NOW).granted()).as("call %d", i).isTrue();
      assertThat(store.settle(calls + i, new long[] {100}, NOW)).as("settled in Redis, with its counter")
          .containsExactly(new BudgetSnapshot(k, 100L * (i + 1), 0));
    }
    BudgetReservation refused = store.reserve(calls + "-over", List.of(charge(k, 100, 1000)), NOW);
    assertThat(refused.granted()).isFalse();
    assertThat(refused.counters()).containsExactly(new BudgetSnapshot(k, 1000, 0));
    assertThat(store.snapshot(k)).isEqualTo(new BudgetSnapshot(k, 1000, 0));
  }

  /** The stopped node is running again: flush until the store reaches it and everything queued is in. */
  private static void flushUntilBack(RedisBudgetStore store) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (store.flush() > 0 || !store.available()) {
      assertThat(System.nanoTime()).as("node back and flushed within 60 s").isLessThan(deadline);
    }
  }

  @Test
  void failClosedRefusesOnlyCallsTouchingTheStoppedNodeNamingItAndTheBudget() throws Exception {
    BudgetKey healthy = customerOn(0, "healthy-");
    BudgetKey stricken = customerOn(STOPPED, "stricken-");
    int port = cluster.nodes.get(STOPPED).port;
    try (RedisBudgetStore store = store(OnUnavailable.FAIL_CLOSED).build()) {
      assertThat(store.reserve("before", List.of(charge(stricken, 300, 1000)), NOW).granted()).isTrue();
      assertThat(store.reserve("held", List.of(charge(stricken, 200, 1000)), NOW).granted()).isTrue();
      store.settle("before", new long[] {250}, NOW);

      cluster.nodes.get(STOPPED).stop();
      // twice: the first call finds the node gone, the second is refused without trying it
      for (String id : List.of("s1", "s2")) {
        assertThatThrownBy(() -> store.reserve(id, List.of(charge(stricken, 10, 1000)), NOW))
            .isInstanceOf(BudgetStoreUnavailableException.class)
            .hasMessageContaining("budget store unreachable: Redis at 127.0.0.1:" + port)
            .hasMessageContaining("budget customer-month of '" + stricken.scopeKey() + "'")
            .hasMessageContaining("fail-closed");
      }
      assertThat(store.available()).isFalse();
      spendsExactlyItsLimitInRedis(store, healthy, "h");

      // a call on both: refused, and its part on the healthy node holds nothing
      BudgetKey other = customerOn(2, "other-");
      assertThatThrownBy(() -> store.reserve("both", List.of(charge(other, 10, 1000), charge(stricken, 10, 1000)),
          NOW)).isInstanceOf(BudgetStoreUnavailableException.class).hasMessageContaining("127.0.0.1:" + port);
      assertThat(store.snapshot(other)).isEqualTo(new BudgetSnapshot(other, 0, 0));

      // a reservation made before the outage settles into the queue, not into thin air
      assertThat(store.settle("held", new long[] {150}, NOW)).isEmpty();
      assertThat(store.queued()).isPositive();
      assertThat(store.snapshot(stricken).known()).as("that node cannot be read").isFalse();

      cluster.nodes.get(STOPPED).start();
      flushUntilBack(store);
      assertThat(store.snapshot(stricken)).isEqualTo(new BudgetSnapshot(stricken, 400, 0));
      assertThat(store.flush()).isZero();
      assertThat(store.snapshot(stricken)).as("pushed once").isEqualTo(new BudgetSnapshot(stricken, 400, 0));
      assertThat(store.reserve("after", List.of(charge(stricken, 600, 1000)), NOW).granted()).isTrue();
      assertThat(store.droppedSettles()).isZero();
    }
  }

  @Test
  void localEnforcesItsShareOnlyForTheStoppedNodesBudgetsAndPushesTheirSpendOnce() throws Exception {
    BudgetKey healthy = customerOn(0, "healthy-");
    BudgetKey other = customerOn(2, "other-");
    BudgetKey stricken = customerOn(STOPPED, "stricken-");
    try (RedisBudgetStore store = store(OnUnavailable.LOCAL).localShare(0.5).build()) {
      assertThat(store.reserve("before", List.of(charge(stricken, 100, 1000)), NOW).granted()).isTrue();
      store.settle("before", new long[] {100}, NOW);

      cluster.nodes.get(STOPPED).stop();
      spendsExactlyItsLimitInRedis(store, healthy, "h");

      // a call on both nodes: its healthy part reserved and settled in Redis, its stricken part locally
      List<BudgetCharge> both = List.of(charge(other, 100, 1000), charge(stricken, 100, 1000));
      BudgetReservation r = store.reserve("both", both, NOW);
      assertThat(r.granted()).isTrue();
      assertThat(r.counters()).containsExactly(new BudgetSnapshot(other, 0, 100), new BudgetSnapshot(stricken, 0,
          100));
      assertThat(store.snapshot(other)).isEqualTo(new BudgetSnapshot(other, 0, 100));
      store.settle("both", new long[] {100, 100}, NOW);
      assertThat(store.snapshot(other)).isEqualTo(new BudgetSnapshot(other, 100, 0));

      // half of 1000 on this instance for the stricken customer: 100 spent, four more calls of 100
      for (int i = 0; i < 4; i++) {
        assertThat(store.reserve("s" + i, List.of(charge(stricken, 100, 1000)), NOW).granted()).isTrue();
        store.settle("s" + i, new long[] {100}, NOW);
      }
      BudgetReservation refused = store.reserve("both-over", both, NOW);
      assertThat(refused.granted()).isFalse();
      assertThat(refused.deniedIndex()).isEqualTo(1);
      assertThat(refused.counters()).containsExactly(new BudgetSnapshot(stricken, 500, 0));
      assertThat(store.snapshot(other)).as("the healthy part given back").isEqualTo(new BudgetSnapshot(other, 100,
          0));

      cluster.nodes.get(STOPPED).start();
      flushUntilBack(store);
      assertThat(store.snapshot(stricken)).isEqualTo(new BudgetSnapshot(stricken, 600, 0));
      assertThat(store.flush()).isZero();
      assertThat(store.snapshot(stricken)).as("pushed once").isEqualTo(new BudgetSnapshot(stricken, 600, 0));
      assertThat(store.snapshot(healthy)).isEqualTo(new BudgetSnapshot(healthy, 1000, 0));
    }
  }

  @Test
  void failOpenLetsTheStoppedNodesBudgetsThroughAndPushesTheirSpendOnce() throws Exception {
    BudgetKey healthy = customerOn(0, "healthy-");
    BudgetKey stricken = customerOn(STOPPED, "stricken-");
    try (RedisBudgetStore store = store(OnUnavailable.FAIL_OPEN).build()) {
      cluster.nodes.get(STOPPED).stop();
      // the stricken customer first, so the store has found its node down before the healthy one calls
      for (int i = 0; i < 12; i++) {
        assertThat(store.reserve("s" + i, List.of(charge(stricken, 100, 1000)), NOW).granted()).isTrue();
        assertThat(store.settle("s" + i, new long[] {100}, NOW)).as("no counter to report").isEmpty();
      }
      assertThat(store.available()).isFalse();
      spendsExactlyItsLimitInRedis(store, healthy, "h");

      cluster.nodes.get(STOPPED).start();
      flushUntilBack(store);
      assertThat(store.snapshot(stricken)).isEqualTo(new BudgetSnapshot(stricken, 1200, 0));
      assertThat(store.flush()).isZero();
      assertThat(store.snapshot(stricken)).as("pushed once").isEqualTo(new BudgetSnapshot(stricken, 1200, 0));
    }
  }

  /**
   * A master that answers too late (its writes paused) counts as down after the timeout for its own budgets only;
   * once it answers again, the reservation it may still have run late is cancelled: nothing stays reserved there.
   */
  @Test
  void aSlowMasterIsDownForItsOwnBudgetsOnlyAndALateReservationIsCancelled() throws Exception {
    BudgetKey healthy = customerOn(0, "healthy-");
    BudgetKey stricken = customerOn(STOPPED, "stricken-");
    try (RedisBudgetStore store = store(OnUnavailable.FAIL_CLOSED).timeout(Duration.ofSeconds(1)).build()) {
      assertThat(store.reserve("before", List.of(charge(stricken, 100, 1000)), NOW).granted()).isTrue();
      store.settle("before", new long[] {40}, NOW);

      // scripts wait on that master until it is unpaused (reads and CLIENT UNPAUSE still run)
      assertThat(cluster.nodes.get(STOPPED).send("CLIENT PAUSE 600000 WRITE")).isEqualTo("+OK");
      assertThatThrownBy(() -> store.reserve("late", List.of(charge(stricken, 300, 1000)), NOW))
          .isInstanceOf(BudgetStoreUnavailableException.class)
          .hasMessageContaining("127.0.0.1:" + cluster.nodes.get(STOPPED).port).hasMessageContaining("Timeout");
      spendsExactlyItsLimitInRedis(store, healthy, "h");

      assertThat(cluster.nodes.get(STOPPED).send("CLIENT UNPAUSE")).isEqualTo("+OK");
      flushUntilBack(store);
      String[] record = new String[1];
      cluster.run(STOPPED, c -> record[0] = c.get(keys.call(stricken, "late")));
      assertThat(record[0]).as("the late part's record: cancelled").isEqualTo("x");
      assertThat(store.snapshot(stricken)).isEqualTo(new BudgetSnapshot(stricken, 40, 0));
      assertThat(store.reserve("after", List.of(charge(stricken, 960, 1000)), NOW).granted()).isTrue();
    }
  }
}
