package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attempt;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.Route;
import io.finops4j.api.UnknownTaskException;
import io.finops4j.api.spi.BudgetOvershoot;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CacheLookup;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.api.spi.CapCheck;
import io.finops4j.core.ConfigLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each typed call event, end to end on the real engine (the offline simulator provider): a user listener, the
 * call's span and the meters all see it, since telemetry is a listener of the same events.
 */
class CallEventsEndToEndTest {

  private static final String YAML = """
      finops4j:
        providers:
          simulator: { seed: 7 }
        tiers:
          small: [simulator/gpt-5-mini]
        tasks:
          faq: { tier: small, max-output-tokens: 300, cache: { ttl: 1h } }
          summarize: { tier: small, max-output-tokens: 4000, max-cost-per-request: 0.001 }
        budgets:
          - { id: acme-day, scope: customer, limit: 1.00, period: day, alert-at: [0.000001] }
      """;
  private static final Attribution ACME = Attribution.of("acme", "help");
  private static final AttributeKey<Long> ATTEMPT_INDEX = AttributeKey.longKey("finops4j.attempt.index");

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  /** Every event a user listener heard, in order, as its name and value. */
  private final List<Object[]> heard = new ArrayList<>();
  private final Llm llm = Finops4j.builder().openTelemetry(otel).meterRegistry(meters)
      .eventListener(call -> new Recorder())
      .config(ConfigLoader.load(new ByteArrayInputStream(YAML.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
      .build();

  @AfterEach
  void close() {
    llm.close();
    otel.close();
  }

  private final class Recorder extends CallEventListener {
    private void hear(String name, Object value) {
      heard.add(new Object[] {name, value});
    }

    @Override public void callStart(CallContext c, CompletionRequest r) { hear("callStart", r); }
    @Override public void routeSelected(CallContext c, Route r) { hear("routeSelected", r); }
    @Override public void cacheLookup(CallContext c, CacheLookup l) { hear("cacheLookup", l); }
    @Override public void capChecked(CallContext c, CapCheck check) { hear("capChecked", check); }
    @Override public void budgetReserved(CallContext c, List<BudgetView.BudgetUsage> usages) {
      usages.forEach(u -> hear("budgetReserved", u));
    }
    @Override public void budgetOvershoot(CallContext c, BudgetOvershoot o) { hear("budgetOvershoot", o); }
    @Override public void thresholdCrossed(CallContext c, BudgetView.BudgetUsage u, double t) {
      hear("thresholdCrossed", u);
    }
    @Override public void attemptStart(CallContext c, CompletionRequest r, ModelId m, java.net.URI s) {
      hear("attemptStart", r);
    }
    @Override public void attemptEnd(CallContext c, Attempt a, java.net.URI s) { hear("attemptEnd", a); }
    @Override public void callEnd(CallContext c, Completion completion, CallRecord record) { hear("callEnd", record); }
    @Override public void callFailed(CallContext c, RuntimeException e, CallRecord record) {
      hear("callFailed", record);
    }
  }

  private <T> List<T> heard(String name, Class<T> type) {
    return heard.stream().filter(e -> e[0].equals(name)).map(e -> type.cast(e[1])).toList();
  }

  private List<String> names() {
    return heard.stream().map(e -> (String) e[0]).toList();
  }

  private SpanData callSpan() {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getAttributes().get(ATTEMPT_INDEX) == null)
        .reduce((a, b) -> b).orElseThrow();
  }

  private static EventData event(SpanData span, String name) {
    return span.getEvents().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no event " + name + " in " + span.getEvents()));
  }

  @Test
  void aPlainCallFiresEveryStepInOrder() {
    llm.complete("faq", Prompt.of("Where is my invoice?"), ACME);
    assertThat(names()).containsExactly("callStart", "routeSelected", "cacheLookup", "budgetReserved",
        "attemptStart", "attemptEnd", "thresholdCrossed", "callEnd");
  }

  @Test
  void routeSelected() {
    llm.complete("faq", Prompt.of("Where is my invoice?"), ACME);
    assertThat(heard("routeSelected", Route.class)).singleElement()
        .satisfies(r -> assertThat(r.reason()).isEqualTo("task faq -> small"));
    assertThat(callSpan().getAttributes().get(AttributeKey.stringKey("finops4j.route.reason")))
        .isEqualTo("task faq -> small");
    assertThat(meters.get("finops4j.calls").tag("task", "faq").tag("model", "simulator/gpt-5-mini").counter()
        .count()).isEqualTo(1.0);
  }

  @Test
  void cacheLookup() {
    llm.complete("faq", Prompt.of("Where is my invoice?"), ACME);
    llm.complete("faq", Prompt.of("Where is my invoice?"), ACME);
    assertThat(heard("cacheLookup", CacheLookup.class)).extracting(CacheLookup::status)
        .containsExactly(CacheLookup.Status.MISS, CacheLookup.Status.HIT);
    assertThat(heard("cacheLookup", CacheLookup.class).get(1).match()).isEqualTo("exact");
    assertThat(callSpan().getAttributes().get(AttributeKey.stringKey("finops4j.cache.status"))).isEqualTo("hit");
    assertThat(meters.get("finops4j.cache.requests").tag("result", "hit").counter().count()).isEqualTo(1.0);
    assertThat(meters.get("finops4j.cache.requests").tag("result", "miss").counter().count()).isEqualTo(1.0);
  }

  @Test
  void capChecked() {
    Completion c = llm.complete("summarize", Prompt.of("Summarize the quarter."), ACME);
    CapCheck check = heard("capChecked", CapCheck.class).get(0);
    assertThat(check.cap()).isEqualTo("task summarize");
    assertThat(check.maxOutputTokensRequested()).isEqualTo(4000);
    assertThat(check.clamped()).isTrue();
    EventData clamped = event(callSpan(), "finops4j.cost_cap.clamped");
    assertThat(clamped.getAttributes().get(AttributeKey.stringKey("finops4j.max_output_tokens")))
        .isEqualTo(String.valueOf(check.maxOutputTokens()));
    assertThat(callSpan().getAttributes().get(AttributeKey.longKey("gen_ai.request.max_tokens")))
        .isEqualTo(check.maxOutputTokens());
    // the cap held: what the meter counted is within it
    assertThat(meters.get("finops4j.cost").counter().count()).isEqualTo(c.costUsd().doubleValue())
        .isLessThanOrEqualTo(0.001);
  }

  @Test
  void budgetReservedAndThresholdCrossed() {
    Completion c = llm.complete("faq", Prompt.of("Where is my invoice?"), ACME);
    BudgetView.BudgetUsage reserved = heard("budgetReserved", BudgetView.BudgetUsage.class).get(0);
    assertThat(reserved.budgetId()).isEqualTo("acme-day");
    assertThat(reserved.reserved()).isPositive();
    BudgetView.BudgetUsage after = heard("thresholdCrossed", BudgetView.BudgetUsage.class).get(0);
    assertThat(after.spent()).isEqualByComparingTo(c.costUsd());
    EventData threshold = event(callSpan(), "finops4j.budget.threshold");
    assertThat(threshold.getAttributes().get(AttributeKey.stringKey("finops4j.budget"))).isEqualTo("acme-day");
    assertThat(meters.get("finops4j.budget.utilization").tag("budget", "acme-day").gauge().value())
        .isEqualTo(after.utilization());
  }

  @Test
  void attemptStartAndEnd() {
    llm.complete("faq", Prompt.of("Where is my invoice?"), ACME);
    Attempt attempt = heard("attemptEnd", Attempt.class).get(0);
    assertThat(attempt.succeeded()).isTrue();
    assertThat(heard("attemptStart", CompletionRequest.class).get(0).maxOutputTokens()).isEqualTo(300);
    SpanData span = spans.getFinishedSpanItems().stream().filter(s -> s.getAttributes().get(ATTEMPT_INDEX) != null)
        .findFirst().orElseThrow();
    assertThat(span.getParentSpanId()).isEqualTo(callSpan().getSpanId());
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(meters.get("finops4j.call.duration").tag("outcome", "ok").timer().count()).isEqualTo(1);
    assertThat(meters.get("finops4j.call.duration").timer().totalTime(TimeUnit.NANOSECONDS))
        .isGreaterThanOrEqualTo(attempt.latencyNanos());
  }

  @Test
  void callEnd() {
    Completion c = llm.complete("faq", Prompt.of("Where is my invoice?"), ACME);
    CallRecord record = heard("callEnd", CallRecord.class).get(0);
    assertThat(record.callId()).isEqualTo(c.callId());
    assertThat(record.costUsd()).isEqualByComparingTo(c.costUsd());
    assertThat(record.cacheStatus()).isEqualTo("miss");
    assertThat(callSpan().getAttributes().get(AttributeKey.doubleKey("finops4j.cost.usd")))
        .isEqualTo(c.costUsd().doubleValue());
    assertThat(meters.get("finops4j.cost").tag("customer", "acme").counter().count())
        .isEqualTo(c.costUsd().doubleValue());
  }

  @Test
  void withTheApplicationsObservationRegistryEachCallIsOneObservation() {
    io.micrometer.observation.ObservationRegistry observations = io.micrometer.observation.ObservationRegistry.create();
    SimpleMeterRegistry appMeters = new SimpleMeterRegistry();
    observations.observationConfig().observationHandler(
        new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(appMeters));
    try (Llm observed = Finops4j.builder().openTelemetry(otel).meterRegistry(appMeters)
        .observationRegistry(observations).eventListener(call -> new Recorder())
        .config(ConfigLoader.load(new ByteArrayInputStream(YAML.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
        .build()) {
      observed.complete("faq", Prompt.of("Where is my invoice?"), ACME);
    }
    assertThat(appMeters.get("gen_ai.client.operation").tag("gen_ai.request.model", "gpt-5-mini")
        .tag("finops4j.task.type", "faq").timer().count()).isEqualTo(1);
    assertThat(appMeters.get("finops4j.attempt").timer().count()).isEqualTo(1);
    assertThat(appMeters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").counter().count())
        .isPositive();
    // the Observation is the span and the timer: finops4j makes no OpenTelemetry span of its own
    assertThat(spans.getFinishedSpanItems()).isEmpty();
    assertThat(names()).contains("callEnd");
  }

  @Test
  void budgetOvershoot() throws Exception {
    // The task allows 50 output tokens and the provider billed 79 (a recorded response, cited in
    // fixtures/SOURCES.md): the worst case reserved was too small.
    try (mockwebserver3.MockWebServer openai = new mockwebserver3.MockWebServer()) {
      openai.start();
      openai.enqueue(new mockwebserver3.MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
          .body(PricingReplayTest.fixture("openai-gpt-4o-mini-79-output-tokens.json")).build());
      String yaml = """
          finops4j:
            providers:
              openai: { api-key: test-key, base-url: "%s" }
            tiers:
              small: [openai/gpt-4o-mini]
            tasks:
              classification: { tier: small, max-output-tokens: 50 }
            budgets:
              - { id: acme-day, scope: customer, limit: 1.00, period: day }
          """.formatted(openai.url("/v1"));
      try (Llm overshooting = Finops4j.builder().openTelemetry(otel).meterRegistry(meters)
          .eventListener(call -> new Recorder())
          .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
          .build()) {
        overshooting.complete("classification", Prompt.of("My invoice is wrong"), ACME);
      }
    }
    // gpt-4o-mini: 54 x 0.15 / 1e6 + 79 x 0.60 / 1e6 = 0.0000555 USD charged; at most 50 x 0.60 / 1e6 of output
    // was reserved, with the prompt's estimate
    BudgetOvershoot o = heard("budgetOvershoot", BudgetOvershoot.class).get(0);
    assertThat(o.costUsd()).isEqualByComparingTo("0.0000555");
    assertThat(o.worstCaseUsd()).isLessThan(o.costUsd());
    assertThat(o.tokens()).isEqualTo(133);
    assertThat(names()).containsSubsequence("attemptEnd", "budgetOvershoot", "callEnd");
    EventData event = event(callSpan(), "finops4j.budget.overshoot");
    assertThat(new BigDecimal(event.getAttributes().get(AttributeKey.stringKey("finops4j.cost_usd"))))
        .isEqualByComparingTo("0.0000555");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("finops4j.worst_case_usd")))
        .isEqualTo(o.worstCaseUsd().toPlainString());
    assertThat(meters.get("finops4j.budget.overshoots").tag("task", "classification")
        .tag("model", "openai/gpt-4o-mini").counter().count()).isEqualTo(1.0);
  }

  @Test
  void callFailed() {
    assertThatThrownBy(() -> llm.complete("no-such-task", Prompt.of("hi"), ACME))
        .isInstanceOf(UnknownTaskException.class);
    CallRecord record = heard("callFailed", CallRecord.class).get(0);
    assertThat(record.outcome()).isEqualTo(CallRecord.ERROR);
    assertThat(record.costUsd()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(callSpan().getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(meters.get("finops4j.calls").tag("outcome", "error").counter().count()).isEqualTo(1.0);
  }
}
