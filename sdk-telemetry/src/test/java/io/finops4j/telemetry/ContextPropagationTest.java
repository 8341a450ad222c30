package io.finops4j.telemetry;

import static io.finops4j.telemetry.Harness.MINI;
import static io.finops4j.telemetry.Harness.completion;
import static io.finops4j.telemetry.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContextPropagationTest {

  private final Harness h = new Harness();
  private final Telemetry telemetry = h.builder().build();
  private final Tracer appTracer = h.otel.getTracer("app");
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() {
    pool.shutdownNow();
    h.close();
  }

  /** The rest of the chain: routes, and opens a span as an HTTP client instrumentation would. */
  private Completion rest() {
    return h.call(telemetry, request("classification", Attribution.of("acme", "chat")), h.context("c"), 1_000L,
        (r, c) -> {
          c.route(new Route("small", List.of(MINI), List.of()));
          Span http = appTracer.spanBuilder("POST").startSpan();
          http.end();
          return completion(MINI, Usage.of(10, 2), "0.00001");
        });
  }

  @Test
  void syncCallSpanIsAChildOfTheCallersSpanAndTheParentOfDownstreamSpans() {
    Span outer = appTracer.spanBuilder("handle request").startSpan();
    try (Scope ignored = outer.makeCurrent()) {
      rest();
    } finally {
      outer.end();
    }
    assertFamily();
    assertThat(Span.current().getSpanContext().isValid()).isFalse(); // scope restored
  }

  @Test
  void asyncCallOnAContextWrappingExecutorKeepsTheCallersParent() throws Exception {
    ExecutorService wrapped = Context.taskWrapping(pool);
    Span outer = appTracer.spanBuilder("handle request").startSpan();
    Future<Completion> f;
    try (Scope ignored = outer.makeCurrent()) {
      f = wrapped.submit(this::rest);
    } finally {
      outer.end();
    }
    f.get();
    assertFamily();
  }

  @Test
  void asyncCallThroughTheWrapHelperKeepsTheCallersParent() throws Exception {
    Span outer = appTracer.spanBuilder("handle request").startSpan();
    CompletableFuture<Completion> f;
    try (Scope ignored = outer.makeCurrent()) {
      f = CompletableFuture.supplyAsync(Telemetry.wrap(this::rest), pool);
    } finally {
      outer.end();
    }
    f.get();
    assertFamily();
  }

  @Test
  void withoutPropagationTheAsyncSpanIsARootSoTheTestAbovesCanFail() throws Exception {
    Span outer = appTracer.spanBuilder("handle request").startSpan();
    Future<Completion> f;
    try (Scope ignored = outer.makeCurrent()) {
      f = pool.submit(this::rest);
    } finally {
      outer.end();
    }
    f.get();
    assertThat(h.span("chat gpt-5-mini").getParentSpanContext().isValid()).isFalse();
  }

  private void assertFamily() {
    SpanData outer = h.span("handle request");
    SpanData call = h.span("chat gpt-5-mini");
    SpanData http = h.span("POST");
    assertThat(call.getTraceId()).isEqualTo(outer.getTraceId());
    assertThat(call.getParentSpanId()).isEqualTo(outer.getSpanId());
    assertThat(http.getParentSpanId()).isEqualTo(call.getSpanId());
  }
}
