package io.finops4j.telemetry;

import static io.finops4j.telemetry.TelemetryNames.*;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_OPERATION_NAME;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_PROVIDER_NAME;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_REQUEST_MODEL;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_RESPONSE_MODEL;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_TOKEN_TYPE;
import static io.finops4j.telemetry.OtelKeys.ERROR_TYPE;
import static io.finops4j.telemetry.OtelKeys.SERVER_ADDRESS;
import static io.finops4j.telemetry.OtelKeys.SERVER_PORT;
import static io.finops4j.telemetry.OtelKeys.TASK_TYPE;
import static io.finops4j.telemetry.OtelKeys.TIER;
import static io.finops4j.telemetry.OtelKeys.CACHE_STATUS;
import static io.finops4j.telemetry.OtelKeys.OUTCOME;
import static io.finops4j.telemetry.OtelKeys.CUSTOMER;
import static io.finops4j.telemetry.OtelKeys.FEATURE;
import static io.finops4j.telemetry.OtelKeys.USER;
import static io.finops4j.telemetry.OtelKeys.TEAM;
import static io.finops4j.telemetry.OtelKeys.BUDGET_ID;
import static io.finops4j.telemetry.OtelKeys.REJECTION_REASON;
import static io.finops4j.telemetry.OtelKeys.REJECTION_LIMIT;

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

/**
 * The OpenTelemetry metrics: the two GenAI client histograms of the conventions, and our cost, savings, call,
 * cache, rejection and budget-utilisation instruments under {@value TelemetryNames#PREFIX}.
 *
 * <ul>
 *   <li>{@code gen_ai.client.token.usage}, {@code gen_ai.client.operation.duration}: the conventions' attributes
 *       ({@code gen_ai.operation.name}, {@code gen_ai.provider.name}, {@code gen_ai.request.model},
 *       {@code gen_ai.response.model}, {@code server.*}, {@code gen_ai.token.type}, {@code error.type})</li>
 *   <li>{@code finops4j.cost}, {@code finops4j.saved} ({USD}): provider, models, task, tier and the guarded
 *       customer, feature, team and user</li>
 *   <li>{@code finops4j.calls}: provider, models, task, outcome, cache status</li>
 *   <li>{@code finops4j.cache.requests}: task, cache status (hit or miss)</li>
 *   <li>{@code finops4j.rejections}: task, reason (budget or cap), limit (budget id or cap kind)</li>
 *   <li>{@code finops4j.budget.utilization} (gauge): budget id</li>
 *   <li>{@code finops4j.budget.overshoots}: task, model: calls that used more than their reservation</li>
 * </ul>
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
  private final LongCounter overshoots;
  private final BoundedCache<MetricTags, Series> series = new BoundedCache<>(8192);

  /** The attribute sets of one tag combination, built once. */
  private record Series(Attributes input, Attributes output, Attributes duration, Attributes spend, Attributes calls,
      Attributes cache) {}

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
    overshoots = meter.counterBuilder(METRIC_BUDGET_OVERSHOOTS).setUnit("{call}")
        .setDescription("Calls that used more than the worst case reserved for them.").build();
  }

  void record(CallFacts f, MetricTags t) {
    Series s = series.get(t, OtelMetrics::series);
    duration.record(f.durationNanos() / 1e9, s.duration());
    if (f.completion() != null && !f.completion().cached()) {
      // a cache hit used no tokens; a rejected call never reached a provider
      tokenUsage.record(f.usage().inputTokens(), s.input());
      tokenUsage.record(f.usage().outputTokens(), s.output());
    }
    if (f.completion() != null) {
      cost.add(f.costUsd().doubleValue(), s.spend());
      if (f.savedUsd().signum() > 0) {
        saved.add(f.savedUsd().doubleValue(), s.spend());
      }
    }
    calls.add(1, s.calls());
    if (s.cache() != null) {
      cacheRequests.add(1, s.cache());
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

  void budgetOvershoot(String task, String model) {
    overshoots.add(1, Attributes.of(TASK_TYPE, task, OtelKeys.MODEL, model));
  }

  /** A cap's kind ({@code request}, {@code task}, {@code workflow}): the cap string may carry a workflow id. */
  static String capKind(String cap) {
    if (cap == null || cap.isBlank()) {
      return NONE;
    }
    int space = cap.indexOf(' ');
    return space < 0 ? cap : cap.substring(0, space);
  }

  private static Series series(MetricTags t) {
    AttributesBuilder b = Attributes.builder()
        .put(GEN_AI_OPERATION_NAME, OPERATION_CHAT)
        .put(GEN_AI_PROVIDER_NAME, t.provider());
    if (!NONE.equals(t.requestModel())) {
      b.put(GEN_AI_REQUEST_MODEL, t.requestModel());
    }
    if (!NONE.equals(t.responseModel())) {
      b.put(GEN_AI_RESPONSE_MODEL, t.responseModel());
    }
    if (t.server() != null && t.server().getHost() != null) {
      b.put(SERVER_ADDRESS, t.server().getHost()).put(SERVER_PORT, (long) CallSpans.port(t.server()));
    }
    Attributes genAi = b.build();
    Attributes spend = Attributes.builder()
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
    Attributes calls = Attributes.builder()
        .put(GEN_AI_PROVIDER_NAME, t.provider())
        .put(GEN_AI_REQUEST_MODEL, t.requestModel())
        .put(GEN_AI_RESPONSE_MODEL, t.responseModel())
        .put(TASK_TYPE, t.task())
        .put(OUTCOME, t.outcome())
        .put(CACHE_STATUS, t.cacheStatus())
        .build();
    boolean cacheLookup = t.cacheStatus().equals("hit") || t.cacheStatus().equals("miss");
    return new Series(
        genAi.toBuilder().put(GEN_AI_TOKEN_TYPE, TOKEN_TYPE_INPUT).build(),
        genAi.toBuilder().put(GEN_AI_TOKEN_TYPE, TOKEN_TYPE_OUTPUT).build(),
        t.errorType() == null ? genAi : genAi.toBuilder().put(ERROR_TYPE, t.errorType()).build(),
        spend,
        calls,
        cacheLookup ? Attributes.of(TASK_TYPE, t.task(), CACHE_STATUS, t.cacheStatus()) : null);
  }
}
