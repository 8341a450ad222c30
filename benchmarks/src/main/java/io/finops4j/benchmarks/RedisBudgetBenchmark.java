package io.finops4j.benchmarks;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetSnapshot;
import io.finops4j.api.spi.BudgetStore;
import io.finops4j.api.spi.ConfigNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * PERFORMANCE.md T7: one reserve + settle pair on the Redis budget store (two round trips), 16 client threads
 * sharing one store (one connection, as an app instance does), against the Redis at {@code FINOPS4J_BENCH_REDIS_URL}
 * (default {@code redis://127.0.0.1:6379}) or on a Redis Cluster ({@code -p redis=cluster}), under a random key
 * prefix, the calls spread over {@code customers} customers; and the same through lease mode (T8).
 * SampleTime gives p50 / p99 per pair, Throughput gives pairs per second.
 *
 * <p>The store is built through {@code RedisBudgetStore.fromConfig} by reflection, so this module compiles
 * without depending on sdk-budget-redis; running it needs sdk-budget-redis on the classpath (a dependency of
 * the benchmarks module).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(16)
public class RedisBudgetBenchmark {

  /** Budgets per call: 1, or 3 (customer, feature, global) as a typical configuration has. */
  @Param({"1", "3"})
  public int budgets;

  /** {@code redis}: every reserve and settle is a script run (T7); {@code leased}: lease mode (T8). */
  @Param({"redis", "leased"})
  public String mode;

  /**
   * {@code node}: one Redis ({@code FINOPS4J_BENCH_REDIS_URL}); {@code cluster}: a Redis Cluster whose seed nodes
   * are {@code FINOPS4J_BENCH_REDIS_CLUSTER_URL} (e.g. {@code redis://127.0.0.1:17001,127.0.0.1:17002}).
   */
  @Param({"node"})
  public String redis;

  /** How many customers the calls are spread over (round robin): on a cluster, over the shards. */
  @Param({"64"})
  public int customers;

  /**
   * Stores (each one connection) the threads are spread over, a thread always using the same one: measures the
   * "several connections" lever without a pool inside the store.
   */
  @Param({"1"})
  public int connections;

  private final List<BudgetStore> stores = new ArrayList<>();
  private final AtomicLong threadIndex = new AtomicLong();
  private final ThreadLocal<BudgetStore> mine = ThreadLocal.withInitial(
      () -> stores.get((int) (threadIndex.getAndIncrement() % stores.size())));
  private List<List<BudgetCharge>> charges;
  private long[] actual;
  private final AtomicLong ids = new AtomicLong();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String url = System.getenv().getOrDefault("FINOPS4J_BENCH_REDIS_URL", "redis://127.0.0.1:6379");
    String topology = "standalone";
    if (redis.equals("cluster")) {
      url = System.getenv("FINOPS4J_BENCH_REDIS_CLUSTER_URL");
      topology = "cluster";
      if (url == null) {
        throw new IllegalStateException("-p redis=cluster needs FINOPS4J_BENCH_REDIS_CLUSTER_URL, the seed nodes of a"
            + " Redis Cluster, e.g. redis://127.0.0.1:17001,127.0.0.1:17002,127.0.0.1:17003");
      }
    }
    // a short lease: each call leaves a small "settled" mark in Redis for one lease
    Map<String, Object> budget = Map.of("store", "redis", "url", url, "mode", topology,
        "key-prefix", "f4jbench-" + run, "lease", "10s", "timeout", "5s");   // a loaded machine is not an outage
    ConfigNode node = ConfigNode.root("benchmark", "finops4j", Map.of("budget", budget)).get("budget");
    for (int i = 0; i < connections; i++) {
      BudgetStore store = (BudgetStore) Class.forName("io.finops4j.budget.redis.RedisBudgetStore")
          .getMethod("fromConfig", ConfigNode.class).invoke(null, node);
      if (mode.equals("leased")) {
        Object builder = Class.forName("io.finops4j.budget.redis.LeasedBudgetStore")
            .getMethod("over", BudgetStore.class).invoke(null, store);
        store = (BudgetStore) builder.getClass().getMethod("build").invoke(builder);
      }
      stores.add(store);
    }
    long now = System.currentTimeMillis();
    long end = now + 60_000;
    String[][] names = {{"customer-month", "acme"}, {"feature-month", "support-chat"}, {"global-month", "*"}};
    charges = new ArrayList<>();
    for (int c = 0; c < customers; c++) {
      List<BudgetCharge> call = new ArrayList<>();
      for (int i = 0; i < budgets; i++) {
        String scope = i == 0 ? names[i][1] + "-" + c : names[i][1];
        // a limit of 1M USD in nano-USD: far from reached, so lease mode takes slices of 2% (20k USD)
        call.add(new BudgetCharge(new BudgetKey(names[i][0], scope, now), 50_000, 1_000_000_000_000_000L, end));
      }
      charges.add(call);
    }
    actual = new long[budgets];
    java.util.Arrays.fill(actual, 20_000);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    long calls = 0;
    for (BudgetStore store : stores) {
      store.close();   // lease mode gives its slices back here
      if (mode.equals("leased")) {
        calls += (Long) store.getClass().getMethod("sharedCalls").invoke(store);
      }
    }
    if (mode.equals("leased")) {
      System.out.printf("%nlease mode: %d Redis calls for %d reserve+settle pairs%n", calls, ids.get());
    }
  }

  @Benchmark
  public List<BudgetSnapshot> reserveSettle() {
    long n = ids.incrementAndGet();
    String id = run + ":" + n;
    Instant now = Instant.now();
    BudgetStore store = mine.get();
    if (!store.reserve(id, charges.get((int) (n % customers)), now).granted()) {
      throw new IllegalStateException("denied");
    }
    return store.settle(id, actual, now);
  }
}
