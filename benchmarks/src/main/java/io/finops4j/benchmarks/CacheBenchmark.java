package io.finops4j.benchmarks;

import io.finops4j.api.Attempt;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.Interceptor;
import io.finops4j.api.spi.Pricing;
import io.finops4j.api.spi.TokenEstimator;
import io.finops4j.core.PriceCatalog;
import io.finops4j.core.cache.CacheInterceptor;
import io.finops4j.core.cache.CachePolicy;
import io.finops4j.core.cache.SemanticIndex;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The response cache's own costs.
 *
 * <ul>
 *   <li>{@code exactHit}: one call through {@link CacheInterceptor} that is answered from the exact cache: scope
 *       prefix, SHA-256 of a 1 KB (and 4 KB) prompt, Caffeine lookup, the avoided call's price, building the hit.
 *       The call context is created per call, as the engine does.</li>
 *   <li>{@code semanticSearch}: one brute-force search of a semantic partition holding {@code shape} =
 *       entries:dimensions random unit vectors, with no match above 0.95, so every vector is compared (the worst
 *       case). Search only, no embedding call.</li>
 * </ul>
 */
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class CacheBenchmark {

  static final ModelId MINI = ModelId.parse("openai/gpt-5-mini");

  /** The exact-cache hit path. */
  @State(Scope.Benchmark)
  public static class Exact {
    @Param({"1024", "4096"})
    public int promptBytes;

    /**
     * The user text: {@code ascii}, {@code cjk} (3-byte chars throughout) or {@code accented} (one accented char
     * first, then ASCII): the key's encoder copies ASCII runs in bulk and encodes other chars one by one.
     */
    @Param({"ascii"})
    public String text;

    CacheInterceptor cache;
    CompletionRequest request;
    Route route;
    Pricing prices;

    @Setup(Level.Trial)
    public void setUp() {
      cache = CacheInterceptor.builder().task("classification", CachePolicy.DEFAULT).build();
      prices = PriceCatalog.bundled();
      request = CompletionRequest.builder("classification", Prompt.builder()
              .system("Classify the ticket. Answer with one word.").user(text(text, promptBytes)).build())
          .attribution(Attribution.of("acme", "ticket-triage")).maxOutputTokens(50).temperature(0.0).build();
      route = new Route("small", List.of(MINI), List.of("task classification -> small"));
      // Prime the cache with one miss.
      cache.intercept(new BenchChain(request, new BenchContext("prime", route, prices)));
    }
  }

  /** About {@code bytes} of UTF-8 in the shape {@code kind} names ({@link Exact#text}). */
  static String text(String kind, int bytes) {
    return switch (kind) {
      case "ascii" -> "x".repeat(bytes);
      case "cjk" -> "語".repeat(bytes / 3);
      case "accented" -> "é" + "x".repeat(bytes - 2);
      default -> throw new IllegalArgumentException("text: ascii, cjk or accented; got " + kind);
    };
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Completion exactHit(Exact s) {
    Completion c = s.cache.intercept(new BenchChain(s.request, new BenchContext("call", s.route, s.prices)));
    if (!c.cached()) {
      throw new IllegalStateException("expected a cache hit");
    }
    return c;
  }

  /** A semantic partition full of vectors that do not match. */
  @State(Scope.Benchmark)
  public static class Semantic {
    @Param({"10000:384", "10000:1536", "100000:384"})
    public String shape;

    SemanticIndex index;
    float[] query;

    @Setup(Level.Trial)
    public void setUp() {
      String[] p = shape.split(":");
      int entries = Integer.parseInt(p[0]);
      int dims = Integer.parseInt(p[1]);
      index = new SemanticIndex(entries, com.github.benmanes.caffeine.cache.Ticker.systemTicker(), Runnable::run);
      SplittableRandom random = new SplittableRandom(42);
      Completion answer = Completion.builder().text("a").model(MINI).usage(Usage.ZERO)
          .costUsd(java.math.BigDecimal.ZERO).build();
      for (int i = 0; i < entries; i++) {
        index.add("scope|partition", SemanticIndex.normalize(randomVector(random, dims)), answer, Duration.ofHours(1));
      }
      query = SemanticIndex.normalize(randomVector(random, dims));
    }

    private static float[] randomVector(SplittableRandom random, int dims) {
      float[] v = new float[dims];
      for (int i = 0; i < dims; i++) {
        v[i] = (float) (random.nextDouble() * 2 - 1);
      }
      return v;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public SemanticIndex.Match semanticSearch(Semantic s) {
    return s.index.find("scope|partition", s.query, 0.95);
  }

  /** The rest of the pipeline: answers instantly (only reached by the priming miss). */
  static final class BenchChain implements Interceptor.Chain {
    private static final Usage USAGE = Usage.of(260, 2);
    private final CompletionRequest request;
    private final CallContext context;

    BenchChain(CompletionRequest request, CallContext context) {
      this.request = request;
      this.context = context;
    }

    @Override public CompletionRequest request() { return request; }
    @Override public CallContext context() { return context; }

    @Override
    public Completion proceed(CompletionRequest next) {
      return Completion.builder().text("billing").model(MINI).tier("small").usage(USAGE)
          .costUsd(context.pricing().price(MINI).cost(USAGE)).callId(context.callId()).build();
    }
  }

  /** The parts of a call context the cache touches, as light as the engine's. */
  static final class BenchContext implements CallContext {
    private final String callId;
    private final Pricing prices;
    private Route route;

    BenchContext(String callId, Route route, Pricing prices) {
      this.callId = callId;
      this.route = route;
      this.prices = prices;
    }

    @Override public String callId() { return callId; }
    @Override public Clock clock() { return Clock.systemUTC(); }
    @Override public long startNanos() { return 0; }
    @Override public Pricing pricing() { return prices; }
    @Override public TokenEstimator tokens() { return null; }
    @Override public BudgetView budgets() { return BudgetView.NONE; }
    @Override public Route route() { return route; }
    @Override public void route(Route r) { route = r; }
    @Override public Llm.TextListener textListener() { return null; }
    @Override public List<Attempt> attempts() { return List.of(); }
    @Override public void addAttempt(Attempt a) {}
    @Override public CallEventListener listener() { return CallEventListener.NONE; }
  }
}
