package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store on a real Redis Cluster of three masters started for this class ({@link LocalCluster}): budgets spread
 * over the shards by scope value, a call whose budgets live on several shards is still all or nothing, several
 * instances never overspend one budget, and a node configured as a single server fails with a message that says
 * what to set.
 */
class RedisClusterTest {

  private static final Instant NOW = Instant.now();
  private static final long WINDOW_START = NOW.toEpochMilli() - 3_600_000;
  private static final long WINDOW_END = WINDOW_START + Duration.ofDays(1).toMillis();
  private static final BudgetKey GLOBAL = new BudgetKey("global-day", "*", WINDOW_START);

  private static LocalCluster cluster;
  private static RedisClusterClient client;
  private static StatefulRedisClusterConnection<String, String> connection;
  private static RedisAdvancedClusterCommands<String, String> cmd;

  private final String prefix = "f4jc-" + UUID.randomUUID().toString().substring(0, 8);
  private final RedisKeys keys = new RedisKeys(prefix);

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new LocalCluster();
    client = RedisClusterClient.create(cluster.url());
    connection = client.connect();
    cmd = connection.sync();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (connection != null) {
      connection.close();
      RedisTarget.shutdown(client);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private RedisBudgetStore.Builder store() {
    return RedisBudgetStore.builder().url(cluster.url()).mode(RedisMode.CLUSTER).keyPrefix(prefix)
        .timeout(Duration.ofSeconds(5));
  }

  private static BudgetKey customer(String id) {
    return new BudgetKey("customer-month", id, WINDOW_START);
  }

  private static BudgetCharge charge(BudgetKey k, long amount, long limit) {
    return new BudgetCharge(k, amount, limit, WINDOW_END);
  }

  @Test
  void budgetsOfDifferentCustomersLandOnDifferentShards() {
    Set<Integer> slots = new TreeSet<>();
    Set<Integer> shards = new TreeSet<>();
    try (RedisBudgetStore store = store().build()) {
      for (int c = 0; c < 30; c++) {
        BudgetKey k = customer("customer-" + c);
        String id = "call-" + c;
        assertThat(store.reserve(id, List.of(charge(k, 100, 1000), charge(GLOBAL, 100, 1_000_000)), NOW).granted())
            .isTrue();
        assertThat(store.settle(id, new long[] {40, 40}, NOW)).extracting(BudgetSnapshot::spent)
            .containsExactly(40L, 40L * (c + 1));
        String counter = keys.counter(k);
        slots.add(io.lettuce.core.cluster.SlotHash.getSlot(counter));
        int shard = cluster.nodeOf(counter);
        shards.add(shard);
        // the counter is where the slot map says, read on that node with a plain connection
        String[] spent = new String[1];
        cluster.run(shard, n -> spent[0] = n.hget(counter, "s"));
        assertThat(spent[0]).isEqualTo("40");
      }
      assertThat(slots).as("30 customers, 16384 slots: a few may share one").hasSizeGreaterThan(25);
      assertThat(shards).containsExactly(0, 1, 2);
      assertThat(store.snapshot(GLOBAL)).isEqualTo(new BudgetSnapshot(GLOBAL, 1200, 0));
      // a snapshot of every counter scans every master
      assertThat(store.snapshots()).hasSize(31).extracting(s -> s.key().scopeKey()).contains("*", "customer-0",
          "customer-29");
    }
  }

  @Test
  void aCallWhoseBudgetsLiveOnSeveralShardsIsAllOrNothing() {
    // a customer and a feature on the two shards that do not hold the global budget (the prefix is random)
    BudgetKey acme = onAnotherShard("customer-month", "acme-", GLOBAL);
    BudgetKey feature = onAnotherShard("feature-month", "chat-", GLOBAL, acme);
    try (RedisBudgetStore store = store().build()) {
      List<BudgetCharge> call = List.of(charge(GLOBAL, 600, 10_000), charge(acme, 600, 1000), charge(feature, 600,
          BudgetCharge.UNLIMITED));
      assertThat(store.reserve("c1", call, NOW).granted()).isTrue();
      assertThat(store.settle("c1", new long[] {500, 500, 500}, NOW)).hasSize(3);
      assertThat(store.settle("c1", new long[] {500, 500, 500}, NOW)).as("a repeated settle").isEmpty();

      // acme has 500 left: refused there, and the global and feature counters on other shards hold nothing
      BudgetReservation r = store.reserve("c2", call, NOW);
      assertThat(r.granted()).isFalse();
      assertThat(r.deniedIndex()).isEqualTo(1);
      assertThat(r.counters()).containsExactly(new BudgetSnapshot(acme, 500, 0));
      assertThat(store.snapshot(GLOBAL)).isEqualTo(new BudgetSnapshot(GLOBAL, 500, 0));
      assertThat(store.snapshot(feature)).isEqualTo(new BudgetSnapshot(feature, 500, 0));
      assertThat(cmd.zcard(keys.leases(GLOBAL))).isZero();
      assertThat(cmd.zcard(keys.leases(feature))).isZero();
      assertThat(store.settle("c2", new long[] {1, 1, 1}, NOW)).as("a refused call settles nothing").isEmpty();

      // a call that fits everywhere, then released: every shard gives its part back
      List<BudgetCharge> small = List.of(charge(GLOBAL, 400, 10_000), charge(acme, 400, 1000));
      assertThat(store.reserve("c3", small, NOW).granted()).isTrue();
      assertThat(store.snapshot(acme).reserved()).isEqualTo(400);
      assertThat(store.release("c3", NOW)).isTrue();
      assertThat(store.snapshot(acme)).isEqualTo(new BudgetSnapshot(acme, 500, 0));
      assertThat(store.snapshot(GLOBAL)).isEqualTo(new BudgetSnapshot(GLOBAL, 500, 0));
    }
  }

  /** Budget {@code budgetId} of the first scope value {@code namePrefix + i} on a shard none of {@code others} use. */
  private BudgetKey onAnotherShard(String budgetId, String namePrefix, BudgetKey... others) {
    Set<Integer> taken = new TreeSet<>();
    for (BudgetKey o : others) {
      taken.add(cluster.nodeOf(keys.counter(o)));
    }
    for (int i = 0; ; i++) {
      BudgetKey k = new BudgetKey(budgetId, namePrefix + i, WINDOW_START);
      if (!taken.contains(cluster.nodeOf(keys.counter(k)))) {
        return k;
      }
    }
  }

  @Test
  void fourInstancesOfEightThreadsOnTheClusterNeverOverspendOneBudget() throws Exception {
    int instances = 4;
    int threads = 8;
    int ops = 500;
    long limit = 2_000_000;   // about 4k average settles of the 16k calls: the budget runs out part-way through
    long threshold = limit * 7 / 10;
    List<RedisBudgetStore> stores = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      stores.add(store().build());
    }
    try {
      // each call charges the shared budget and one of its own thread, on another shard as a rule
      Hammer.Result all = Hammer.runAll(stores, threads, ops, GLOBAL, limit, threshold, WINDOW_END);
      long settled = all.settled();
      long granted = all.granted();
      long rejected = all.rejected();
      long crossings = all.crossings();
      BudgetSnapshot s = stores.get(0).snapshot(GLOBAL);
      assertThat(s.spent()).isEqualTo(settled).isLessThanOrEqualTo(limit);
      assertThat(s.reserved()).isZero();
      assertThat(rejected).isPositive();
      assertThat(granted + rejected).isEqualTo((long) instances * threads * ops);
      assertThat(crossings).isEqualTo(1);
      long own = 0;
      Set<Integer> shards = new TreeSet<>();
      for (BudgetSnapshot t : stores.get(0).snapshots()) {
        if (t.key().budgetId().equals("thread")) {
          assertThat(t.reserved()).isZero();
          own += t.spent();
          shards.add(cluster.nodeOf(keys.counter(t.key())));
        }
      }
      assertThat(own).as("every thread's own counter got exactly what the shared one got").isEqualTo(settled);
      assertThat(shards).as("the threads' counters spread over the shards").hasSizeGreaterThan(1);
      assertThat(cmd.zcard(keys.leases(GLOBAL))).isZero();
      System.out.printf("cluster, 4 instances: %d granted, %d rejected, spent %d of %d%n", granted, rejected,
          s.spent(), limit);
    } finally {
      stores.forEach(RedisBudgetStore::close);
    }
  }

  @Test
  void oneNodeOfTheClusterAsTheUrlWorksInClusterModeAndFailsClearlyInStandaloneMode() {
    String oneNode = cluster.nodes.get(0).url();
    try (RedisBudgetStore store = RedisBudgetStore.builder().url(oneNode).mode(RedisMode.CLUSTER).keyPrefix(prefix)
        .timeout(Duration.ofSeconds(5)).build()) {
      // customers on every shard, reached through the one seed node (the slot map and MOVED are Lettuce's)
      Set<Integer> shards = new TreeSet<>();
      // 40 customers reach all three shards but for a 1-in-5-million chance, 3 x (2/3)^40
      for (int c = 0; c < 40; c++) {
        BudgetKey k = customer("seeded-" + c);
        shards.add(cluster.nodeOf(keys.counter(k)));
        assertThat(store.reserve("s" + c, List.of(charge(k, 10, 100)), NOW).granted()).isTrue();
        assertThat(store.settle("s" + c, new long[] {7}, NOW)).extracting(BudgetSnapshot::spent).containsExactly(7L);
      }
      assertThat(shards).containsExactly(0, 1, 2);
    }

    assertThatThrownBy(() -> RedisBudgetStore.builder().url(oneNode).keyPrefix(prefix).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:" + cluster.nodes.get(0).port)
        .hasMessageContaining("is a node of a Redis Cluster")
        .hasMessageContaining("finops4j.budget.mode: cluster");
  }
}
