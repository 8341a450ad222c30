package io.finops4j.telemetry;

import static io.finops4j.telemetry.TelemetryNames.*;

import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.CostCapExceededException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The Micrometer meters: the same facts as the OpenTelemetry metrics, named per Micrometer conventions
 * (dot-separated lowercase, base units) with a small, bounded tag set.
 *
 * <ul>
 *   <li>{@code finops4j.calls} (counter): task, model, outcome, cache</li>
 *   <li>{@code finops4j.call.duration} (timer): task, model, outcome</li>
 *   <li>{@code finops4j.tokens} (counter, tokens): task, model, type = input | output</li>
 *   <li>{@code finops4j.cost}, {@code finops4j.saved} (counters, usd): task, model, customer, feature, team, user</li>
 *   <li>{@code finops4j.cache.requests} (counter): task, result = hit | miss</li>
 *   <li>{@code finops4j.rejections} (counter): task, reason = budget | cap, limit = budget id or cap kind</li>
 *   <li>{@code finops4j.budget.utilization} (gauge, ratio): budget</li>
 *   <li>{@code finops4j.budget.overshoots} (counter): task, model: calls that used more than their reservation</li>
 * </ul>
 */
final class MicrometerMeters {

  private final MeterRegistry registry;
  /**
   * True when each call also has a Micrometer Observation: its handlers time the call ({@code
   * gen_ai.client.operation}), so there is no {@code finops4j.call.duration}, and tokens are counted under the GenAI
   * name {@code gen_ai.client.token.usage} as Spring AI counts them, instead of {@code finops4j.tokens}.
   */
  private final boolean observed;
  private final BoundedCache<MetricTags, Series> series = new BoundedCache<>(8192);
  private final BoundedCache<RejectionKey, Counter> rejections = new BoundedCache<>(1024);
  private final BoundedCache<String, AtomicLong> utilization = new BoundedCache<>(512);
  // created once: a lambda capturing the registry would be allocated on every call
  private final Function<MetricTags, Series> newSeries;
  private final Function<RejectionKey, Counter> newRejection;

  /** The meters of one tag combination, registered once. */
  private record Series(Counter calls, Timer duration, Counter input, Counter output, Counter cost, Counter saved,
      Counter cache) {}

  private record RejectionKey(String task, String reason, String limit) {}

  /** Meters in {@code registry}, or in Micrometer's global registry when it is null. */
  static MicrometerMeters of(MeterRegistry registry, boolean observed) {
    return new MicrometerMeters(registry != null ? registry : io.micrometer.core.instrument.Metrics.globalRegistry,
        observed);
  }

  MicrometerMeters(MeterRegistry registry, boolean observed) {
    this.registry = registry;
    this.observed = observed;
    this.newSeries = this::series;
    this.newRejection = r -> Counter.builder(METER_REJECTIONS)
        .description("Calls refused by a budget or a cost cap before any network traffic")
        .tag(TAG_TASK, r.task()).tag(TAG_REASON, r.reason()).tag(TAG_LIMIT, r.limit())
        .register(registry);
  }

  /**
   * Whether the meters reach any backend: false for a composite registry with nothing in it (Micrometer's global
   * registry before the application or an agent added one). Read per call: a registry may be added later.
   */
  boolean reporting() {
    return !(registry instanceof io.micrometer.core.instrument.composite.CompositeMeterRegistry c)
        || !c.getRegistries().isEmpty();
  }

  void record(CallFacts f, MetricTags t) {
    Series s = series.get(t, newSeries);
    s.calls().increment();
    if (s.duration() != null) {
      s.duration().record(f.durationNanos(), TimeUnit.NANOSECONDS);
    }
    if (f.completion() != null) {
      if (!f.completion().cached()) {
        s.input().increment(f.usage().inputTokens());
        s.output().increment(f.usage().outputTokens());
      }
      s.cost().increment(f.costUsd().doubleValue());
      if (f.savedUsd().signum() > 0) {
        (s.saved() != null ? s.saved() : saved(t)).increment(f.savedUsd().doubleValue());
      }
    }
    if (s.cache() != null) {
      s.cache().increment();
    }
    if (f.error() instanceof BudgetExceededException b) {
      rejections.get(new RejectionKey(t.task(), "budget", b.budgetId()), newRejection).increment();
    } else if (f.error() instanceof CostCapExceededException c) {
      rejections.get(new RejectionKey(t.task(), "cap", OtelMetrics.capKind(c.cap())), newRejection).increment();
    }
  }

  /** Rare (a wrong estimate or provider ceiling), so registered where it happens rather than cached. */
  void budgetOvershoot(String task, String model) {
    Counter.builder(METER_BUDGET_OVERSHOOTS).description("Calls that used more than the worst case reserved for them")
        .tag(TAG_TASK, task).tag(TAG_MODEL, model).register(registry).increment();
  }

  void budgetUtilization(String budgetId, double value) {
    AtomicLong holder = utilization.get(budgetId, id -> {
      AtomicLong a = new AtomicLong(Double.doubleToLongBits(value));
      Gauge.builder(METER_BUDGET_UTILIZATION, a, x -> Double.longBitsToDouble(x.get()))
          .description("Last reported utilisation (spent / limit) of a budget")
          .baseUnit("ratio").tag(TAG_BUDGET, id).strongReference(true).register(registry);
      return a;
    });
    holder.set(Double.doubleToLongBits(value));
  }

  /**
   * Registers the meters of one combination. Meters that a call of this combination never touches (tokens of a
   * rejection, cost of an error) are not registered, so no empty series show up.
   */
  private Series series(MetricTags t) {
    boolean answered = t.outcome().equals("ok");
    boolean hit = t.cacheStatus().equals("hit");
    boolean cacheLookup = hit || t.cacheStatus().equals("miss");
    return new Series(
        Counter.builder(METER_CALLS).description("Facade calls by outcome")
            .tag(TAG_TASK, t.task()).tag(TAG_MODEL, t.model()).tag(TAG_OUTCOME, t.outcome())
            .tag(TAG_CACHE, t.cacheStatus()).register(registry),
        observed ? null : Timer.builder(METER_CALL_DURATION).description("Facade call duration, pipeline included")
            .tag(TAG_TASK, t.task()).tag(TAG_MODEL, t.model()).tag(TAG_OUTCOME, t.outcome()).register(registry),
        answered && !hit ? tokens(t, TOKEN_TYPE_INPUT) : null,
        answered && !hit ? tokens(t, TOKEN_TYPE_OUTPUT) : null,
        answered ? spend(METER_COST, "Cost of LLM calls in US dollars", t) : null,
        answered && hit ? saved(t) : null,
        cacheLookup ? Counter.builder(METER_CACHE_REQUESTS).description("Response cache lookups by result")
            .tag(TAG_TASK, t.task()).tag(TAG_RESULT, t.cacheStatus()).register(registry) : null);
  }

  private Counter saved(MetricTags t) {
    return spend(METER_SAVED, "What response-cache hits saved, in US dollars", t);
  }

  private Counter tokens(MetricTags t, String type) {
    if (observed) {
      return Counter.builder(METRIC_TOKEN_USAGE).description("Measures number of input and output tokens used")
          .baseUnit("tokens").tag(GEN_AI_OPERATION_NAME, OPERATION_CHAT).tag(GEN_AI_PROVIDER_NAME, t.provider())
          .tag(GEN_AI_REQUEST_MODEL, t.requestModel()).tag(GEN_AI_RESPONSE_MODEL, t.responseModel())
          .tag(GEN_AI_TOKEN_TYPE, type).register(registry);
    }
    return Counter.builder(METER_TOKENS).description("Tokens billed, input (cache reads and writes included) and output")
        .baseUnit("tokens").tag(TAG_TASK, t.task()).tag(TAG_MODEL, t.model()).tag(TAG_TYPE, type).register(registry);
  }

  private Counter spend(String name, String description, MetricTags t) {
    return Counter.builder(name).description(description).baseUnit("usd")
        .tag(TAG_TASK, t.task()).tag(TAG_MODEL, t.model()).tag(TAG_CUSTOMER, t.customer())
        .tag(TAG_FEATURE, t.feature()).tag(TAG_TEAM, t.team()).tag(TAG_USER, t.user())
        .register(registry);
  }
}
