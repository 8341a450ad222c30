package io.finops4j.telemetry;

import static io.finops4j.telemetry.TelemetryNames.*;

import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.CostCapExceededException;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.net.URI;

/**
 * The OpenTelemetry metrics: the two GenAI client histograms of the conventions, and our cost, savings, call,
 * cache, rejection and budget-utilisation instruments under {@value TelemetryNames#PREFIX}.
 */
final class OtelMetrics {

  private final LongHistogram tokenUsage;
  private final DoubleHistogram duration;
  private final DoubleCounter cost;
  private final DoubleCounter saved;
  private final LongCounter calls;
  private final LongCounter cacheRequests;
  private final LongCounter rejections;
  private final DoubleGauge budgetUtilization;
  private final BoundedCache<Object, Attributes[]> attributes = new BoundedCache<>(8192);

  OtelMetrics(Meter meter) {
    tokenUsage = meter.histogramBuilder(METRIC_TOKEN_USAGE).ofLongs().setUnit("{token}")
        .setDescription("Number of input and output tokens used.")
        .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS).build();
    duration = meter.histogramBuilder(METRIC_OPERATION_DURATION).setUnit("s")
        .setDescription("GenAI operation duration.")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    cost = meter.counterBuilder(METRIC_COST).ofDoubles().setUnit("{USD}")
        .setDescription("Cost of LLM calls in US dollars, priced from the usage the provider reported.").build();
    saved = meter.counterBuilder(METRIC_SAVED).ofDoubles().setUnit("{USD}")
        .setDescription("What response-cache hits saved, in US dollars.").build();
    calls = meter.counterBuilder(METRIC_CALLS).setUnit("{call}")
        .setDescription("Facade calls by outcome.").build();
    cacheRequests = meter.counterBuilder(METRIC_CACHE_REQUESTS).setUnit("{request}")
        .setDescription("Response cache lookups by result (hit or miss).").build();
    rejections = meter.counterBuilder(METRIC_REJECTIONS).setUnit("{call}")
        .setDescription("Calls refused by a budget or a cost cap, before any network traffic.").build();
    budgetUtilization = meter.gaugeBuilder(METRIC_BUDGET_UTILIZATION).setUnit("1")
        .setDescription("Last reported utilisation (spent / limit) of a budget.").build();
  }

  /** Cache keys: the tag values a group of instruments is cut by. */
  private record GenAiKey(String provider, String requestModel, String responseModel, URI server, String error) {}

  private record SpendKey(MetricTags t) {}

  private record CallKey(String task, String provider, String requestModel, String responseModel, String outcome,
      String cache) {}

  void record(CallFacts f, MetricTags t) {
    Attributes[] genAi = attributes.get(
        new GenAiKey(t.provider(), t.requestModel(), t.responseModel(), f.server(), t.errorType()),
        k -> genAi((GenAiKey) k));
    duration.record(f.durationNanos() / 1e9, genAi[2]);
    if (f.completion() != null && !f.completion().cached()) {
      // a cache hit used no tokens; a rejected call never reached a provider
      tokenUsage.record(f.usage().inputTokens(), genAi[0]);
      tokenUsage.record(f.usage().outputTokens(), genAi[1]);
    }
    if (f.completion() != null) {
      Attributes spend = attributes.get(new SpendKey(t), k -> new Attributes[] {spend(t)})[0];
      cost.add(f.costUsd().doubleValue(), spend);
      if (f.savedUsd().signum() > 0) {
        saved.add(f.savedUsd().doubleValue(), spend);
      }
    }
    calls.add(1, attributes.get(new CallKey(t.task(), t.provider(), t.requestModel(), t.responseModel(), t.outcome(),
        t.cacheStatus()), k -> new Attributes[] {calls(t)})[0]);
    if (t.cacheStatus().equals("hit") || t.cacheStatus().equals("miss")) {
      cacheRequests.add(1, Attributes.of(TASK_TYPE, t.task(), CACHE_STATUS, t.cacheStatus()));
    }
    if (f.error() instanceof BudgetExceededException b) {
      rejections.add(1, Attributes.of(TASK_TYPE, t.task(), REJECTION_REASON, "budget", REJECTION_LIMIT,
          b.budgetId()));
    } else if (f.error() instanceof CostCapExceededException c) {
      rejections.add(1, Attributes.of(TASK_TYPE, t.task(), REJECTION_REASON, "cap", REJECTION_LIMIT,
          capKind(c.cap())));
    }
  }

  void budgetUtilization(String budgetId, double utilization) {
    budgetUtilization.set(utilization, Attributes.of(BUDGET_ID, budgetId));
  }

  /** A cap's kind ({@code request}, {@code task}, {@code workflow}): the cap string may carry a workflow id. */
  static String capKind(String cap) {
    if (cap == null || cap.isBlank()) {
      return NONE;
    }
    int space = cap.indexOf(' ');
    return space < 0 ? cap : cap.substring(0, space);
  }

  private static Attributes[] genAi(GenAiKey k) {
    AttributesBuilder b = Attributes.builder()
        .put(GEN_AI_OPERATION_NAME, OPERATION_CHAT)
        .put(GEN_AI_PROVIDER_NAME, k.provider());
    if (!NONE.equals(k.requestModel())) {
      b.put(GEN_AI_REQUEST_MODEL, k.requestModel());
    }
    if (!NONE.equals(k.responseModel())) {
      b.put(GEN_AI_RESPONSE_MODEL, k.responseModel());
    }
    if (k.server() != null && k.server().getHost() != null) {
      b.put(SERVER_ADDRESS, k.server().getHost()).put(SERVER_PORT, (long) CallSpans.port(k.server()));
    }
    Attributes base = b.build();
    Attributes withError = k.error() == null ? base : base.toBuilder().put(ERROR_TYPE, k.error()).build();
    return new Attributes[] {
        base.toBuilder().put(GEN_AI_TOKEN_TYPE, TOKEN_TYPE_INPUT).build(),
        base.toBuilder().put(GEN_AI_TOKEN_TYPE, TOKEN_TYPE_OUTPUT).build(),
        withError};
  }

  private static Attributes spend(MetricTags t) {
    return Attributes.builder()
        .put(GEN_AI_PROVIDER_NAME, t.provider())
        .put(GEN_AI_REQUEST_MODEL, t.requestModel())
        .put(GEN_AI_RESPONSE_MODEL, t.responseModel())
        .put(TASK_TYPE, t.task())
        .put(TIER, t.tier())
        .put(CUSTOMER, t.customer())
        .put(FEATURE, t.feature())
        .put(TEAM, t.team())
        .put(USER, t.user())
        .build();
  }

  private static Attributes calls(MetricTags t) {
    return Attributes.builder()
        .put(GEN_AI_PROVIDER_NAME, t.provider())
        .put(GEN_AI_REQUEST_MODEL, t.requestModel())
        .put(GEN_AI_RESPONSE_MODEL, t.responseModel())
        .put(TASK_TYPE, t.task())
        .put(OUTCOME, t.outcome())
        .put(CACHE_STATUS, t.cacheStatus())
        .build();
  }
}
