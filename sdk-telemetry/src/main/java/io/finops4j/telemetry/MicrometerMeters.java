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
 * </ul>
 */
final class MicrometerMeters {

  private final MeterRegistry registry;
  private final BoundedCache<Object, Object> meters = new BoundedCache<>(8192);
  private final BoundedCache<String, AtomicLong> utilization = new BoundedCache<>(256);

  MicrometerMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  private record CallKey(String task, String model, String outcome, String cache) {}

  private record TokenKey(String task, String model) {}

  private record SpendKey(String task, String model, String customer, String feature, String team, String user) {}

  private record CacheKey(String task, String result) {}

  private record RejectionKey(String task, String reason, String limit) {}

  /** The meters of one call key: calls counter and duration timer. */
  private record CallMeters(Counter calls, Timer duration) {}

  private record TokenMeters(Counter input, Counter output) {}

  private record SpendMeters(Counter cost, Counter saved) {}

  void record(CallFacts f, MetricTags t) {
    CallMeters call = (CallMeters) meters.get(new CallKey(t.task(), t.model(), t.outcome(), t.cacheStatus()),
        k -> callMeters((CallKey) k));
    call.calls().increment();
    call.duration().record(f.durationNanos(), TimeUnit.NANOSECONDS);
    if (f.completion() != null) {
      if (!f.completion().cached()) {
        TokenMeters tokens = (TokenMeters) meters.get(new TokenKey(t.task(), t.model()),
            k -> tokenMeters((TokenKey) k));
        tokens.input().increment(f.usage().inputTokens());
        tokens.output().increment(f.usage().outputTokens());
      }
      SpendMeters spend = (SpendMeters) meters.get(
          new SpendKey(t.task(), t.model(), t.customer(), t.feature(), t.team(), t.user()),
          k -> spendMeters((SpendKey) k));
      spend.cost().increment(f.costUsd().doubleValue());
      if (f.savedUsd().signum() > 0) {
        spend.saved().increment(f.savedUsd().doubleValue());
      }
    }
    if (t.cacheStatus().equals("hit") || t.cacheStatus().equals("miss")) {
      ((Counter) meters.get(new CacheKey(t.task(), t.cacheStatus()), k -> Counter.builder(METER_CACHE_REQUESTS)
          .description("Response cache lookups by result")
          .tag(TAG_TASK, t.task()).tag(TAG_RESULT, t.cacheStatus()).register(registry))).increment();
    }
    RejectionKey rejection = null;
    if (f.error() instanceof BudgetExceededException b) {
      rejection = new RejectionKey(t.task(), "budget", b.budgetId());
    } else if (f.error() instanceof CostCapExceededException c) {
      rejection = new RejectionKey(t.task(), "cap", OtelMetrics.capKind(c.cap()));
    }
    if (rejection != null) {
      RejectionKey r = rejection;
      ((Counter) meters.get(r, k -> Counter.builder(METER_REJECTIONS)
          .description("Calls refused by a budget or a cost cap before any network traffic")
          .tag(TAG_TASK, r.task()).tag(TAG_REASON, r.reason()).tag(TAG_LIMIT, r.limit())
          .register(registry))).increment();
    }
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

  private CallMeters callMeters(CallKey k) {
    return new CallMeters(
        Counter.builder(METER_CALLS).description("Facade calls by outcome")
            .tag(TAG_TASK, k.task()).tag(TAG_MODEL, k.model()).tag(TAG_OUTCOME, k.outcome()).tag(TAG_CACHE, k.cache())
            .register(registry),
        Timer.builder(METER_CALL_DURATION).description("Facade call duration, pipeline included")
            .tag(TAG_TASK, k.task()).tag(TAG_MODEL, k.model()).tag(TAG_OUTCOME, k.outcome())
            .register(registry));
  }

  private TokenMeters tokenMeters(TokenKey k) {
    return new TokenMeters(tokens(k, TOKEN_TYPE_INPUT), tokens(k, TOKEN_TYPE_OUTPUT));
  }

  private Counter tokens(TokenKey k, String type) {
    return Counter.builder(METER_TOKENS).description("Tokens billed, input (cache reads and writes included) and output")
        .baseUnit("tokens").tag(TAG_TASK, k.task()).tag(TAG_MODEL, k.model()).tag(TAG_TYPE, type).register(registry);
  }

  private SpendMeters spendMeters(SpendKey k) {
    return new SpendMeters(spend(METER_COST, "Cost of LLM calls in US dollars", k),
        spend(METER_SAVED, "What response-cache hits saved, in US dollars", k));
  }

  private Counter spend(String name, String description, SpendKey k) {
    return Counter.builder(name).description(description).baseUnit("usd")
        .tag(TAG_TASK, k.task()).tag(TAG_MODEL, k.model()).tag(TAG_CUSTOMER, k.customer())
        .tag(TAG_FEATURE, k.feature()).tag(TAG_TEAM, k.team()).tag(TAG_USER, k.user())
        .register(registry);
  }
}
