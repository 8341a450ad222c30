package io.finops4j.benchmarks;

import io.finops4j.api.Attempt;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Prompt;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetSnapshot;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.Interceptor;
import io.finops4j.api.spi.Pricing;
import io.finops4j.api.spi.TokenEstimator;
import io.finops4j.budget.Budget;
import io.finops4j.budget.BudgetInterceptor;
import io.finops4j.budget.InMemoryBudgetStore;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The in-memory budget store's reserve + settle pair (PERFORMANCE.md T6, T9) and the whole budget interceptor
 * with three budgets and a cost cap (T3).
 *
 * <pre>
 * ./mvnw -q -B -Pbenchmarks -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar BudgetBenchmark -f 1 -wi 3 -w 2s -i 3 -r 2s -prof gc
 * java -cp benchmarks/target/benchmarks.jar io.finops4j.benchmarks.BudgetBenchmark   # retained bytes per key
 * </pre>
 */
public class BudgetBenchmark {

  static final int DISTINCT_KEYS = 100_000;
  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  static final long WINDOW_END = NOW.toEpochMilli() + 86_400_000L;
  static final long LIMIT = Long.MAX_VALUE / 4;
  static final long WORST = 1_500_000;   // 1.5 mUSD in nano-USD
  static final long[] ACTUAL = {1_000_000};

  /** One store shared by all threads, one hot key and 100,000 cold ones. */
  @State(Scope.Benchmark)
  public static class Store {
    InMemoryBudgetStore store;
    List<BudgetCharge> hot;
    List<BudgetCharge>[] distinct;

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type is made raw, then typed
    @Setup(Level.Trial)
    public void setUp() {
      store = new InMemoryBudgetStore();
      hot = List.of(new BudgetCharge(new BudgetKey("global-month", "*", 0), WORST, LIMIT, WINDOW_END));
      distinct = new List[DISTINCT_KEYS];
      for (int i = 0; i < DISTINCT_KEYS; i++) {
        distinct[i] = List.of(new BudgetCharge(new BudgetKey("customer-month", "customer-" + i, 0), WORST, LIMIT,
            WINDOW_END));
      }
    }

    /** Zero overspend, nothing left reserved: the benchmark fails rather than report a broken store. */
    @TearDown(Level.Trial)
    public void check() {
      for (BudgetSnapshot s : store.snapshots()) {
        if (s.reserved() != 0 || s.spent() > LIMIT) {
          throw new IllegalStateException("budget invariant broken: " + s);
        }
      }
    }
  }

  /** Per-thread call ids, reused round-robin: each id is settled before it comes round again. */
  @State(Scope.Thread)
  public static class Ids {
    private static final AtomicInteger THREADS = new AtomicInteger();
    String[] ids = new String[1024];
    int next;
    int key;

    @Setup(Level.Trial)
    public void setUp() {
      int t = THREADS.incrementAndGet();
      for (int i = 0; i < ids.length; i++) {
        ids[i] = "t" + t + "-call-" + i;
      }
      key = t * 7919;
    }

    String next() {
      return ids[next++ & (ids.length - 1)];
    }

    int nextKey() {
      key = (key + 104_729) % DISTINCT_KEYS;   // a prime stride visits every key
      return key;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Threads(1)
  public Object reserveSettleOneThread(Store s, Ids ids) {
    String id = ids.next();
    s.store.reserve(id, s.hot, NOW);
    return s.store.settle(id, ACTUAL, NOW);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(2)
  public Object reserveSettleHotBudgetTwoThreads(Store s, Ids ids) {
    String id = ids.next();
    s.store.reserve(id, s.hot, NOW);
    return s.store.settle(id, ACTUAL, NOW);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(2)
  public Object reserveSettleDistinctKeysTwoThreads(Store s, Ids ids) {
    String id = ids.next();
    s.store.reserve(id, s.distinct[ids.nextKey()], NOW);
    return s.store.settle(id, ACTUAL, NOW);
  }

  /** A whole call through the interceptor: three budgets (global, customer, feature), a task cap, a stub chain. */
  @State(Scope.Benchmark)
  public static class Pipeline {
    static final ModelId MODEL = ModelId.parse("openai/gpt-5-mini");
    BudgetInterceptor interceptor;
    CompletionRequest request;
    Completion completion;
    Route route;
    Pricing pricing;
    TokenEstimator tokens;

    @Setup(Level.Trial)
    public void setUp() {
      interceptor = BudgetInterceptor.builder().clock(Clock.fixed(NOW, java.time.ZoneOffset.UTC))
          .budget(Budget.builder().limit(new BigDecimal("1000000")).build())
          .budget(Budget.builder().scope("customer").limit(new BigDecimal("1000000")).alertAt(0.7, 0.9).build())
          .budget(Budget.builder().scope("feature").limit(new BigDecimal("1000000")).build())
          .taskCap("chat", new BigDecimal("0.05"))
          .build();
      request = CompletionRequest.builder("chat", Prompt.of("x".repeat(4096)))
          .attribution(Attribution.of("acme", "support-chat")).maxOutputTokens(400).build();
      completion = Completion.builder().text("ok").model(MODEL).usage(Usage.of(1100, 300))
          .costUsd(new BigDecimal("0.0026")).build();
      route = new Route("small", List.of(MODEL), List.of("bench"));
      ModelPrice price = ModelPrice.of("0.25", "2.00");
      pricing = new Pricing() {
        @Override public Optional<ModelPrice> find(ModelId m) { return Optional.of(price); }
        @Override public ModelPrice price(ModelId m) { return price; }
        @Override public String version() { return "bench"; }
      };
      tokens = new TokenEstimator() {
        @Override public long upperBound(Prompt p, ModelId m) { return p.chars() / 3 + 16; }
        @Override public long count(Prompt p, ModelId m) { return p.chars() / 4; }
        @Override public long countText(String t, ModelId m) { return t.length() / 4; }
      };
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Threads(1)
  public Completion interceptThreeBudgetsAndACap(Pipeline p, Ids ids) {
    StubContext ctx = new StubContext(ids.next(), p);
    return p.interceptor.intercept(new Interceptor.Chain() {
      @Override public CompletionRequest request() { return p.request; }
      @Override public CallContext context() { return ctx; }
      @Override public Completion proceed(CompletionRequest r) { return p.completion; }
    });
  }

  /** The least a call context must do for the interceptor. */
  static final class StubContext implements CallContext {
    private final String callId;
    private final Pipeline p;
    private Route route;

    StubContext(String callId, Pipeline p) {
      this.callId = callId;
      this.p = p;
      this.route = p.route;
    }

    @Override public String callId() { return callId; }
    @Override public Clock clock() { return Clock.systemUTC(); }
    @Override public long startNanos() { return 0; }
    @Override public Pricing pricing() { return p.pricing; }
    @Override public TokenEstimator tokens() { return p.tokens; }
    @Override public BudgetView budgets() { return p.interceptor; }
    @Override public Route route() { return route; }
    @Override public void route(Route r) { route = r; }
    @Override public Llm.TextListener textListener() { return null; }
    @Override public List<Attempt> attempts() { return List.of(); }
    @Override public void addAttempt(Attempt a) {}
    @Override public CallEventListener listener() { return CallEventListener.NONE; }
  }

  /**
   * Retained heap per tracked key: fills a store with 100,000 settled counters and compares the used heap
   * after a full collection. Run with {@code java -cp benchmarks/target/benchmarks.jar
   * io.finops4j.benchmarks.BudgetBenchmark}.
   */
  public static void main(String[] args) {
    long before = usedAfterGc();
    InMemoryBudgetStore store = new InMemoryBudgetStore();
    for (int i = 0; i < DISTINCT_KEYS; i++) {
      String id = "call-" + i;
      store.reserve(id, List.of(new BudgetCharge(new BudgetKey("customer-month", "customer-" + i,
          NOW.toEpochMilli()), WORST, LIMIT, WINDOW_END)), NOW);
      store.settle(id, ACTUAL, NOW);
    }
    long after = usedAfterGc();
    System.out.printf("%d keys tracked: %.1f MB retained, %d bytes per key (key strings of ~14 chars included)%n",
        store.size(), (after - before) / 1e6, (after - before) / DISTINCT_KEYS);
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
