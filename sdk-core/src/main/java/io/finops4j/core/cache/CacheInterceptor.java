package io.finops4j.core.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelRules;
import java.util.function.Function;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Money;
import io.finops4j.api.Prompt;
import io.finops4j.api.Route;
import io.finops4j.api.spi.CacheLookup;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.api.spi.EmbeddingModel;
import io.finops4j.api.spi.Interceptor;
import io.finops4j.api.spi.ResponseCache;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves repeated requests from a cache, so that the same question is paid for once.
 *
 * <ul>
 *   <li><b>Exact cache</b>: keyed on the cache scope (per customer unless the task says otherwise) plus a SHA-256
 *       of the task, the routed model, every message with its role (the system prompt included), max output
 *       tokens, temperature and the per-call cost cap.</li>
 *   <li><b>Single-flight</b>: identical requests that arrive while the first is in flight wait for it and share its
 *       answer; if it fails, each makes its own call.</li>
 *   <li><b>Semantic cache</b> (opt-in per task): a request whose last user message means the same as an earlier
 *       one (cosine similarity of embeddings at or above the task's threshold, never below 0.90) in the same scope,
 *       model, parameters, system prompt and earlier turns gets that earlier answer.</li>
 * </ul>
 *
 * <p>Only deterministic requests ({@code temperature} 0, or any request to a model without sampling control, such
 * as the gpt-5 family) are cached, unless the task says
 * {@code non-deterministic: true}: a request with a temperature above 0, or with none (providers then sample at
 * about 1), asks for a fresh sample each time. A hit costs zero; its {@code savedUsd} is what the routed model
 * would have charged for the cached answer's usage, minus the embedding call a semantic lookup made.
 *
 * <p>Runs after routing (it needs the resolved model) and before budgets (a hit reserves nothing). Records
 * its outcome as a {@link CacheLookup} event (hit, miss or off; how a hit matched; what an embedding cost) for
 * telemetry, the ledger and any other listener.
 */
public final class CacheInterceptor implements Interceptor {

  /** Default bound on the semantic index, in vectors over all scopes. */
  public static final int DEFAULT_SEMANTIC_ENTRIES = 10_000;

  private static final Logger log = LoggerFactory.getLogger(CacheInterceptor.class);

  private final boolean enabled;
  private final Function<ModelId, ModelRules> modelRules;
  private final ResponseCache store;
  private final SemanticIndex semantic;
  private final EmbeddingModel embeddings;
  private final Map<String, CachePolicy> tasks;
  private final CachePolicy defaultPolicy;
  /**
   * Every miss puts and removes its key. Sized for hundreds of calls at once from the start: in the default table of
   * 16 slots (one cache line) every put and remove of every core writes the same line.
   */
  private final ConcurrentHashMap<String, CompletableFuture<Completion>> inFlight = new ConcurrentHashMap<>(256);
  /** Which fresh answers are stored. */
  private final AdmissionGate admission;

  /** Followers waiting on an in-flight leader right now; lets tests line calls up without sleeping. */
  private final java.util.concurrent.atomic.AtomicInteger followers = new java.util.concurrent.atomic.AtomicInteger();

  private final LongAdder exactHits = new LongAdder();
  private final LongAdder semanticHits = new LongAdder();
  private final LongAdder sharedHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder bypassed = new LongAdder();
  private final LongAdder savedNanos = new LongAdder();
  private final LongAdder embeddingNanos = new LongAdder();

  private CacheInterceptor(Builder b) {
    this.enabled = b.enabled;
    this.modelRules = b.modelRules;
    this.tasks = Map.copyOf(b.tasks);
    this.defaultPolicy = b.defaultPolicy;
    this.store = b.store != null ? b.store : new CaffeineResponseCache(b.maxBytes, b.ticker, b.executor);
    this.embeddings = b.embeddings;
    this.admission = new AdmissionGate(b.admission, b.ticker, this::hits, misses::sum,
        store instanceof CaffeineResponseCache c ? c::full : () -> false);
    boolean anySemantic = defaultPolicy.semanticThreshold() != null;
    for (Map.Entry<String, CachePolicy> e : tasks.entrySet()) {
      if (e.getValue().enabled() && e.getValue().semanticThreshold() != null) {
        anySemantic = true;
        if (embeddings == null) {
          throw new IllegalStateException("task '" + e.getKey() + "' turns on the semantic cache, which needs an"
              + " embedding model; pass one to CacheInterceptor.builder().embeddingModel(...)");
        }
      }
    }
    if (anySemantic && embeddings == null) {
      throw new IllegalStateException("the default cache policy turns on the semantic cache, which needs an"
          + " embedding model; pass one to CacheInterceptor.builder().embeddingModel(...)");
    }
    this.semantic = anySemantic ? new SemanticIndex(b.semanticMaxEntries, b.ticker, b.executor) : null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds the cache from the {@code finops4j} node: {@code finops4j.cache} ({@code enabled}, {@code max-size},
   * {@code semantic.max-entries}) and the {@code cache} key of each {@code finops4j.tasks.<task>}; tasks without one
   * are not cached. {@code embeddings} may be null when no task turns the semantic cache on.
   *
   * @throws io.finops4j.api.ConfigException naming the key path of a bad value, e.g. a semantic threshold below
   *     the 0.90 floor, or a task that turns on the semantic cache with no embedding model
   */
  public static CacheInterceptor fromConfig(ConfigNode root, EmbeddingModel embeddings, Ticker ticker) {
    return fromConfig(root, embeddings, ticker, m -> ModelRules.UNKNOWN);
  }

  /** As {@link #fromConfig(ConfigNode, EmbeddingModel, Ticker)}, with the model rules that decide determinism. */
  public static CacheInterceptor fromConfig(ConfigNode root, EmbeddingModel embeddings, Ticker ticker,
      Function<ModelId, ModelRules> modelRules) {
    Builder b = builder().config(root).embeddingModel(embeddings).ticker(ticker).modelRules(modelRules);
    try {
      return b.build();
    } catch (IllegalStateException e) {
      throw root.get("tasks").error(e.getMessage());
    }
  }

  /** {@link #fromConfig(ConfigNode, EmbeddingModel, Ticker)} without semantic caching, on the system clock. */
  public static CacheInterceptor fromConfig(ConfigNode root) {
    return fromConfig(root, null, Ticker.systemTicker());
  }

  /** The backing store, e.g. to bind a {@link CaffeineResponseCache}'s statistics to Micrometer. */
  public ResponseCache store() {
    return store;
  }

  /** The policy that applies to {@code taskType}. */
  public CachePolicy policy(String taskType) {
    return tasks.getOrDefault(taskType, defaultPolicy);
  }

  /** Counts and savings since this cache was built. */
  public CacheStats stats() {
    return new CacheStats(exactHits.sum(), semanticHits.sum(), sharedHits.sum(), misses.sum(), bypassed.sum(),
        Money.fromNanos(savedNanos.sum()), Money.fromNanos(embeddingNanos.sum()));
  }

  int waitingFollowers() {
    return followers.get();
  }

  @Override
  public Completion intercept(Chain chain) {
    CompletionRequest request = chain.request();
    CallContext context = chain.context();
    // the keys hash text messages only: tool loops, structured answers and images are never served from the cache
    CachePolicy policy = enabled && request.cacheEnabled() && request.client() == null && textOnly(request)
        ? policy(request.taskType()) : CachePolicy.DISABLED;
    if (!policy.enabled()) {
      return bypass(chain, request, context, null);
    }
    Route route = context.route();
    ModelId model = route != null ? route.primary() : request.model();
    if (model == null) {
      return bypass(chain, request, context, "no model");
    }
    // A model without sampling control has no temperature 0 to ask for: the task's cache setting is the opt-in.
    if (!policy.nonDeterministic() && !deterministic(request) && modelRules.apply(model).hasSamplingControl()) {
      return bypass(chain, request, context, "non-deterministic");
    }
    String key = RequestKeys.exact(policy.scope(), request.attribution(), request, model);
    if (key == null) {
      return bypass(chain, request, context, "no " + String.join("+", policy.scope()));
    }
    Completion cached = read(key);
    if (cached != null) {
      exactHits.increment();
      return hit(cached, context, model, BigDecimal.ZERO, "exact");
    }

    CompletableFuture<Completion> mine = new CompletableFuture<>();
    CompletableFuture<Completion> leader = inFlight.putIfAbsent(key, mine);
    if (leader != null) {
      // The leader completes with null when it failed: then this call makes its own, uncoordinated.
      followers.incrementAndGet();
      Completion shared;
      try {
        shared = leader.join();
      } finally {
        followers.decrementAndGet();
      }
      if (shared != null) {
        sharedHits.increment();
        return hit(shared, context, model, BigDecimal.ZERO, "single-flight");
      }
      misses.increment();
      context.listener().cacheLookup(context, CacheLookup.MISS);
      Completion c = chain.proceed(request);
      write(key, admission.admit(key) ? entry(c, context, model) : null, policy);
      return c;
    }

    Completion result = null;
    try {
      // A leader that finished between our read and our registration has stored its answer: use it.
      result = read(key);
      if (result != null) {
        exactHits.increment();
        return hit(result, context, model, BigDecimal.ZERO, "exact");
      }
      Lookup semanticLookup = null;
      if (policy.semanticThreshold() != null) {
        semanticLookup = semanticLookup(RequestKeys.scope(policy.scope(), request.attribution()), request, model,
            policy, context);
        if (semanticLookup != null && semanticLookup.match != null) {
          result = semanticLookup.match.completion();
          semanticHits.increment();
          return hit(result, context, model, semanticLookup.cost, "semantic");
        }
      }
      misses.increment();
      context.listener().cacheLookup(context, semanticLookup == null ? CacheLookup.MISS
          : new CacheLookup(CacheLookup.Status.MISS, null, null, semanticLookup.cost));
      result = chain.proceed(request);
      Completion entry = admission.admit(key) ? entry(result, context, model) : null;
      write(key, entry, policy);
      if (entry != null && semanticLookup != null && semanticLookup.vector != null) {
        semantic.add(semanticLookup.partition, semanticLookup.vector, entry, policy.ttl());
      }
      return result;
    } finally {
      // Complete before leaving the in-flight map: a caller arriving after the removal finds the cached entry.
      mine.complete(result);
      inFlight.remove(key, mine);
    }
  }

  private long hits() {
    return exactHits.sum() + semanticHits.sum() + sharedHits.sum();
  }

  /** Admission {@code auto}: true while fresh answers are stored on their second request only. */
  boolean storingOnSecondRequest() {
    return admission.gated();
  }

  private Completion bypass(Chain chain, CompletionRequest request, CallContext context, String reason) {
    bypassed.increment();
    context.listener().cacheLookup(context, reason == null ? CacheLookup.OFF
        : new CacheLookup(CacheLookup.Status.OFF, null, reason, BigDecimal.ZERO));
    return chain.proceed(request);
  }

  private static boolean textOnly(CompletionRequest request) {
    if (!request.tools().isEmpty() || request.jsonSchema() != null) {
      return false;
    }
    for (Prompt.Message m : request.prompt().messages()) {
      if (m.role() == Prompt.Role.TOOL || !m.images().isEmpty() || !m.toolCalls().isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private static boolean deterministic(CompletionRequest request) {
    Double t = request.temperature();
    return t != null && t == 0.0;
  }

  /** The semantic partition, query vector and nearest match of a request; null when it cannot be compared. */
  private Lookup semanticLookup(String scope, CompletionRequest request, ModelId model, CachePolicy policy,
      CallContext context) {
    List<Prompt.Message> messages = request.prompt().messages();
    Prompt.Message last = messages.get(messages.size() - 1);
    if (last.role() != Prompt.Role.USER) {
      return null; // an assistant prefill: only the exact text can say it is the same request
    }
    BigDecimal cost = embeddings.costUsd(last.content());
    embeddingNanos.add(Money.toNanos(cost));
    float[] vector;
    try {
      vector = SemanticIndex.normalize(embeddings.embed(last.content()));
    } catch (RuntimeException e) {
      // A failed embedding costs a semantic lookup, never the call.
      log.warn("semantic cache: embedding with {} failed, treating as a miss: {}", embeddings.id(),
          e.getClass().getSimpleName());
      return null;
    }
    if (vector == null) {
      return null;
    }
    String partition = RequestKeys.partition(scope, request, model) + "|" + embeddings.id();
    return new Lookup(partition, vector, semantic.find(partition, vector, policy.semanticThreshold()), cost);
  }

  private record Lookup(String partition, float[] vector, SemanticIndex.Match match, BigDecimal cost) {}

  private Completion hit(Completion cached, CallContext context, ModelId routed, BigDecimal embeddingCost,
      String match) {
    context.listener().cacheLookup(context, new CacheLookup(CacheLookup.Status.HIT, match, null, embeddingCost));
    BigDecimal avoided = avoided(cached, context, routed);
    savedNanos.add(Money.toNanos(avoided));
    Llm.TextListener listener = context.textListener();
    if (listener != null) {
      // A streamed call served from the cache still hands its caller the text, in one delta.
      listener.onText(cached.text());
    }
    // Entries keep no route: a hit reports its own, or, in a chain without routing, the forced model's route the
    // provider step would have given it.
    Route route = context.route() != null ? context.route() : Route.forced(routed);
    return cached.servedFromCache(context.callId(),
        embeddingCost.signum() == 0 ? avoided : avoided.subtract(embeddingCost), context.pricing().version(), route);
  }

  private static Optional<ModelPrice> price(CallContext context, ModelId routed, ModelId answered) {
    Optional<ModelPrice> p = context.pricing().find(routed);
    return p.isPresent() ? p : context.pricing().find(answered);
  }

  private Completion read(String key) {
    try {
      return store.get(key);
    } catch (RuntimeException e) {
      log.warn("response cache read failed, treating as a miss: {}", e.getClass().getSimpleName());
      return null;
    }
  }

  private void write(String key, Completion entry, CachePolicy policy) {
    if (entry == null) {
      return;
    }
    try {
      store.put(key, entry, policy.ttl());
    } catch (RuntimeException e) {
      log.warn("response cache write failed, answer not cached: {}", e.getClass().getSimpleName());
    }
  }

  /**
   * What the cache stores of a fresh answer, or null when it must not be stored: the answer without what a hit never
   * serves (the attempts, call id and route of the call that paid for it; a hit reports its own), so that an entry
   * keeps no more objects alive than it needs for as long as it lives. Keys name the routed model, so a hit is routed
   * to the same model. An answer of the routed model priced on the current table keeps its cost, which is what a hit
   * saves ({@link #avoided}). Any other answer (a fallback model's, or one priced on an older table) is stored with
   * {@code savedUsd} and {@code costUsd} both holding the routed model's price of its usage on the current table,
   * worked out now, so the hit path skips the decimal arithmetic while the table's version is the same (and an entry
   * of the routed model's answer that saves zero reads as zero either way).
   */
  private static Completion entry(Completion c, CallContext context, ModelId routed) {
    if (c.cached()) {
      return null; // already a cache's answer (a user's own cache further down); storing it would launder the cost
    }
    Completion.Builder stored = c.toBuilder().attempts(List.of()).callId(null).route(null);
    String version = context.pricing().version();
    if (!answeredAsRouted(c, routed, version)) {
      BigDecimal saved = price(context, routed, c.model()).map(p -> p.cost(c.usage())).orElse(BigDecimal.ZERO);
      stored.costUsd(saved).savedUsd(saved).priceVersion(version);
    }
    return stored.build();
  }

  /** Whether {@code c} is a provider's answer of the routed model priced on table {@code version}. */
  private static boolean answeredAsRouted(Completion c, ModelId routed, String version) {
    return c.savedUsd().signum() == 0 && routed.equals(c.model())
        && java.util.Objects.equals(version, c.priceVersion());
  }

  /** What a hit on {@code cached} avoids paying for: the routed model's price of the cached usage. */
  private static BigDecimal avoided(Completion cached, CallContext context, ModelId routed) {
    String version = context.pricing().version();
    if (answeredAsRouted(cached, routed, version)) {
      return cached.costUsd();
    }
    if (cached.savedUsd().signum() > 0 && java.util.Objects.equals(version, cached.priceVersion())) {
      return cached.savedUsd();
    }
    return price(context, routed, cached.model()).map(p -> p.cost(cached.usage())).orElse(BigDecimal.ZERO);
  }

  /** Builds a {@link CacheInterceptor}. */
  public static final class Builder {
    private boolean enabled = true;
    private long maxBytes = CaffeineResponseCache.DEFAULT_MAX_BYTES;
    private int semanticMaxEntries = DEFAULT_SEMANTIC_ENTRIES;
    private Ticker ticker = Ticker.systemTicker();
    private Executor executor;
    private ResponseCache store;
    private EmbeddingModel embeddings;
    private CachePolicy defaultPolicy = CachePolicy.DISABLED;
    private final Map<String, CachePolicy> tasks = new HashMap<>();
    private Function<ModelId, ModelRules> modelRules = m -> ModelRules.UNKNOWN;
    private CacheAdmission admission = CacheAdmission.AUTO;

    private Builder() {}

    /** Which fresh answers are stored (default {@link CacheAdmission#AUTO}). */
    public Builder admission(CacheAdmission v) {
      admission = java.util.Objects.requireNonNull(v);
      return this;
    }

    /**
     * True for {@link CacheAdmission#SECOND_REQUEST}, false for {@link CacheAdmission#ALWAYS}.
     *
     * @deprecated use {@link #admission(CacheAdmission)}, which also offers the default, {@code AUTO}
     */
    @Deprecated
    public Builder secondRequestAdmission(boolean v) {
      return admission(v ? CacheAdmission.SECOND_REQUEST : CacheAdmission.ALWAYS);
    }

    /**
     * The rules of each model: a request to a model without sampling control is cached when its task's cache is
     * on, with no {@code temperature: 0} (there is none to send). By default every model is taken to have one.
     */
    public Builder modelRules(Function<ModelId, ModelRules> v) {
      modelRules = java.util.Objects.requireNonNull(v);
      return this;
    }

    /** Reads {@code finops4j.cache} and every task's {@code cache} key from the {@code finops4j} node. */
    public Builder config(ConfigNode root) {
      CacheConfig.read(root, this);
      return this;
    }

    /** False turns every cache off (the interceptor then only records status {@code off}). */
    public Builder enabled(boolean v) { enabled = v; return this; }

    /** The bound of the default in-process store, in bytes (default 64 MiB). */
    public Builder maxBytes(long v) { maxBytes = v; return this; }

    /** The bound of the semantic index, in vectors over all scopes (default 10,000). */
    public Builder semanticMaxEntries(int v) { semanticMaxEntries = v; return this; }

    /** The time source for TTLs; tests pass a fake one. */
    public Builder ticker(Ticker v) { ticker = v == null ? Ticker.systemTicker() : v; return this; }

    /** Runs Caffeine's maintenance; tests pass {@code Runnable::run} to make eviction immediate. */
    public Builder executor(Executor v) { executor = v; return this; }

    /** A store other than the in-process Caffeine one, e.g. Redis shared by every instance. */
    public Builder store(ResponseCache v) { store = v; return this; }

    /** The embedding model of the semantic cache; required when a task turns it on. */
    public Builder embeddingModel(EmbeddingModel v) { embeddings = v; return this; }

    /** The policy of tasks with no policy of their own (default: not cached). */
    public Builder defaultPolicy(CachePolicy v) { defaultPolicy = java.util.Objects.requireNonNull(v); return this; }

    /** The policy of {@code taskType}. */
    public Builder task(String taskType, CachePolicy policy) {
      tasks.put(taskType, java.util.Objects.requireNonNull(policy));
      return this;
    }

    /** @throws IllegalStateException when a task turns on the semantic cache and no embedding model is set */
    public CacheInterceptor build() {
      return new CacheInterceptor(this);
    }
  }
}
