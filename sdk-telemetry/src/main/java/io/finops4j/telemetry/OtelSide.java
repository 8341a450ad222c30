package io.finops4j.telemetry;

import io.finops4j.api.Attempt;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelId;
import io.finops4j.api.spi.CallContext;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.function.Supplier;

/**
 * The OpenTelemetry side of telemetry: spans and metrics through the application's {@link OpenTelemetry}, or the
 * global one once the application registered it. Only loaded when the OpenTelemetry API is on the class path.
 */
final class OtelSide {

  /** {@code GlobalOpenTelemetry.isSet()}, from API 1.62 on; {@code null} before. */
  private static final MethodHandle IS_SET = isSetHandle();
  /** Before 1.62: the global's private field, read without {@code get()} pinning a no-op; may be null. */
  private static final Field GLOBAL = IS_SET != null ? null : globalField();

  private final boolean captureContent;
  /** The bound instance: at build time when given, else once a global instance is registered. */
  private volatile Bound bound;

  /** The tracer and meter side of one {@link OpenTelemetry}. */
  record Bound(CallSpans spans, OtelMetrics metrics) {
    Bound(OpenTelemetry otel, boolean captureContent) {
      this(new CallSpans(otel.tracerBuilder(TelemetryNames.SCOPE).setInstrumentationVersion(VERSION)
              .setSchemaUrl(TelemetryNames.SCHEMA_URL).build(), captureContent),
          new OtelMetrics(otel.meterBuilder(TelemetryNames.SCOPE).setInstrumentationVersion(VERSION)
              .setSchemaUrl(TelemetryNames.SCHEMA_URL).build()));
    }
  }

  /** finops4j's version, from the jar's manifest; "dev" when run from classes (tests in this build). */
  static final String VERSION = version();

  private static String version() {
    String v = OtelSide.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  /**
   * A started call span, current on the calling thread until {@link #closeScope()}; while an attempt runs, the
   * attempt's span is current instead. One call, one thread: not thread-safe.
   */
  static final class Started {
    private final Bound bound;
    private final Span span;
    private final Scope scope;
    private Span attempt;
    private Scope attemptScope;
    private int attempts;

    Started(Bound bound, Span span, Scope scope) {
      this.bound = bound;
      this.span = span;
      this.scope = scope;
    }

    Bound bound() {
      return bound;
    }

    Span span() {
      return span;
    }

    /** Opens the next attempt's span and makes it current (ending one still open, should an end be missed). */
    void startAttempt(ModelId model, long startEpochNanos) {
      if (attempt != null) {
        endAttempt(new Attempt(model, "abandoned", 0, 0, null), null, startEpochNanos);
      }
      if (!span.isRecording()) {
        // a call that is not sampled (or a no-op OpenTelemetry): no attempt span to record, and the HTTP client's
        // spans nest under the call's context as they are
        attempts++;
        return;
      }
      attempt = bound.spans().startAttempt(span, model, attempts++, startEpochNanos);
      attemptScope = attempt.makeCurrent();
    }

    void endAttempt(Attempt a, URI server, long endEpochNanos) {
      if (attempt == null) {
        return; // an attempt reported without a start (e.g. a batch item): no span of its own
      }
      Span s = attempt;
      attempt = null;
      attemptScope.close();
      CallSpans.endAttempt(s, a, server, endEpochNanos);
    }

    /** Leaves the call's context: the thread's context is as it was before the call. */
    void closeScope() {
      if (attempt != null) {
        attemptScope.close();
        attempt.end();
        attempt = null;
      }
      scope.close();
    }
  }

  OtelSide(OpenTelemetry explicit, boolean captureContent) {
    this.captureContent = captureContent;
    this.bound = explicit != null ? new Bound(explicit, captureContent) : null;
  }

  /**
   * Starts the call's span and makes it current; null while there is no OpenTelemetry to record to (none given and
   * no global one registered yet): a no-op span, its scope and no-op metrics would be work for nothing on every
   * call, and the caller's own context already carries whatever span it is in.
   */
  Started start(CompletionRequest request, CallContext context, long startEpochNanos) {
    Bound b = bound();
    if (b == null) {
      return null;
    }
    Span span = b.spans().start(request, context, startEpochNanos);
    // A no-op tracer (a global registered as the no-op) outside any span hands out the invalid span: making it
    // current would build a context and a scope per call for a thread whose current span is already an invalid one
    boolean nothingToCarry = !span.getSpanContext().isValid() && !Span.current().getSpanContext().isValid();
    return new Started(b, span, nothingToCarry ? Scope.noop() : span.makeCurrent());
  }

  /** Ends the call's span; records the OpenTelemetry metrics too when {@code metrics} (no Micrometer reports). */
  static void finish(Started started, CallFacts facts, MetricTags tags, long endEpochNanos, boolean metrics) {
    try {
      started.bound().spans().finish(started.span(), facts, endEpochNanos);
      if (metrics) {
        started.bound().metrics().record(facts, tags);
      }
    } catch (RuntimeException e) {
      started.span().end(); // in case the failure came before the span was ended; a second end() is ignored
      throw e;
    }
  }

  void budgetUtilization(String budget, double utilization) {
    Bound b = bound();
    if (b != null) {
      b.metrics().budgetUtilization(budget, utilization);
    }
  }

  void budgetOvershoot(String task, String model) {
    Bound b = bound();
    if (b != null) {
      b.metrics().budgetOvershoot(task, model);
    }
  }

  static Runnable wrap(Runnable runnable) {
    return Context.current().wrap(runnable);
  }

  static <T> Supplier<T> wrap(Supplier<T> supplier) {
    return Context.current().wrapSupplier(supplier);
  }

  /** The OpenTelemetry to record to; null while there is none (see {@link #start}). */
  private Bound bound() {
    Bound b = bound;
    if (b != null) {
      return b;
    }
    // GlobalOpenTelemetry.get() before the application's set() would pin a no-op for good: only bind once set
    if (globalIsSet()) {
      b = new Bound(GlobalOpenTelemetry.get(), captureContent);
      bound = b;
      return b;
    }
    return null;
  }

  private static boolean globalIsSet() {
    try {
      if (IS_SET != null) {
        return (boolean) IS_SET.invokeExact();
      }
      if (GLOBAL != null) {
        return GLOBAL.get(null) != null;
      }
    } catch (Throwable e) { // a MethodHandle declares Throwable; neither call throws
      return true;
    }
    return true; // cannot tell without binding: bind now, as instrumentation libraries do
  }

  private static MethodHandle isSetHandle() {
    try {
      return MethodHandles.publicLookup().findStatic(GlobalOpenTelemetry.class, "isSet",
          MethodType.methodType(boolean.class));
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private static Field globalField() {
    try {
      Field f = GlobalOpenTelemetry.class.getDeclaredField("globalOpenTelemetry");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) { // absent, or the module does not open it
      return null;
    }
  }
}
