package io.finops4j;

import io.finops4j.api.ConfigException;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.BudgetStore;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallListener;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.api.spi.EmbeddingModel;
import com.github.benmanes.caffeine.cache.Ticker;
import io.finops4j.api.spi.Interceptor;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.core.ConfigLoader;
import io.finops4j.core.PriceCatalog;
import io.finops4j.core.cache.CacheInterceptor;
import io.finops4j.batch.BatchEngine;
import io.finops4j.budget.BudgetInterceptor;
import io.finops4j.core.TokenCounter;
import io.finops4j.ledger.LedgerWriter;
import io.finops4j.providers.Providers;
import io.finops4j.telemetry.TelemetryInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.finops4j.routing.CircuitBreakers;
import io.finops4j.routing.ComplexityClassifier;
import io.finops4j.routing.HeuristicClassifier;
import io.finops4j.routing.RoutingInterceptor;
import io.finops4j.routing.RoutingPolicy;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Builds the {@link Llm} facade, from a YAML file or in code.
 *
 * <pre>{@code
 * Llm llm = Finops4j.fromConfig(Path.of("finops4j.yaml"));
 *
 * Llm llm = Finops4j.builder()
 *     .provider(myClient)
 *     .policy(RoutingPolicy.builder().tier("small", "openai/gpt-5-mini").task("classification", "small").build())
 *     .build();
 * }</pre>
 *
 * <p>Everything is validated here, not on the first call: a model in a tier with no price, or whose provider
 * is not configured, fails with a {@link ConfigException} naming it.
 */
public final class Finops4j {

  /**
   * The top-level keys of {@code finops4j:}; {@code spring-ai} belongs to the Spring AI integration module, which
   * reads it itself.
   */
  static final String[] ROOT_KEYS = {"providers", "models", "tiers", "tasks", "budgets", "workflow-caps", "budget",
      "cache", "telemetry", "ledger", "routing", "batch", "spring-ai"};

  private Finops4j() {}

  /** Builds an {@link Llm} from a YAML file with a {@code finops4j:} section. */
  public static Llm fromConfig(Path yaml) {
    return builder().config(ConfigLoader.load(yaml)).build();
  }

  /** Builds an {@link Llm} from YAML read from {@code yaml} (the stream is not closed). */
  public static Llm fromConfig(InputStream yaml) {
    return builder().config(ConfigLoader.load(yaml, "configuration stream")).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  static ExecutorService defaultExecutor() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "finops4j-async-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Builds an {@link Llm}. Programmatic settings override those of the configuration. */
  public static final class Builder {
    ConfigNode config;
    final Map<String, ProviderClient> providers = new LinkedHashMap<>();
    RoutingPolicy policy;
    PriceCatalog prices = PriceCatalog.bundled();
    TokenCounter tokens;
    final List<Interceptor> interceptors = new ArrayList<>();
    final List<CallListener> listeners = new ArrayList<>();
    Clock clock = Clock.systemUTC();
    ExecutorService executor;
    Integer maxRetries;
    ComplexityClassifier classifier = new HeuristicClassifier();
    Backoff.Sleeper sleeper = Backoff.Sleeper.REAL;
    UnaryOperator<Runnable> contextPropagation = TelemetryInterceptor::wrap;
    OpenTelemetry openTelemetry;
    MeterRegistry meterRegistry;
    javax.sql.DataSource ledgerDataSource;
    EmbeddingModel embeddingModel;
    java.util.concurrent.ScheduledExecutorService batchScheduler;

    private Builder() {}

    /** Reads providers, prices, tiers, tasks and every other section from a loaded {@code finops4j} node. */
    public Builder config(ConfigNode finops4j) {
      this.config = finops4j;
      return this;
    }

    /** Reads the YAML file {@code yaml}. */
    public Builder config(Path yaml) {
      return config(ConfigLoader.load(yaml));
    }

    /** Adds a provider client, replacing a configured one of the same name. */
    public Builder provider(ProviderClient client) {
      providers.put(client.name(), client);
      return this;
    }

    /** The routing policy, replacing the configuration's tiers and tasks. */
    public Builder policy(RoutingPolicy policy) {
      this.policy = policy;
      return this;
    }

    /** Prices {@code model} ({@code provider/model}) at {@code price}, over the bundled table. */
    public Builder price(String model, ModelPrice price) {
      this.prices = prices.with(ModelId.parse(model), price);
      return this;
    }

    /** Adds an interceptor; user interceptors run after telemetry and before routing, in the order added. */
    public Builder interceptor(Interceptor interceptor) {
      interceptors.add(interceptor);
      return this;
    }

    /** Adds a listener that receives one record per call (the ledger is one). */
    public Builder listener(CallListener listener) {
      listeners.add(listener);
      return this;
    }

    /** The clock for budget windows and timestamps; tests inject a fixed or stepping one. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** The executor of {@code completeAsync}; by default a daemon cached pool that {@code close()} shuts down. */
    public Builder executor(ExecutorService executor) {
      this.executor = executor;
      return this;
    }

    /** Retries per candidate model on retryable failures before falling back to the next one (default 2). */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must be 0 or more");
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * The OpenTelemetry that receives spans and metrics; by default {@code GlobalOpenTelemetry}, looked up on the
     * first call so that an agent or SDK registered after start-up is still used.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
      return this;
    }

    /** The Micrometer registry for meters; by default Micrometer's global registry. */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = meterRegistry;
      return this;
    }

    /** The embedding model of the semantic cache, instead of {@code cache.semantic.model}. */
    public Builder embeddingModel(EmbeddingModel embeddingModel) {
      this.embeddingModel = embeddingModel;
      return this;
    }

    /** The pool a {@code ledger: { type: jdbc }} section without a {@code url} writes through. */
    public Builder ledgerDataSource(javax.sql.DataSource dataSource) {
      this.ledgerDataSource = dataSource;
      return this;
    }

    /** Judges prompt complexity for tasks with {@code escalate} or {@code deescalate}; default {@link HeuristicClassifier}. */
    public Builder classifier(ComplexityClassifier classifier) {
      this.classifier = java.util.Objects.requireNonNull(classifier, "classifier");
      return this;
    }

    /** The scheduler of the batch poller; by default a daemon thread of the {@code Llm}'s own. */
    Builder batchScheduler(java.util.concurrent.ScheduledExecutorService scheduler) {
      this.batchScheduler = scheduler;
      return this;
    }

    Builder sleeper(Backoff.Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    public Llm build() {
      ConfigNode root = config != null ? config : ConfigLoader.of(Map.of(), "builder");
      root.allowKeys(ROOT_KEYS);
      prices = prices.withOverrides(root.get("models"));
      tokens = new TokenCounter();
      RoutingPolicy routing = policy != null ? policy : RoutingPolicy.fromConfig(root);
      Providers configured = Wiring.providers(root);
      // Azure deployments are priced as the model they run, unless finops4j.models prices them itself
      configured.pricedAs().forEach((deployment, model) -> {
        ModelId id = ModelId.parse(deployment);
        if (prices.find(id).isEmpty()) {
          prices.find(ModelId.parse(model)).ifPresent(price -> prices = prices.with(id, price));
        }
      });
      Map<String, ProviderClient> clients = new LinkedHashMap<>(configured.clients());
      clients.putAll(providers);
      validate(routing, clients, root);

      List<Interceptor> chain = new ArrayList<>();
      // Telemetry is outermost: it sees every call, rejections included.
      chain.add(TelemetryInterceptor.fromConfig(root.get("telemetry"), openTelemetry, meterRegistry));
      chain.addAll(interceptors);
      chain.add(new RoutingInterceptor(routing, classifier));
      EmbeddingModel embedder = embeddingModel != null ? embeddingModel : Wiring.embeddingModel(root, clients, prices);
      chain.add(CacheInterceptor.fromConfig(root, embedder, Ticker.systemTicker()));
      List<AutoCloseable> closeables = new ArrayList<>();
      closeables.add(configured);
      closeables.addAll(providers.values()); // clients handed to the builder are the Llm's to close
      LedgerWriter ledger = LedgerWriter.fromConfig(root.get("ledger"), ledgerDataSource);
      if (ledger != null) {
        // Closed last: close() flushes the rows of every call that finished before it.
        listeners.add(ledger);
        closeables.add(ledger);
      }
      BudgetStore store = Wiring.budgetStore(root);
      BudgetInterceptor budget = store == null ? BudgetInterceptor.fromConfig(root, clock)
          : BudgetInterceptor.fromConfig(root, clock, store);
      chain.add(budget);
      closeables.add(0, budget);
      BudgetView budgets = budget;
      ConfigNode settings = root.get("routing").allowKeys("max-retries", "failure-threshold", "cooldown");
      int retries = maxRetries != null ? maxRetries : (int) settings.get("max-retries").asLong(2);
      CircuitBreakers breakers = new CircuitBreakers((int) settings.get("failure-threshold").asLong(5),
          settings.get("cooldown").asDuration(Duration.ofSeconds(30)));
      chain.add(new ProviderCall(clients, prices, retries, sleeper, breakers));
      Engine engine = new Engine(this, chain, clients, closeables, budgets);
      // after the engine: batch items are recorded through its listeners and numbered from its call ids
      engine.batches(new BatchEngine(routing, clients, prices, tokens, budget, engine::publish, engine::nextCallId,
          clock, BatchEngine.Settings.fromConfig(root.get("batch")), batchScheduler));
      return engine;
    }

    private void validate(RoutingPolicy routing, Map<String, ProviderClient> clients, ConfigNode root) {
      Map<String, List<ModelId>> places = new LinkedHashMap<>();
      routing.tiers().forEach((tier, models) -> places.put("finops4j.tiers." + tier, models));
      routing.tasks().forEach((task, t) -> places.put("finops4j.tasks." + task + ".split", List.copyOf(t.split().keySet())));
      for (Map.Entry<String, List<ModelId>> place : places.entrySet()) {
        for (ModelId model : place.getValue()) {
          String path = place.getKey();
          if (prices.find(model).isEmpty()) {
            throw new ConfigException(path, "no price is known for model " + model + "; add it under finops4j.models,"
                + " e.g. '" + model + ": { input: 0.50, output: 1.50 }' (USD per 1M tokens)" + in(root));
          }
          if (!clients.containsKey(model.provider())) {
            throw new ConfigException(path, "model " + model + " needs provider '" + model.provider()
                + "', which is not configured under finops4j.providers (configured: " + clients.keySet() + ")"
                + in(root));
          }
        }
      }
    }

    private static String in(ConfigNode root) {
      return root.source() == null ? "" : " (in " + root.source() + ")";
    }
  }
}
