package io.finops4j.telemetry;

import io.finops4j.api.CompletionRequest;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.ConfigNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The first listener of every call: one OpenTelemetry span per facade call (GenAI semantic conventions plus
 * {@code finops4j.*} cost attributes) with a child span per provider attempt, OpenTelemetry metrics, Micrometer
 * meters, and an SLF4J line, through the application's own {@link OpenTelemetry} and {@link MeterRegistry}. It
 * sees every call, rejections and batch items included, through the typed {@link CallEventListener} events.
 * Telemetry failures are logged and never fail a call. With nothing to report to (no OpenTelemetry registered yet
 * or the no-op one given, a Micrometer registry with no backend in it) a call makes no span and records no meter.
 * {@code Finops4j} registers one from {@code finops4j.telemetry} through {@link TelemetryPlugin} when this module is
 * on the class path; build one yourself to register on another engine:
 *
 * <pre>{@code
 * Telemetry telemetry = Telemetry.builder()
 *     .openTelemetry(openTelemetry)
 *     .meterRegistry(meterRegistry)
 *     .tagAllowList("customer", List.of("acme", "globex"))
 *     .build();
 * }</pre>
 *
 * <p>Context propagation: the call's span is current while the rest of the chain runs, and an attempt's span
 * while the provider's HTTP client runs, so spans the client creates are the attempt's children; the call's span
 * is a child of whatever span is current in the caller. An engine
 * that runs the chain on another thread must carry the caller's context there: {@link #wrap(Supplier)} (or
 * {@code Context.current().wrap(...)}, or an executor from {@code Context.taskWrapping(...)}).
 */
public final class Telemetry implements CallEventListener.Factory {

  /** Default number of top spenders per dimension that become metric tag values. */
  public static final int DEFAULT_TOP_N = 20;

  /** Upper bound of {@code metric-tag-top-n}: more would defeat the purpose of the guard. */
  public static final int MAX_TOP_N = 1000;

  private final boolean enabled;
  /** The OpenTelemetry side; null when the API is not on the class path, failed to link, or the no-op was given. */
  private volatile OtelSide otel;
  /** The Micrometer side; null when Micrometer is not on the class path or failed to link. */
  private volatile MicrometerMeters micrometer;
  /**
   * The Micrometer Observation side, when an {@code ObservationRegistry} was given: then it makes the call's timer
   * and span (through the registry's handlers) and the OpenTelemetry side stays off, so that nothing is reported
   * twice.
   */
  private volatile ObservationSide observation;
  private final TagGuard guard;
  final CallLog log = new CallLog();
  private final Set<String> budgetIds = ConcurrentHashMap.newKeySet();
  private static final int MAX_BUDGET_GAUGES = 256;
  private final Clock clock;
  private final LongSupplier ticker;

  private Telemetry(Builder b) {
    this.enabled = b.enabled;
    this.observation = b.observationRegistry != null && usable(Library.OBSERVATION)
        ? observationSide(b.observationRegistry, b.observationConvention) : null;
    this.otel = observation == null && usable(Library.OPENTELEMETRY) ? otelSide(b.openTelemetry, b.captureContent)
        : null;
    this.micrometer = usable(Library.MICROMETER) ? micrometerSide(b.meterRegistry, observation != null) : null;
    this.guard = new TagGuard(b.allowLists, b.topN);
    this.clock = b.clock;
    this.ticker = b.ticker;
  }

  private static boolean usable(Library library) {
    return library.present() && !library.failed();
  }

  /** The OpenTelemetry side; none for the no-op OpenTelemetry given explicitly, which never records anything. */
  private static OtelSide otelSide(OpenTelemetry openTelemetry, boolean captureContent) {
    try {
      return openTelemetry == OpenTelemetry.noop() ? null : new OtelSide(openTelemetry, captureContent);
    } catch (LinkageError e) {
      TelemetryStatus.linkageFailed(Library.OPENTELEMETRY, e);
      return null;
    }
  }

  private static ObservationSide observationSide(Object registry, Object convention) {
    try {
      return new ObservationSide((io.micrometer.observation.ObservationRegistry) registry,
          (CallObservationConvention) convention);
    } catch (LinkageError e) {
      TelemetryStatus.linkageFailed(Library.OBSERVATION, e);
      return null;
    }
  }

  private static MicrometerMeters micrometerSide(MeterRegistry registry, boolean observed) {
    try {
      return MicrometerMeters.of(registry, observed);
    } catch (LinkageError e) {
      TelemetryStatus.linkageFailed(Library.MICROMETER, e);
      return null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds telemetry from the {@code finops4j.telemetry} section: {@code enabled} (default true),
   * {@code capture-content} (default false), {@code metric-tag-allow-list} (dimension to ids) and
   * {@code metric-tag-top-n} (default {@value #DEFAULT_TOP_N}). A {@code null} {@code otel} or {@code registry}
   * means the global OpenTelemetry (once the application has registered it) and Micrometer's
   * {@code Metrics.globalRegistry}.
   */
  public static Telemetry fromConfig(ConfigNode telemetryNode, OpenTelemetry otel, MeterRegistry registry) {
    return fromConfig(telemetryNode, builder().openTelemetry(otel).meterRegistry(registry));
  }

  /**
   * As {@link #fromConfig(ConfigNode, OpenTelemetry, MeterRegistry)}, reporting each call as a Micrometer
   * {@code Observation} of {@code observations} (named by {@code convention}, or the default when null).
   */
  public static Telemetry fromConfig(ConfigNode telemetryNode, OpenTelemetry otel, MeterRegistry registry,
      io.micrometer.observation.ObservationRegistry observations, CallObservationConvention convention) {
    return fromConfig(telemetryNode, builder().openTelemetry(otel).meterRegistry(registry)
        .observationRegistry(observations).observationConvention(convention));
  }

  /** As {@link #fromConfig(ConfigNode, OpenTelemetry, MeterRegistry)}, over a builder already given its objects. */
  static Telemetry fromConfig(ConfigNode telemetryNode, Builder b) {
    ConfigNode node = telemetryNode != null ? telemetryNode : ConfigNode.root(null, "finops4j.telemetry", null);
    node.allowKeys("enabled", "capture-content", "metric-tag-allow-list", "metric-tag-top-n");
    b.enabled(node.get("enabled").asBoolean(true))
        .captureContent(node.get("capture-content").asBoolean(false));
    ConfigNode allow = node.get("metric-tag-allow-list");
    allow.allowKeys(TelemetryNames.GUARDED_DIMENSIONS.toArray(new String[0]));
    for (Map.Entry<String, ConfigNode> e : allow.asMap().entrySet()) {
      List<String> ids = new ArrayList<>();
      for (ConfigNode id : e.getValue().asList()) {
        ids.add(id.asString());
      }
      b.tagAllowList(e.getKey(), ids);
    }
    ConfigNode topN = node.get("metric-tag-top-n");
    long n = topN.asLong(DEFAULT_TOP_N);
    if (n < 0 || n > MAX_TOP_N) {
      throw topN.error("expected a whole number from 0 to " + MAX_TOP_N + ", got " + n);
    }
    return b.topN((int) n).build();
  }

  /**
   * {@code runnable} bound to the caller's current OpenTelemetry context, for running the chain elsewhere; the
   * runnable itself when the OpenTelemetry API is absent or failed to link.
   */
  public static Runnable wrap(Runnable runnable) {
    if (usable(Library.OPENTELEMETRY)) {
      try {
        return OtelSide.wrap(runnable);
      } catch (LinkageError e) {
        TelemetryStatus.linkageFailed(Library.OPENTELEMETRY, e);
      }
    }
    return runnable;
  }

  /** {@code supplier} bound to the caller's current OpenTelemetry context, as {@link #wrap(Runnable)}. */
  public static <T> Supplier<T> wrap(Supplier<T> supplier) {
    if (usable(Library.OPENTELEMETRY)) {
      try {
        return OtelSide.wrap(supplier);
      } catch (LinkageError e) {
        TelemetryStatus.linkageFailed(Library.OPENTELEMETRY, e);
      }
    }
    return supplier;
  }

  @Override
  public CallEventListener create(CallContext call) {
    return enabled ? new CallTelemetry(this, call) : CallEventListener.NONE;
  }

  long tick() {
    return ticker.getAsLong();
  }

  long epochNanosNow() {
    return epochNanos(clock.instant());
  }

  /** Starts the call's observation and opens its scope; null without an Observation side, or when it failed. */
  ObservationSide.Started observe(CompletionRequest request, CallContext context) {
    ObservationSide o = observation;
    if (o == null) {
      return null;
    }
    try {
      return o.start(request, context.callId());
    } catch (LinkageError e) {
      observationFailed(e);
    } catch (RuntimeException e) {
      log.telemetryFailed(context.callId(), e);
    }
    return null;
  }

  /** Starts the call's span and makes it current; null when there is no OpenTelemetry side or it failed. */
  OtelSide.Started start(CompletionRequest request, CallContext context, long startEpochNanos) {
    OtelSide o = otel;
    if (o == null) {
      return null;
    }
    try {
      return o.start(request, context, startEpochNanos);
    } catch (LinkageError e) {
      otelFailed(e);
    } catch (RuntimeException e) {
      log.telemetryFailed(context.callId(), e);
    }
    return null;
  }

  // Telemetry never fails a call: each side's failure is caught here, a LinkageError turns that side off.
  void finish(OtelSide.Started started, ObservationSide.Started observed, CallFacts facts, long endEpochNanos) {
    String callId = facts.context().callId();
    if (observed != null) {
      try {
        observed.stop(facts);
      } catch (LinkageError e) {
        observationFailed(e);
      } catch (RuntimeException e) {
        log.telemetryFailed(callId, e);
      }
    }
    MicrometerMeters m = micrometerReporting();
    boolean otelMetrics = started != null && m == null;
    MetricTags tags = null;
    try {
      if (started != null) {
        started.closeScope();
      }
      if (m != null || otelMetrics) { // with nowhere to report, the guard does not rank the call's spend either
        tags = MetricTags.of(facts, guard);
      }
    } catch (RuntimeException e) {
      log.telemetryFailed(callId, e);
      endQuietly(started);
      return;
    } catch (LinkageError e) {
      otelFailed(e);
      endQuietly(started);
      return;
    }
    if (started != null) {
      try {
        // even if the side was turned off meanwhile
        OtelSide.finish(started, facts, tags, endEpochNanos, otelMetrics);
      } catch (LinkageError e) {
        otelFailed(e);
      } catch (RuntimeException e) {
        log.telemetryFailed(callId, e);
      }
    }
    if (m != null) {
      try {
        m.record(facts, tags);
      } catch (LinkageError e) {
        micrometerFailed(e);
      } catch (RuntimeException e) {
        log.telemetryFailed(callId, e);
      }
    }
    try {
      log.log(facts);
    } catch (RuntimeException e) {
      log.telemetryFailed(callId, e);
    }
  }

  /**
   * The Micrometer meters when they reach a backend, else null. Micrometer's meters that report nowhere (its global
   * registry before the application or an agent added one) are not recorded, and then the OpenTelemetry metrics
   * are, when there is an OpenTelemetry: where both report (an app with its own registry, or the OpenTelemetry
   * agent bridging Micrometer's global registry), each meter would reach the backend twice under one name with two
   * units and label sets; Micrometer's are kept, the spans stay.
   */
  private MicrometerMeters micrometerReporting() {
    MicrometerMeters m = micrometer;
    if (m == null) {
      return null;
    }
    try {
      return m.reporting() ? m : null;
    } catch (LinkageError e) {
      micrometerFailed(e);
      return null;
    }
  }

  /** A call that could not be described: its span is ended all the same, so it is not left open. */
  void abandon(OtelSide.Started started, ObservationSide.Started observed, String callId, RuntimeException e) {
    log.telemetryFailed(callId, e);
    if (observed != null) {
      try {
        observed.stop(null);
      } catch (RuntimeException | LinkageError ignored) {
        // telemetry never fails a call
      }
    }
    if (started != null) {
      try {
        started.closeScope();
      } catch (RuntimeException | LinkageError ignored) {
        // telemetry never fails a call
      }
    }
    endQuietly(started);
  }

  /** Ends a span whose call could not be described, so it is not left open; a second end() is ignored. */
  private static void endQuietly(OtelSide.Started started) {
    if (started != null) {
      try {
        started.span().end();
      } catch (RuntimeException | LinkageError ignored) {
        // telemetry never fails a call
      }
    }
  }

  /** Sets the utilisation gauge of {@code budget}; budget ids come from configuration, bounded all the same. */
  void budgetUtilization(String budget, double u) {
    if (!(budgetIds.contains(budget) || (budgetIds.size() < MAX_BUDGET_GAUGES && budgetIds.add(budget)))) {
      return;
    }
    meter(o -> o.budgetUtilization(budget, u), m -> m.budgetUtilization(budget, u));
  }

  /** Counts a call of {@code task} on {@code model} that used more than its reservation. */
  void budgetOvershoot(String task, String model) {
    meter(o -> o.budgetOvershoot(task, model), m -> m.budgetOvershoot(task, model));
  }

  /**
   * Records a budget fact on the OpenTelemetry metrics (when they are the ones reported) and on the Micrometer
   * meters; a side that fails to link is turned off. For rare events (thresholds, overshoots), not every call.
   */
  private void meter(java.util.function.Consumer<OtelSide> onOtel,
      java.util.function.Consumer<MicrometerMeters> onMicrometer) {
    OtelSide o = otel;
    if (o != null && micrometerReporting() == null) {
      try {
        onOtel.accept(o);
      } catch (LinkageError err) {
        otelFailed(err);
      }
    }
    MicrometerMeters m = micrometer;
    if (m != null) {
      try {
        onMicrometer.accept(m);
      } catch (LinkageError err) {
        micrometerFailed(err);
      }
    }
  }

  void observationFailed(LinkageError e) {
    observation = null;
    TelemetryStatus.linkageFailed(Library.OBSERVATION, e);
  }

  void otelFailed(LinkageError e) {
    otel = null;
    TelemetryStatus.linkageFailed(Library.OPENTELEMETRY, e);
  }

  private void micrometerFailed(LinkageError e) {
    micrometer = null;
    TelemetryStatus.linkageFailed(Library.MICROMETER, e);
  }

  /** The cardinality guard (for tests). */
  TagGuard guard() {
    return guard;
  }

  private static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** Builds a {@link Telemetry}; every option has a default. */
  public static final class Builder {
    private OpenTelemetry openTelemetry;
    private MeterRegistry meterRegistry;
    /** Typed as Object so that the builder links without Micrometer Observation on the class path. */
    private Object observationRegistry;
    private Object observationConvention;
    private boolean captureContent;
    private boolean enabled = true;
    private final Map<String, List<String>> allowLists = new LinkedHashMap<>();
    private int topN = DEFAULT_TOP_N;
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker = System::nanoTime;

    private Builder() {}

    /**
     * The application's OpenTelemetry; {@code null} (the default) means {@code GlobalOpenTelemetry}, bound on the
     * first call after the application registered it (never forcing the global to a no-op before that).
     */
    public Builder openTelemetry(OpenTelemetry v) { openTelemetry = v; return this; }

    /** The application's registry; {@code null} (the default) means Micrometer's global registry. */
    public Builder meterRegistry(MeterRegistry v) { meterRegistry = v; return this; }

    /**
     * The application's Micrometer {@code ObservationRegistry}: each call becomes one {@code Observation} (named by
     * {@link #observationConvention}) whose handlers make its timer and span, instead of finops4j's own
     * OpenTelemetry span and metrics; the cost meters still go to the {@link #meterRegistry}. Default none.
     */
    public Builder observationRegistry(io.micrometer.observation.ObservationRegistry v) {
      observationRegistry = v;
      return this;
    }

    /** Replaces {@link DefaultCallObservationConvention}; {@code null} keeps it. */
    public Builder observationConvention(CallObservationConvention v) {
      observationConvention = v;
      return this;
    }

    /** Puts prompt and completion text on spans (GenAI {@code gen_ai.input.messages} etc.). Default false. */
    public Builder captureContent(boolean v) { captureContent = v; return this; }

    /** False turns telemetry off: every call gets {@link CallEventListener#NONE}. Default true. */
    public Builder enabled(boolean v) { enabled = v; return this; }

    /**
     * Only these ids of {@code dimension} ({@code customer}, {@code feature}, {@code team} or {@code user}) become
     * metric tag values; every other id is {@code other}. Replaces the top-N rule for that dimension.
     */
    public Builder tagAllowList(String dimension, Collection<String> ids) {
      if (!TelemetryNames.GUARDED_DIMENSIONS.contains(dimension)) {
        throw new IllegalArgumentException("metric tag allow-list dimension must be one of "
            + new TreeSet<>(TelemetryNames.GUARDED_DIMENSIONS) + ", got '" + dimension + "'");
      }
      allowLists.put(dimension, List.copyOf(Objects.requireNonNull(ids, "ids")));
      return this;
    }

    /**
     * For dimensions without an allow-list, the top {@code n} ids by spend become tag values, the rest
     * {@code other}; 0 folds every id. Default {@value Telemetry#DEFAULT_TOP_N}.
     */
    public Builder topN(int n) {
      if (n < 0 || n > MAX_TOP_N) {
        throw new IllegalArgumentException("top N must be from 0 to " + MAX_TOP_N + ", got " + n);
      }
      topN = n;
      return this;
    }

    /** The wall clock of span timestamps (tests). */
    Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }

    /** The monotonic nanosecond source of durations (tests). */
    Builder ticker(LongSupplier v) { ticker = Objects.requireNonNull(v); return this; }

    public Telemetry build() {
      return new Telemetry(this);
    }
  }
}
