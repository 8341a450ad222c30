package io.finops4j.telemetry;

import io.finops4j.api.spi.TestCall;
import static io.finops4j.telemetry.Harness.HAIKU;
import static io.finops4j.telemetry.Harness.MINI;
import static io.finops4j.telemetry.Harness.NOW_NANOS;
import static io.finops4j.telemetry.Harness.completion;
import static io.finops4j.telemetry.Harness.request;
import static io.finops4j.telemetry.TelemetryNames.*;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_OPERATION_NAME;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_PROVIDER_NAME;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_REQUEST_MODEL;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_RESPONSE_MODEL;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_RESPONSE_ID;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_RESPONSE_FINISH_REASONS;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_REQUEST_MAX_TOKENS;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_REQUEST_TEMPERATURE;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_USAGE_INPUT_TOKENS;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_USAGE_OUTPUT_TOKENS;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_TOKEN_TYPE;
import static io.finops4j.telemetry.OtelKeys.ERROR_TYPE;
import static io.finops4j.telemetry.OtelKeys.SERVER_ADDRESS;
import static io.finops4j.telemetry.OtelKeys.SERVER_PORT;
import static io.finops4j.telemetry.OtelKeys.HTTP_RESPONSE_STATUS_CODE;
import static io.finops4j.telemetry.OtelKeys.CACHE_STATUS;
import static io.finops4j.telemetry.OtelKeys.CUSTOMER;
import static io.finops4j.telemetry.OtelKeys.BUDGET_ID;
import static io.finops4j.telemetry.OtelKeys.BUDGET_KEY;
import static io.finops4j.telemetry.OtelKeys.BUDGET_LIMIT;
import static io.finops4j.telemetry.OtelKeys.BUDGET_RESETS_AT;
import static io.finops4j.telemetry.OtelKeys.CAP;
import static io.finops4j.telemetry.OtelKeys.CAP_LIMIT_USD;
import static io.finops4j.telemetry.OtelKeys.CAP_CALLS;
import static io.finops4j.telemetry.OtelKeys.REJECTION_REASON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.finops4j.api.Attempt;
import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.BudgetView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TelemetryTest {

  private final Harness h = new Harness();
  private final Telemetry telemetry = h.builder().build();
  /**
   * The same, with a Micrometer registry that reports nowhere (an empty composite, as Micrometer's global registry
   * is until something is added to it): the OpenTelemetry metrics are recorded then, and only then.
   */
  private final Telemetry otelMetrics = h.builder().meterRegistry(new CompositeMeterRegistry()).build();
  private static final Attribution ACME = Attribution.builder().customer("acme").feature("support-chat")
      .workflow("run-42").user("u-7").team("care").build();
  private static final Route SMALL = new Route("small", List.of(MINI, HAIKU), List.of("task classification -> small"));

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void plainCallSpanCarriesGenAiAndFinopsAttributes() {
    CompletionRequest req = CompletionRequest.builder("classification", Prompt.of("hello"))
        .attribution(ACME).maxOutputTokens(50).temperature(0.2).build();
    TestCall ctx = h.context("call-1");
    Usage usage = Usage.builder().inputTokens(1200).outputTokens(40).cachedInputTokens(1000).cacheWriteTokens(150)
        .reasoningTokens(10).build();
    Completion answer = completion(MINI, usage, "0.000123").toBuilder().servedModel("gpt-5-mini-2025-08-07").build();

    Completion got = h.call(telemetry, req, ctx, 10_000_000L, (r, c) -> {
      c.route(SMALL);
      h.attempt(c, new Attempt(MINI, "ok", 200, 240_000_000L, "req-1"), URI.create("https://api.openai.com/v1"));
      return answer;
    });

    assertThat(got).isSameAs(answer);
    SpanData span = h.span("chat gpt-5-mini");
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.getStartEpochNanos()).isEqualTo(NOW_NANOS);
    // the scope says who emitted it, which version, and which conventions its names follow
    assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo("io.finops4j");
    assertThat(span.getInstrumentationScopeInfo().getVersion()).isNotBlank();
    assertThat(span.getInstrumentationScopeInfo().getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.37.0");
    assertThat(span.getEndEpochNanos()).isEqualTo(NOW_NANOS + 250_000_000L);
    Attributes a = span.getAttributes();
    assertThat(a.get(GEN_AI_OPERATION_NAME)).isEqualTo("chat");
    assertThat(a.get(GEN_AI_PROVIDER_NAME)).isEqualTo("openai");
    assertThat(a.get(AttributeKey.stringKey("gen_ai.system"))).isNull();
    assertThat(a.get(GEN_AI_REQUEST_MODEL)).isEqualTo("gpt-5-mini");
    // the snapshot that served the call; finops4j.model is the catalog model it was priced as
    assertThat(a.get(GEN_AI_RESPONSE_MODEL)).isEqualTo("gpt-5-mini-2025-08-07");
    // the response's own id, not the request-id header (that one has its own attribute)
    assertThat(a.get(GEN_AI_RESPONSE_ID)).isEqualTo("chatcmpl-123");
    assertThat(a.get(AttributeKey.stringKey("finops4j.provider.request_id"))).isEqualTo("req_abc");
    assertThat(a.get(GEN_AI_RESPONSE_FINISH_REASONS)).containsExactly("stop");
    assertThat(a.get(GEN_AI_REQUEST_MAX_TOKENS)).isEqualTo(50L);
    assertThat(a.get(GEN_AI_REQUEST_TEMPERATURE)).isEqualTo(0.2);
    assertThat(a.get(GEN_AI_USAGE_INPUT_TOKENS)).isEqualTo(1200L);
    assertThat(a.get(GEN_AI_USAGE_OUTPUT_TOKENS)).isEqualTo(40L);
    assertThat(a.get(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"))).isEqualTo(1000L);
    assertThat(a.get(AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens"))).isEqualTo(150L);
    assertThat(a.get(SERVER_ADDRESS)).isEqualTo("api.openai.com");
    assertThat(a.get(SERVER_PORT)).isEqualTo(443L);
    assertThat(a.get(AttributeKey.doubleKey("finops4j.cost.usd"))).isEqualTo(0.000123);
    assertThat(a.get(AttributeKey.doubleKey("finops4j.saved.usd"))).isEqualTo(0.0);
    assertThat(a.get(AttributeKey.booleanKey("finops4j.cost.estimated"))).isFalse();
    assertThat(a.get(AttributeKey.stringKey("finops4j.task.type"))).isEqualTo("classification");
    assertThat(a.get(AttributeKey.stringKey("finops4j.tier"))).isEqualTo("small");
    assertThat(a.get(AttributeKey.stringKey("finops4j.route.reason"))).isEqualTo("task classification -> small");
    assertThat(a.get(AttributeKey.stringKey("finops4j.cache.status"))).isEqualTo("miss");
    assertThat(a.get(AttributeKey.stringKey("finops4j.customer"))).isEqualTo("acme");
    assertThat(a.get(AttributeKey.stringKey("finops4j.feature"))).isEqualTo("support-chat");
    assertThat(a.get(AttributeKey.stringKey("finops4j.workflow"))).isEqualTo("run-42");
    assertThat(a.get(AttributeKey.stringKey("finops4j.user"))).isEqualTo("u-7");
    assertThat(a.get(AttributeKey.stringKey("finops4j.team"))).isEqualTo("care");
    assertThat(a.get(AttributeKey.stringKey("finops4j.call.id"))).isEqualTo("call-1");
    assertThat(a.get(AttributeKey.stringKey("finops4j.outcome"))).isEqualTo("ok");
    // cost lives under our prefix only
    assertThat(a.asMap().keySet()).allSatisfy(k -> assertThat(k.getKey())
        .matches("^(gen_ai|server|error|finops4j)\\..*|error\\.type"));
    assertThat(a.asMap().keySet()).noneSatisfy(k -> assertThat(k.getKey()).startsWith("gen_ai.cost"));
    // the attempt's own span, child of the call's, around the exchange: the HTTP client's spans nest under it
    assertThat(h.spans()).hasSize(2);
    SpanData attempt = h.spans().stream().filter(s -> s != span).findFirst().orElseThrow();
    assertThat(attempt.getParentSpanId()).isEqualTo(span.getSpanId());
    assertThat(attempt.getStartEpochNanos()).isEqualTo(NOW_NANOS + 10_000_000L);
    assertThat(attempt.getEndEpochNanos()).isEqualTo(NOW_NANOS + 250_000_000L);
    assertThat(attempt.getAttributes().get(SERVER_ADDRESS)).isEqualTo("api.openai.com");
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("finops4j.provider.request_id")))
        .isEqualTo("req-1");
  }

  @Test
  void plainCallMetricsFollowTheConventionsAndMicrometerGetsTheSameFacts() {
    for (Telemetry t : List.of(telemetry, otelMetrics)) {
      h.call(t, request("classification", ACME), h.context("call-1"), 250_000_000L, (r, c) -> {
        c.route(SMALL);
        return completion(MINI, Usage.of(1200, 40), "0.000123");
      });
    }

    MetricData tokens = h.metric("gen_ai.client.token.usage");
    assertThat(tokens.getUnit()).isEqualTo("{token}");
    Map<String, Double> byType = tokens.getHistogramData().getPoints().stream().collect(Collectors.toMap(
        p -> p.getAttributes().get(GEN_AI_TOKEN_TYPE), HistogramPointData::getSum));
    assertThat(byType).containsOnly(Map.entry("input", 1200.0), Map.entry("output", 40.0));
    HistogramPointData input = tokens.getHistogramData().getPoints().stream()
        .filter(p -> "input".equals(p.getAttributes().get(GEN_AI_TOKEN_TYPE))).findFirst().orElseThrow();
    assertThat(input.getAttributes().get(GEN_AI_OPERATION_NAME)).isEqualTo("chat");
    assertThat(input.getAttributes().get(GEN_AI_PROVIDER_NAME)).isEqualTo("openai");
    assertThat(input.getAttributes().get(GEN_AI_REQUEST_MODEL)).isEqualTo("gpt-5-mini");
    assertThat(input.getAttributes().get(GEN_AI_RESPONSE_MODEL)).isEqualTo("gpt-5-mini");
    assertThat(input.getBoundaries()).containsExactly(1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0,
        65536.0, 262144.0, 1048576.0, 4194304.0, 16777216.0, 67108864.0);

    MetricData duration = h.metric("gen_ai.client.operation.duration");
    assertThat(duration.getUnit()).isEqualTo("s");
    HistogramPointData d = duration.getHistogramData().getPoints().iterator().next();
    assertThat(d.getSum()).isCloseTo(0.25, within(1e-9));
    assertThat(d.getAttributes().get(ERROR_TYPE)).isNull();

    MetricData cost = h.metric("finops4j.cost");
    assertThat(cost.getDoubleSumData().getPoints().iterator().next().getValue()).isCloseTo(0.000123, within(1e-12));
    assertThat(cost.getDoubleSumData().getPoints().iterator().next().getAttributes().get(CUSTOMER)).isEqualTo("acme");

    Counter mcost = h.registry.get("finops4j.cost").tag("customer", "acme").tag("task", "classification")
        .tag("model", "openai/gpt-5-mini").counter();
    assertThat(mcost.count()).isCloseTo(0.000123, within(1e-12));
    assertThat(mcost.getId().getBaseUnit()).isEqualTo("usd");
    assertThat(h.registry.get("finops4j.tokens").tag("type", "input").counter().count()).isEqualTo(1200.0);
    assertThat(h.registry.get("finops4j.tokens").tag("type", "output").counter().count()).isEqualTo(40.0);
    assertThat(h.registry.find("finops4j.tokens").tag("type", "total").counter()).isNull();
    assertThat(h.registry.get("finops4j.calls").tag("outcome", "ok").counter().count()).isEqualTo(1.0);
    Timer timer = h.registry.get("finops4j.call.duration").tag("outcome", "ok").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250.0);
    assertThat(h.registry.get("finops4j.cache.requests").tag("result", "miss").counter().count()).isEqualTo(1.0);
  }

  @Test
  void eachMetricIsExportedOnceWhereMicrometerReports() {
    h.call(telemetry, request("classification", ACME), h.context("call-11"), 1_000L, (r, c) -> {
      c.route(SMALL);
      return completion(MINI, Usage.of(10, 2), "0.00001");
    });
    // Micrometer reports (the app's registry, or an agent bridging the global one): its meters are the metrics;
    // finops4j.cost is not also an OpenTelemetry counter with another unit and other attributes
    assertThat(h.registry.get("finops4j.cost").counter().count()).isEqualTo(0.00001);
    assertThat(h.metrics.collectAllMetrics()).isEmpty();
    assertThat(h.spans()).hasSize(1);
  }

  @Test
  void cachedCallReportsHitAndSavingsButNoTokens() {
    Completion hit = completion(MINI, Usage.ZERO, "0").toBuilder().cached(true)
        .savedUsd(new BigDecimal("0.002")).build();
    for (Telemetry t : List.of(telemetry, otelMetrics)) {
      h.call(t, request("classification", ACME), h.context("call-2"), 1_000_000L, (r, c) -> {
        c.route(SMALL);
        return hit;
      });
    }

    Attributes a = h.span("chat gpt-5-mini").getAttributes();
    assertThat(a.get(AttributeKey.stringKey("finops4j.cache.status"))).isEqualTo("hit");
    assertThat(a.get(AttributeKey.doubleKey("finops4j.saved.usd"))).isEqualTo(0.002);
    assertThat(a.get(AttributeKey.doubleKey("finops4j.cost.usd"))).isEqualTo(0.0);
    assertThat(h.metrics.collectAllMetrics()).noneMatch(m -> m.getName().equals("gen_ai.client.token.usage"));
    assertThat(h.metric("finops4j.saved").getDoubleSumData().getPoints().iterator().next().getValue())
        .isCloseTo(0.002, within(1e-12));
    assertThat(h.metric("finops4j.cache.requests").getLongSumData().getPoints().iterator().next().getAttributes()
        .get(CACHE_STATUS)).isEqualTo("hit");
    assertThat(h.registry.get("finops4j.saved").counter().count()).isCloseTo(0.002, within(1e-12));
    assertThat(h.registry.get("finops4j.cache.requests").tag("result", "hit").counter().count()).isEqualTo(1.0);
    assertThat(h.registry.find("finops4j.tokens").counters()).isEmpty();
  }

  @Test
  void fallbackGetsOneChildSpanPerAttemptWithExactDurations() {
    h.call(telemetry, request("classification", ACME), h.context("call-3"), 900_000_000L, (r, c) -> {
      c.route(SMALL);
      h.attempt(c, new Attempt(MINI, "http_429", 429, 100_000_000L, "req-a"), null);
      h.attempt(c, new Attempt(HAIKU, "ok", 200, 700_000_000L, "req-b"), null);
      return completion(HAIKU, Usage.of(300, 20), "0.0004");
    });

    assertThat(h.spans()).hasSize(3);
    SpanData parent = h.spans().stream().filter(s -> !s.getParentSpanContext().isValid()).findFirst().orElseThrow();
    assertThat(parent.getName()).isEqualTo("chat gpt-5-mini");
    assertThat(parent.getAttributes().get(GEN_AI_REQUEST_MODEL)).isEqualTo("gpt-5-mini");
    assertThat(parent.getAttributes().get(GEN_AI_RESPONSE_MODEL)).isEqualTo("claude-haiku-4-5");
    assertThat(parent.getAttributes().get(AttributeKey.longKey("finops4j.attempts"))).isEqualTo(2L);
    SpanData first = h.spans().stream().filter(s -> s.getName().equals("chat gpt-5-mini") && s != parent)
        .findFirst().orElseThrow();
    SpanData second = h.span("chat claude-haiku-4-5");
    for (SpanData child : List.of(first, second)) {
      assertThat(child.getParentSpanId()).isEqualTo(parent.getSpanId());
      assertThat(child.getTraceId()).isEqualTo(parent.getTraceId());
      assertThat(child.getKind()).isEqualTo(SpanKind.CLIENT);
    }
    assertThat(first.getAttributes().get(GEN_AI_PROVIDER_NAME)).isEqualTo("openai");
    assertThat(first.getAttributes().get(ERROR_TYPE)).isEqualTo("http_429");
    assertThat(first.getAttributes().get(HTTP_RESPONSE_STATUS_CODE)).isEqualTo(429L);
    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(first.getEndEpochNanos() - first.getStartEpochNanos()).isEqualTo(100_000_000L);
    assertThat(second.getAttributes().get(GEN_AI_PROVIDER_NAME)).isEqualTo("anthropic");
    assertThat(second.getAttributes().get(ERROR_TYPE)).isNull();
    assertThat(second.getEndEpochNanos()).isEqualTo(parent.getEndEpochNanos());
    assertThat(second.getEndEpochNanos() - second.getStartEpochNanos()).isEqualTo(700_000_000L);
    assertThat(first.getEndEpochNanos()).isEqualTo(second.getStartEpochNanos());
    assertThat(h.registry.get("finops4j.cost").tag("model", "anthropic/claude-haiku-4-5").counter().count())
        .isCloseTo(0.0004, within(1e-12));
  }

  @Test
  void budgetRejectionIsAnErrorSpanNamingTheBudgetAndRethrowsTheSameException() {
    BudgetExceededException rejection = new BudgetExceededException("customer-monthly", "customer", "acme", "USD",
        new BigDecimal("50.00"), new BigDecimal("49.99"), new BigDecimal("0.01"), new BigDecimal("0.05"),
        Instant.parse("2026-12-01T00:00:00Z"));
    for (Telemetry t : List.of(telemetry, otelMetrics)) {
      assertThatThrownBy(() -> h.call(t, request("support-reply", ACME), h.context("call-4"), 1_000L, (r, c) -> {
        c.route(SMALL);
        c.listener().thresholdCrossed(c, new BudgetView.BudgetUsage("customer-monthly", "customer", "acme", "USD",
            new BigDecimal("50.00"), new BigDecimal("49.99"), BigDecimal.ZERO, null, 0), 0.9);
        throw rejection;
      })).isSameAs(rejection);
    }

    SpanData span = h.span("chat gpt-5-mini");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo("io.finops4j.api.BudgetExceededException");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("finops4j.outcome"))).isEqualTo("rejected_budget");
    assertThat(span.getAttributes().get(AttributeKey.doubleKey("finops4j.budget.utilization"))).isEqualTo(0.9998);
    EventData threshold = event(span, "finops4j.budget.threshold");
    assertThat(threshold.getAttributes().get(AttributeKey.stringKey("finops4j.budget"))).isEqualTo("customer-monthly");
    assertThat(threshold.getAttributes().get(AttributeKey.stringKey("finops4j.threshold"))).isEqualTo("0.9");
    assertThat(threshold.getEpochNanos()).isEqualTo(NOW_NANOS + 1_000L); // when settling reported it
    EventData exceeded = event(span, "finops4j.budget.exceeded");
    assertThat(exceeded.getAttributes().get(BUDGET_ID)).isEqualTo("customer-monthly");
    assertThat(exceeded.getAttributes().get(BUDGET_KEY)).isEqualTo("acme");
    assertThat(exceeded.getAttributes().get(BUDGET_LIMIT)).isEqualTo("50.00");
    assertThat(exceeded.getAttributes().get(BUDGET_RESETS_AT)).isEqualTo("2026-12-01T00:00:00Z");

    assertThat(h.registry.get("finops4j.rejections").tag("reason", "budget").tag("limit", "customer-monthly")
        .counter().count()).isEqualTo(1.0);
    assertThat(h.registry.get("finops4j.calls").tag("outcome", "rejected_budget").counter().count()).isEqualTo(1.0);
    Gauge util = h.registry.get("finops4j.budget.utilization").tag("budget", "customer-monthly").gauge();
    assertThat(util.value()).isEqualTo(0.9998);
    MetricData rejections = h.metric("finops4j.rejections");
    assertThat(rejections.getLongSumData().getPoints().iterator().next().getAttributes().get(REJECTION_REASON))
        .isEqualTo("budget");
    assertThat(h.metric("gen_ai.client.operation.duration").getHistogramData().getPoints().iterator().next()
        .getAttributes().get(ERROR_TYPE)).isEqualTo("io.finops4j.api.BudgetExceededException");
    assertThat(h.metric("finops4j.budget.utilization").getDoubleGaugeData().getPoints().iterator().next().getValue())
        .isEqualTo(0.9998);
    assertThat(h.registry.find("finops4j.cost").counters()).isEmpty();
  }

  @Test
  void workflowCapRejectionTagsTheCapKindNotTheWorkflowId() {
    CostCapExceededException cap = new CostCapExceededException("workflow run-42", new BigDecimal("20.00"),
        new BigDecimal("19.99"), new BigDecimal("0.02"), 17, "workflow run-42 would exceed its 20.00 USD cap");

    assertThatThrownBy(() -> h.call(telemetry, request("support-reply", ACME), h.context("call-5"), 1_000L,
        (r, c) -> {
          c.route(SMALL);
          throw cap;
        })).isSameAs(cap);

    SpanData span = h.span("chat gpt-5-mini");
    EventData e = event(span, "finops4j.cost_cap.exceeded");
    assertThat(e.getAttributes().get(CAP)).isEqualTo("workflow run-42");
    assertThat(e.getAttributes().get(CAP_CALLS)).isEqualTo(17L);
    assertThat(e.getAttributes().get(CAP_LIMIT_USD)).isEqualTo("20.00");
    assertThat(h.registry.get("finops4j.rejections").tag("reason", "cap").tag("limit", "workflow").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void providerFailureUsesTheProviderErrorCodeAsErrorType() {
    ProviderException failure = new ProviderException("openai", 429, "rate_limit_exceeded", "req-9", true, null,
        "slow down", null);
    assertThatThrownBy(() -> h.call(telemetry, request("classification", ACME), h.context("call-6"), 1_000L,
        (r, c) -> {
          c.route(SMALL);
          throw failure;
        })).isSameAs(failure);
    SpanData span = h.span("chat gpt-5-mini");
    assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo("rate_limit_exceeded");
    assertThat(span.getEvents()).anyMatch(ev -> ev.getName().equals("exception"));
    assertThat(h.registry.get("finops4j.calls").tag("outcome", "error").counter().count()).isEqualTo(1.0);
  }

  @Test
  void streamedCallWithEstimatedUsageIsMarkedSo() {
    Usage estimated = Usage.builder().inputTokens(500).outputTokens(120).estimated(true).build();
    for (Telemetry t : List.of(telemetry, otelMetrics)) {
      h.call(t, request("support-reply", ACME), h.context("call-7").textListener(delta -> { }), 2_000_000_000L,
          (r, c) -> {
            c.route(SMALL);
            return completion(MINI, estimated, "0.00031");
          });
    }
    Attributes a = h.span("chat gpt-5-mini").getAttributes();
    assertThat(a.get(AttributeKey.booleanKey("finops4j.stream"))).isTrue();
    assertThat(a.get(AttributeKey.booleanKey("finops4j.cost.estimated"))).isTrue();
    assertThat(a.get(AttributeKey.doubleKey("finops4j.cost.usd"))).isEqualTo(0.00031);
    assertThat(a.get(GEN_AI_USAGE_OUTPUT_TOKENS)).isEqualTo(120L);
    assertThat(h.metric("gen_ai.client.operation.duration").getHistogramData().getPoints().iterator().next()
        .getSum()).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void geminiIsReportedUnderItsWellKnownProviderName() {
    h.call(telemetry, request("classification", ACME), h.context("call-8"), 1_000L, (r, c) -> {
      c.route(new Route("small", List.of(io.finops4j.api.ModelId.parse("gemini/gemini-2.5-flash")), List.of()));
      return completion(io.finops4j.api.ModelId.parse("gemini/gemini-2.5-flash"), Usage.of(1, 1), "0.000001");
    });
    assertThat(h.span("chat gemini-2.5-flash").getAttributes().get(GEN_AI_PROVIDER_NAME)).isEqualTo("gcp.gemini");
  }

  @Test
  void disabledTelemetryIsAPassThrough() {
    Telemetry off = h.builder().enabled(false).build();
    Completion answer = completion(MINI, Usage.of(1, 1), "0.000001");
    assertThat(h.call(off, request("classification", ACME), h.context("call-9"), 1_000L, (r, c) -> answer))
        .isSameAs(answer);
    assertThat(h.spans()).isEmpty();
    assertThat(h.registry.getMeters()).isEmpty();
  }

  @Test
  void aTelemetryFailureNeverFailsTheCall() {
    TestCall broken = new TestCall("call-10") {
      @Override
      public List<Attempt> attempts() {
        throw new IllegalStateException("broken context");
      }
    };
    Completion answer = completion(MINI, Usage.of(1, 1), "0.000001");
    // the call cannot be described: it still succeeds, and its span is still ended
    assertThat(h.call(telemetry, request("classification", ACME), broken.clock(h.clock), 1_000L, (r, c) -> answer))
        .isSameAs(answer);
    assertThat(h.spans()).hasSize(1);
  }

  private static EventData event(SpanData span, String name) {
    return span.getEvents().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no event " + name + " in " + span.getEvents()));
  }
}
