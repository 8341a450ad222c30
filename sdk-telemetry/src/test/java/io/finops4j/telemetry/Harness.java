package io.finops4j.telemetry;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.Usage;
import io.finops4j.api.Attempt;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.TestCall;
import java.net.URI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/** An OpenTelemetry SDK with in-memory exporters, a Micrometer registry, a fixed clock and a hand-moved ticker. */
final class Harness implements AutoCloseable {

  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  static final long NOW_NANOS = NOW.getEpochSecond() * 1_000_000_000L;
  static final ModelId MINI = ModelId.parse("openai/gpt-5-mini");
  static final ModelId HAIKU = ModelId.parse("anthropic/claude-haiku-4-5");

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
      .build();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final AtomicLong ticker = new AtomicLong(1_000_000L);

  Telemetry.Builder builder() {
    return Telemetry.builder().openTelemetry(otel).meterRegistry(registry).clock(clock)
        .ticker(ticker::get);
  }

  /** The request of the call running, as its attempts send it. */
  private CompletionRequest sent;

  TestCall context(String callId) {
    return TestCall.withId(callId).clock(clock);
  }

  /**
   * Runs one call with {@code telemetry} listening, as the engine does (callStart, the pipeline, callEnd or
   * callFailed); the pipeline first moves the ticker by {@code nanos}, then plays {@code rest}.
   */
  Completion call(Telemetry telemetry, CompletionRequest request, TestCall context, long nanos,
      BiFunction<CompletionRequest, CallContext, Completion> rest) {
    context.listenedBy(telemetry);
    sent = request;
    return context.run(chain -> chain.proceed(chain.request()), request, (r, c) -> {
      ticker.addAndGet(nanos);
      return rest.apply(r, c);
    });
  }

  /** One provider attempt as the engine reports it: started, taking its latency on the ticker, ended. */
  void attempt(CallContext c, Attempt a, URI server) {
    c.listener().attemptStart(c, sent, a.model(), server);
    ticker.addAndGet(a.latencyNanos());
    c.addAttempt(a);
    c.listener().attemptEnd(c, a, server);
  }

  List<SpanData> spans() {
    return spans.getFinishedSpanItems();
  }

  SpanData span(String name) {
    // a call span and its attempt span share a name: the call's (the root) comes first
    return spans().stream().filter(s -> s.getName().equals(name))
        .sorted(java.util.Comparator.comparing(s -> s.getParentSpanContext().isValid())).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans()));
  }

  MetricData metric(String name) {
    return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  static CompletionRequest request(String task, Attribution attribution) {
    return CompletionRequest.builder(task, Prompt.of("hello")).attribution(attribution).build();
  }

  static Completion completion(ModelId model, Usage usage, String costUsd) {
    return Completion.builder().text("hi there").model(model).tier("small").usage(usage)
        .costUsd(new BigDecimal(costUsd)).finishReason("stop").callId("c1").requestId("req_abc")
        .responseId("chatcmpl-123").build();
  }

  @Override
  public void close() {
    otel.close();
  }
}
