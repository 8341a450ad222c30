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
 * (default {@code redis://127.0.0.1:6379}) under a random key prefix; and the same through lease mode (T8).
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

  private BudgetStore store;
  private List<BudgetCharge> charges;
  private long[] actual;
  private final AtomicLong ids = new AtomicLong();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String url = System.getenv().getOrDefault("FINOPS4J_BENCH_REDIS_URL", "redis://127.0.0.1:6379");
    // a short lease: each call leaves a small "settled" mark in Redis for one lease
    Map<String, Object> budget = Map.of("store", "redis", "url", url, "key-prefix", "f4jbench-" + run,
        "lease", "10s");
    ConfigNode node = ConfigNode.root("benchmark", "finops4j", Map.of("budget", budget)).get("budget");
    store = (BudgetStore) Class.forName("io.finops4j.budget.redis.RedisBudgetStore")
        .getMethod("fromConfig", ConfigNode.class).invoke(null, node);
    if (mode.equals("leased")) {
      Object builder = Class.forName("io.finops4j.budget.redis.LeasedBudgetStore")
          .getMethod("over", BudgetStore.class).invoke(null, store);
      store = (BudgetStore) builder.getClass().getMethod("build").invoke(builder);
    }
    long now = System.currentTimeMillis();
    long end = now + 60_000;
    String[][] names = {{"customer-month", "acme"}, {"feature-month", "support-chat"}, {"global-month", "*"}};
    charges = new ArrayList<>();
    for (int i = 0; i < budgets; i++) {
      // a limit of 1M USD in nano-USD: far from reached, so lease mode takes slices of 2% (20k USD)
      charges.add(new BudgetCharge(new BudgetKey(names[i][0], names[i][1], now), 50_000, 1_000_000_000_000_000L,
          end));
    }
    actual = new long[budgets];
    java.util.Arrays.fill(actual, 20_000);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    store.close();   // lease mode gives its slices back here
    if (mode.equals("leased")) {
      long calls = (Long) store.getClass().getMethod("sharedCalls").invoke(store);
      System.out.printf("%nlease mode: %d Redis calls for %d reserve+settle pairs%n", calls, ids.get());
    }
  }

  @Benchmark
  public List<BudgetSnapshot> reserveSettle() {
    String id = run + ":" + ids.incrementAndGet();
    Instant now = Instant.now();
    if (!store.reserve(id, charges, now).granted()) {
      throw new IllegalStateException("denied");
    }
    return store.settle(id, actual, now);
  }
}
