package io.finops4j;

import io.finops4j.api.ConfigException;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.ModelRules;
import io.finops4j.api.UnsupportedParameterException;
import io.finops4j.api.spi.BudgetStore;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.CallListener;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.api.spi.EmbeddingModel;
import com.github.benmanes.caffeine.cache.Ticker;
import io.finops4j.api.spi.Interceptor;
import io.finops4j.api.spi.Plugin;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.core.ConfigLoader;
import io.finops4j.core.LivePrices;
import io.finops4j.core.PriceFeed;
import io.finops4j.core.ModelRulesCatalog;
import io.finops4j.core.ParameterRules;
import io.finops4j.core.PriceCatalog;
import io.finops4j.core.cache.CacheInterceptor;
import io.finops4j.batch.BatchEngine;
import io.finops4j.budget.BudgetInterceptor;
import io.finops4j.core.TokenCounter;
import io.finops4j.providers.Providers;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
   * Below this output ceiling a reasoning model may spend every token reasoning and answer nothing: OpenAI's
   * reasoning guide asks for room for reasoning, and a recorded Gemini 2.5 Pro call with 5 output tokens billed 2
   * thought tokens and returned no text.
   */
  static final int MIN_REASONING_OUTPUT_TOKENS = 1024;

  /**
   * The top-level keys of {@code finops4j:} besides the plug-ins' sections ({@code telemetry}, {@code ledger}, ...);
   * {@code spring-ai} belongs to the Spring AI integration module and {@code web} to the Spring Boot starter, which
   * read them themselves.
   */
  static final List<String> ROOT_KEYS = List.of("providers", "models", "tiers", "tasks", "budgets", "workflow-caps",
      "budget", "cache", "routing", "batch", "prices", "spring-ai", "web");

  private static final Logger LOG = LoggerFactory.getLogger(Finops4j.class);

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
    final List<Interceptor> interceptors = new ArrayList<>();
    /** CallListeners are adapted as they are added: one list keeps the order of registration. */
    final List<CallEventListener.Factory> listeners = new ArrayList<>();
    Clock clock = Clock.systemUTC();
    ExecutorService executor;
    Integer maxRetries;
    Duration deadline;
    ComplexityClassifier classifier = new HeuristicClassifier();
    Backoff.Sleeper sleeper = Backoff.Sleeper.REAL;
    /** The application's objects for the plug-ins, by the type they are looked up as. */
    final Map<Class<?>, Object> components = new LinkedHashMap<>();
    /** Plug-ins set in code, over the discovered ones of the same name. */
    final List<Plugin> plugins = new ArrayList<>();
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

    /** Adds an interceptor; user interceptors run first, before routing, in the order added. */
    public Builder interceptor(Interceptor interceptor) {
      interceptors.add(interceptor);
      return this;
    }

    /** Adds a listener that receives one record per call (the ledger is one), after the call. */
    public Builder listener(CallListener listener) {
      listeners.add(CallEventListener.factory(CallEventListener.of(listener)));
      return this;
    }

    /**
     * Adds a listener of each call's events (route, cache, cap, budgets, attempts, end): {@code factory} makes one
     * per call, so it may keep per-call state. Listeners run after telemetry's, in the order added.
     */
    public Builder eventListener(CallEventListener.Factory factory) {
      listeners.add(java.util.Objects.requireNonNull(factory, "factory"));
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
     * The most one call may take, every attempt, fallback and backoff included (default 5 minutes; YAML
     * {@code routing.deadline}). Each exchange is cut off when it runs out.
     */
    public Builder deadline(Duration deadline) {
      if (deadline == null || deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline must be a positive duration, got " + deadline);
      }
      this.deadline = deadline;
      return this;
    }

    /**
     * The OpenTelemetry that receives spans and metrics (telemetry module); by default {@code GlobalOpenTelemetry},
     * looked up on the first call so that an agent or SDK registered after start-up is still used.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      return component(OpenTelemetry.class, openTelemetry);
    }

    /** The Micrometer registry for meters; by default Micrometer's global registry (telemetry module). */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      return component(MeterRegistry.class, meterRegistry);
    }

    /**
     * The Micrometer {@code ObservationRegistry} of the application (Spring Boot's bean; telemetry module): each
     * call is then one
     * {@code Observation} (a {@code gen_ai.client.operation} timer and, with a tracing bridge, span, as Spring AI
     * reports its calls), instead of finops4j's own OpenTelemetry span and metrics. Default none.
     */
    public Builder observationRegistry(io.micrometer.observation.ObservationRegistry registry) {
      return component(io.micrometer.observation.ObservationRegistry.class, registry);
    }

    /**
     * Hands the plug-ins an object of the application, looked up by exactly {@code type} (a later call with the same
     * type replaces it; {@code null} removes it). How a module's own types reach it without the core knowing them,
     * e.g. {@code component(CallObservationConvention.class, myConvention)} for telemetry. {@link #openTelemetry},
     * {@link #meterRegistry}, {@link #observationRegistry} and {@link #ledgerDataSource} are shorthands. An object
     * no plug-in asks for is reported at WARN by {@link #build()}: the module that uses it is likely missing.
     */
    public <T> Builder component(Class<T> type, T component) {
      java.util.Objects.requireNonNull(type, "type");
      if (component == null) {
        components.remove(type);
      } else {
        components.put(type, type.cast(component));
      }
      return this;
    }

    /**
     * Adds a plug-in, replacing the one of the same {@link Plugin#name()} found on the class path (or added
     * before); for a plug-in that is not registered with {@link java.util.ServiceLoader}, or configured in code.
     */
    public Builder plugin(Plugin plugin) {
      plugins.removeIf(p -> p.name().equals(plugin.name()));
      plugins.add(plugin);
      return this;
    }

    /** The embedding model of the semantic cache, instead of {@code cache.semantic.model}. */
    public Builder embeddingModel(EmbeddingModel embeddingModel) {
      this.embeddingModel = embeddingModel;
      return this;
    }

    /** The pool a {@code ledger: { type: jdbc }} section without a {@code url} writes through (ledger module). */
    public Builder ledgerDataSource(javax.sql.DataSource dataSource) {
      return component(javax.sql.DataSource.class, dataSource);
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

    /**
     * Builds an {@link Llm}. The builder is left as it was: {@code build()} can be called again, and each
     * {@code Llm} gets its own ledger writer, caches and budgets (provider clients handed to
     * {@link #provider(ProviderClient)} are shared, and closed by whichever {@code Llm} closes first).
     */
    public Llm build() {
      ConfigNode root = config != null ? config : ConfigLoader.of(Map.of(), "builder");
      List<Plugin> plugins = Plugins.resolve(this.plugins);
      Plugins.requireModules(root, plugins);
      List<String> keys = new ArrayList<>(ROOT_KEYS);
      keys.addAll(Plugins.sections(plugins));
      root.allowKeys(keys.toArray(new String[0]));
      TokenCounter tokens = new TokenCounter();
      RoutingPolicy routing = policy != null ? policy : RoutingPolicy.fromConfig(root);
      Providers configured = Wiring.providers(root);
      PriceFeed feed = PriceFeed.fromConfig(root.get("prices"));
      PriceCatalog prices = assemblePrices(root, configured, feed == null ? null : feed.load());
      Map<String, ProviderClient> clients = new LinkedHashMap<>(configured.clients());
      clients.putAll(providers);
      ConfigNode settings = root.get("routing")
          .allowKeys("max-retries", "failure-threshold", "cooldown", "deadline", "unsupported-parameters");
      ConfigNode unsupported = settings.get("unsupported-parameters");
      ParameterRules parameters = new ParameterRules(ModelRulesCatalog.bundled(),
          unsupported.isPresent() && "drop".equals(unsupported.asOneOf(List.of("reject", "drop"))));
      validate(routing, clients, root, parameters, prices);

      List<Interceptor> chain = new ArrayList<>(interceptors);
      chain.add(new RoutingInterceptor(routing, classifier));
      EmbeddingModel embedder = embeddingModel != null ? embeddingModel : Wiring.embeddingModel(root, clients, prices);
      chain.add(CacheInterceptor.fromConfig(root, embedder, Ticker.systemTicker(), parameters::rules));
      List<AutoCloseable> closeables = new ArrayList<>();
      closeables.add(configured);
      closeables.addAll(providers.values()); // clients handed to the builder are the Llm's to close
      BudgetStore store = Wiring.budgetStore(root);
      BudgetInterceptor budget = store == null ? BudgetInterceptor.fromConfig(root, clock)
          : BudgetInterceptor.fromConfig(root, clock, store);
      chain.add(budget);
      closeables.add(0, budget);
      BudgetView budgets = budget;
      int retries = maxRetries != null ? maxRetries : (int) settings.get("max-retries").asLong(2, 0, 10);
      CircuitBreakers breakers = new CircuitBreakers((int) settings.get("failure-threshold").asLong(5, 1, 1000),
          settings.get("cooldown").asDuration(Duration.ofSeconds(30), Duration.ZERO, Duration.ofDays(1)));
      java.time.Duration callDeadline = deadline != null ? deadline
          : settings.get("deadline").asDuration(ProviderCall.DEFAULT_DEADLINE, Duration.ofSeconds(1), Duration.ofHours(1));
      BatchEngine.Settings batchSettings = BatchEngine.Settings.fromConfig(root.get("batch"));
      // Plugged in once the core's own settings are read, so that a bad one leaves no plug-in thread (the ledger's
      // writer) running. Telemetry listens first: its span is current while the other listeners and the pipeline
      // run; the ledger last, once every other listener has seen the call.
      Plugins plugged = Plugins.plug(plugins, root, clock, Map.copyOf(components));
      List<CallEventListener.Factory> listeners = new ArrayList<>(plugged.first);
      listeners.addAll(this.listeners);
      listeners.addAll(plugged.last);
      LivePrices live = new LivePrices(prices);
      Runnable refreshPrices = () -> { };
      if (feed != null) {
        Consumer<Map<ModelId, ModelPrice>> update = map -> live.replace(assemblePrices(root, configured, map));
        feed.start(update);
        closeables.add(0, feed);
        refreshPrices = () -> feed.refresh(update);
      }
      chain.add(new ProviderCall(clients, live, retries, sleeper, breakers, callDeadline, parameters));
      // after the engine's own: the ledger's writer closes last and flushes the rows of every finished call
      closeables.addAll(plugged.closeables);
      Engine engine = new Engine(this, live, tokens, listeners, chain, clients, closeables, budgets,
          plugged.asyncWrapper());
      engine.priceRefresh = refreshPrices;
      // after the engine: batch items are recorded through its listeners and numbered from its call ids
      engine.batches(new BatchEngine(routing, clients, live, tokens, budget, engine.itemCalls(),
          clock, batchSettings, batchScheduler, parameters));
      return engine;
    }

    /**
     * The table this Llm prices with: the builder's (bundled, plus {@code price(..)}), a price file or the feed's
     * map merged over it, then {@code finops4j.models}, then each Azure deployment priced as the model it runs
     * unless {@code finops4j.models} prices it itself. Run again with each map a price feed brings.
     */
    private PriceCatalog assemblePrices(ConfigNode root, Providers configured, Map<ModelId, ModelPrice> fed) {
      PriceCatalog prices = fed == null ? this.prices.withPriceFile(root.get("prices"))
          : this.prices.withPriceMap(fed, "litellm-url");
      prices = prices.withOverrides(root.get("models"));
      for (Map.Entry<String, String> e : configured.pricedAs().entrySet()) {
        ModelId id = ModelId.parse(e.getKey());
        if (prices.find(id).isEmpty()) {
          ModelPrice price = prices.find(ModelId.parse(e.getValue())).orElse(null);
          if (price != null) {
            prices = prices.with(id, price);
          }
        }
      }
      return prices;
    }

    private void validate(RoutingPolicy routing, Map<String, ProviderClient> clients, ConfigNode root,
        ParameterRules parameters, PriceCatalog prices) {
      checkModelRules(routing, root, parameters);
      // by node, so that an error names the line of the tier or split in the file
      Map<ConfigNode, List<ModelId>> places = new LinkedHashMap<>();
      routing.tiers().forEach((tier, models) -> places.put(root.get("tiers").get(tier), models));
      routing.tasks().forEach((task, t) -> places.put(root.get("tasks").get(task).get("split"),
          List.copyOf(t.split().keySet())));
      for (Map.Entry<ConfigNode, List<ModelId>> place : places.entrySet()) {
        for (ModelId model : place.getValue()) {
          ConfigNode node = place.getKey();
          if (prices.find(model).isEmpty()) {
            throw node.error("no price is known for model " + model + "; add it under finops4j.models, e.g. '"
                + model + ": { input: 0.50, output: 1.50 }' (USD per 1M tokens)");
          }
          if (!clients.containsKey(model.provider())) {
            throw node.error("model " + model + " needs provider '" + model.provider() + "', which is not configured"
                + " under finops4j.providers (configured: " + clients.keySet() + ")");
          }
          LocalDate today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
          String retiring = retirement(node.path(), model, prices.price(model), today);
          if (retiring != null) {
            LOG.warn(retiring);
          }
        }
      }
    }

    /**
     * Each task's settings against the rules of every model its tier can route to: a temperature on a model that
     * takes none fails here (or, with {@code unsupported-parameters: drop}, warns once), so does a
     * {@code max-output-tokens} (plus thinking budget) beyond the model's max output (clamped under drop), and a
     * reasoning model with an output ceiling too small to answer after reasoning warns.
     */
    private void checkModelRules(RoutingPolicy routing, ConfigNode root, ParameterRules parameters) {
      routing.tasks().forEach((name, task) -> {
        List<ModelId> models = new ArrayList<>(routing.tiers().getOrDefault(task.tier(), List.of()));
        models.addAll(task.split().keySet());
        for (ModelId model : models) {
          ModelRules rules = parameters.rules(model);
          if (task.temperature() != null && !rules.accepts(ModelRules.TEMPERATURE)) {
            if (!parameters.drops()) {
              ConfigNode temperature = root.get("tasks").get(name).get("temperature");
              throw temperature.isPresent() ? temperature.error(ParameterRules.message(model, task.temperature()))
                  : new ConfigException("finops4j.tasks." + name + ".temperature",
                      ParameterRules.message(model, task.temperature()));
            }
            LOG.warn("finops4j.tasks.{}.temperature: {} takes no temperature; it is left out of that model's"
                + " requests (routing.unsupported-parameters: drop)", name, model);
          }
          reasoningOption(root, name, "reasoning-effort", task.reasoningEffort(), model, parameters);
          reasoningOption(root, name, "thinking-budget", task.thinkingBudget(), model, parameters);
          try {
            parameters.maxOutputTokens(model, task.maxOutputTokens(), task.thinkingBudget());
          } catch (UnsupportedParameterException e) {
            ConfigNode node = root.get("tasks").get(name).get("max-output-tokens");
            throw node.isPresent() ? node.error(e.getMessage())
                : new ConfigException("finops4j.tasks." + name + ".max-output-tokens", e.getMessage());
          }
          if (rules.reasoning() && task.maxOutputTokens() != null
              && task.maxOutputTokens() < MIN_REASONING_OUTPUT_TOKENS) {
            LOG.warn("finops4j.tasks.{}.max-output-tokens: {} is a reasoning model, and its reasoning tokens count"
                + " against max-output-tokens {}: it may spend them all reasoning and answer nothing (billed all"
                + " the same). Give it at least {}, or route the task to a model that does not reason", name, model,
                task.maxOutputTokens(), MIN_REASONING_OUTPUT_TOKENS);
          }
        }
      });
    }

    /**
     * A task's reasoning option against one of its models: refused at start-up (naming the option's path) where the
     * model takes no reasoning controls or, for a thinking budget, less than the model's minimum; left out with a
     * WARN under {@code unsupported-parameters: drop}.
     */
    private static void reasoningOption(ConfigNode root, String task, String key, Object value, ModelId model,
        ParameterRules parameters) {
      if (value == null) {
        return;
      }
      try {
        if (key.equals("reasoning-effort")) {
          parameters.reasoningEffort(model, (String) value);
        } else {
          parameters.thinkingBudget(model, (Integer) value);
        }
      } catch (UnsupportedParameterException e) {
        ConfigNode node = root.get("tasks").get(task).get(key);
        throw node.isPresent() ? node.error(e.getMessage())
            : new ConfigException("finops4j.tasks." + task + "." + key, e.getMessage());
      }
    }

    /**
     * A routed model its provider retired by {@code today} fails at start-up (every call to it would fail); one that
     * retires within {@value #RETIREMENT_NOTICE_DAYS} days gives the warning returned; otherwise null.
     */
    static String retirement(String path, ModelId model, ModelPrice price, LocalDate today) {
      LocalDate retired = price.retired();
      if (retired == null || retired.isAfter(today.plusDays(RETIREMENT_NOTICE_DAYS))) {
        return null;
      }
      if (!retired.isAfter(today)) {
        throw new ConfigException(path, model + " was retired by its provider on " + retired
            + ": every call to it would fail; route this tier to a current model (the retired model's price stays in"
            + " the table for old ledger rows)");
      }
      long days = java.time.temporal.ChronoUnit.DAYS.between(today, retired);
      return path + ": " + model + " retires on " + retired + ", in " + days + (days == 1 ? " day" : " days")
          + "; calls to it will fail from then on: move this tier to a current model";
    }

    /** How long before a routed model's retirement the start-up warns. */
    static final int RETIREMENT_NOTICE_DAYS = 30;
  }
}
