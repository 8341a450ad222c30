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
import io.finops4j.api.spi.Pricing;
import io.finops4j.api.spi.TokenEstimator;
import io.finops4j.telemetry.Telemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What telemetry adds to one call: the events the engine fires for a stub call (routes, records one
 * attempt, returns a priced completion), against the stub chain alone ({@code none}).
 *
 * <ul>
 *   <li>{@code none}: no telemetry, the baseline to subtract</li>
 *   <li>{@code noop}: {@code OpenTelemetry.noop()} and an empty composite registry: nothing to report to, so no
 *       span and no meters (the log line's level check and the call's facts remain)</li>
 *   <li>{@code noop-simple}: {@code OpenTelemetry.noop()} (no span) and a {@code SimpleMeterRegistry}: the
 *       Micrometer meters alone</li>
 *   <li>{@code sdk-simple}: the OpenTelemetry SDK (every span sampled, simple processor, in-memory exporter
 *       emptied every 1,024 spans, in-memory metric reader) and a {@code SimpleMeterRegistry} (which reports,
 *       so the metrics are Micrometer's and the OpenTelemetry metrics stay off: each is exported once)</li>
 * </ul>
 *
 * <p>The SDK is built reflectively, so this module compiles without it; the {@code sdk-simple} case needs
 * {@code opentelemetry-sdk} and {@code opentelemetry-sdk-testing} on the benchmark's runtime class path.
 *
 * <pre>
 * ./mvnw -q -B -Pbenchmarks -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar TelemetryBenchmark -f 1 -wi 3 -w 2s -i 3 -r 2s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TelemetryBenchmark {

  @Param({"none", "noop", "noop-simple", "sdk-simple"})
  public String setup;

  private static final ModelId MINI = ModelId.parse("openai/gpt-5-mini");
  private static final Route ROUTE = new Route("small", List.of(MINI), List.of("task classification -> small"));
  private static final Attempt ATTEMPT = new Attempt(MINI, "ok", 200, 180_000_000L, "req-1");
  private static final Completion COMPLETION = Completion.builder().text("positive").model(MINI).tier("small")
      .usage(Usage.of(1200, 3)).costUsd(new BigDecimal("0.000306")).finishReason("stop").requestId("chatcmpl-1")
      .build();

  private CallEventListener.Factory telemetry;
  private CompletionRequest[] requests;
  private int next;
  private AutoCloseable sdk;
  private Object spanExporter;
  private Method resetSpans;

  @Setup
  public void setUp() throws Exception {
    requests = new CompletionRequest[128];
    for (int i = 0; i < requests.length; i++) {
      // 128 customers, more than the default top 20: the guard folds most of them
      requests[i] = CompletionRequest.builder("classification", Prompt.of("Is this review positive? " + i))
          .attribution(Attribution.builder().customer("customer-" + i).feature("reviews").user("user-" + i).build())
          .build();
    }
    OpenTelemetry otel = OpenTelemetry.noop();
    MeterRegistry registry = new CompositeMeterRegistry();
    switch (setup) {
      case "none":
        telemetry = CallEventListener.factory(CallEventListener.NONE);
        return;
      case "noop":
        break;
      case "noop-simple":
        registry = new SimpleMeterRegistry();
        break;
      case "sdk-simple":
        otel = sdk();
        registry = new SimpleMeterRegistry();
        break;
      default:
        throw new IllegalArgumentException("unknown setup " + setup);
    }
    telemetry = Telemetry.builder().openTelemetry(otel).meterRegistry(registry).build();
  }

  @TearDown
  public void tearDown() throws Exception {
    if (sdk != null) {
      sdk.close();
    }
  }

  @Benchmark
  public Completion call() throws Exception {
    int n = next++;
    int i = n & (requests.length - 1);
    if (spanExporter != null && (n & 1023) == 0) {
      resetSpans.invoke(spanExporter); // keep the exporter's memory flat
    }
    CompletionRequest request = requests[i];
    Ctx context = new Ctx("call-" + i);
    // what the engine fires for a call routed to one model that answers on the first attempt
    CallEventListener events = telemetry.create(context);
    events.callStart(context, request);
    context.route(ROUTE);
    events.routeSelected(context, ROUTE);
    events.attemptStart(context, request, ROUTE.primary(), null);
    context.addAttempt(ATTEMPT);
    events.attemptEnd(context, ATTEMPT, null);
    events.callEnd(context, COMPLETION, null);
    return COMPLETION;
  }

  /** OpenTelemetrySdk with a simple span processor into an in-memory exporter, and an in-memory metric reader. */
  private OpenTelemetry sdk() throws Exception {
    Class<?> exporterType = load("io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter");
    spanExporter = exporterType.getMethod("create").invoke(null);
    resetSpans = exporterType.getMethod("reset");
    Class<?> spanExporterType = load("io.opentelemetry.sdk.trace.export.SpanExporter");
    Object processor = load("io.opentelemetry.sdk.trace.export.SimpleSpanProcessor")
        .getMethod("create", spanExporterType).invoke(null, spanExporter);
    Object tracerBuilder = load("io.opentelemetry.sdk.trace.SdkTracerProvider").getMethod("builder").invoke(null);
    tracerBuilder.getClass().getMethod("addSpanProcessor", load("io.opentelemetry.sdk.trace.SpanProcessor"))
        .invoke(tracerBuilder, processor);
    Object tracerProvider = tracerBuilder.getClass().getMethod("build").invoke(tracerBuilder);
    Object reader = load("io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader").getMethod("create")
        .invoke(null);
    Object meterBuilder = load("io.opentelemetry.sdk.metrics.SdkMeterProvider").getMethod("builder").invoke(null);
    meterBuilder.getClass().getMethod("registerMetricReader", load("io.opentelemetry.sdk.metrics.export.MetricReader"))
        .invoke(meterBuilder, reader);
    Object meterProvider = meterBuilder.getClass().getMethod("build").invoke(meterBuilder);
    Object sdkBuilder = load("io.opentelemetry.sdk.OpenTelemetrySdk").getMethod("builder").invoke(null);
    sdkBuilder.getClass().getMethod("setTracerProvider", load("io.opentelemetry.sdk.trace.SdkTracerProvider"))
        .invoke(sdkBuilder, tracerProvider);
    sdkBuilder.getClass().getMethod("setMeterProvider", load("io.opentelemetry.sdk.metrics.SdkMeterProvider"))
        .invoke(sdkBuilder, meterProvider);
    Object otel = sdkBuilder.getClass().getMethod("build").invoke(sdkBuilder);
    sdk = (AutoCloseable) otel;
    return (OpenTelemetry) otel;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("setup sdk-simple needs io.opentelemetry:opentelemetry-sdk and "
          + "opentelemetry-sdk-testing on the benchmarks' class path (missing " + name + ")", e);
    }
  }

  /** The per-call context the engine would build. */
  static final class Ctx implements CallContext {
    private final String callId;
    private Route route;
    private final List<Attempt> attempts = new ArrayList<>(2);

    Ctx(String callId) {
      this.callId = callId;
    }

    @Override public String callId() { return callId; }
    @Override public Clock clock() { return Clock.systemUTC(); }
    @Override public long startNanos() { return 0; }
    @Override public Pricing pricing() { throw new UnsupportedOperationException(); }
    @Override public TokenEstimator tokens() { throw new UnsupportedOperationException(); }
    @Override public BudgetView budgets() { return BudgetView.NONE; }
    @Override public Route route() { return route; }
    @Override public void route(Route r) { route = r; }
    @Override public Llm.TextListener textListener() { return null; }
    @Override public List<Attempt> attempts() { return attempts; }
    @Override public void addAttempt(Attempt a) { attempts.add(a); }
    @Override public CallEventListener listener() { return CallEventListener.NONE; }
  }
}
