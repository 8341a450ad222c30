package io.finops4j.routing;

import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Route;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Interceptor;
import java.util.List;
import java.util.Map;

/**
 * Decides each call's model: a model forced by the caller; else the forced or task tier, moved one tier
 * cheaper when a budget that applies is past its {@code downgrade-at} fraction. Fills the task's defaults
 * (max output tokens, temperature) into the request for the steps after it.
 */
public final class RoutingInterceptor implements Interceptor {

  private final RoutingPolicy policy;

  public RoutingInterceptor(RoutingPolicy policy) {
    this.policy = policy;
  }

  public RoutingPolicy policy() {
    return policy;
  }

  @Override
  public Completion intercept(Chain chain) {
    CompletionRequest request = chain.request();
    CallContext context = chain.context();
    if (request.model() != null) {
      context.route(Route.forced(request.model()));
      return chain.proceed(request);
    }
    TaskPolicy task = policy.task(request.taskType());
    String tier;
    String reason;
    if (request.tier() != null) {
      tier = request.tier();
      if (policy.candidates(tier) == null) {
        throw new IllegalArgumentException("unknown tier '" + tier + "'; tiers are " + policy.tiers().keySet());
      }
      reason = "tier " + tier + " forced by the caller";
    } else {
      tier = task.tier();
      reason = "task " + request.taskType() + " -> " + tier;
    }
    Route route = new Route(tier, policy.candidates(tier), List.of(reason));
    route = downgradeIfNearLimit(route, request, context);
    context.route(route);

    if ((request.maxOutputTokens() == null && task.maxOutputTokens() != null)
        || (request.temperature() == null && task.temperature() != null)) {
      request = request.toBuilder()
          .maxOutputTokens(request.maxOutputTokens() != null ? request.maxOutputTokens() : task.maxOutputTokens())
          .temperature(request.temperature() != null ? request.temperature() : task.temperature())
          .build();
    }
    return chain.proceed(request);
  }

  private Route downgradeIfNearLimit(Route route, CompletionRequest request, CallContext context) {
    List<BudgetView.BudgetUsage> usages = context.budgets().usage(request.attribution());
    for (BudgetView.BudgetUsage u : usages) {
      if (u.downgradeAt() > 0 && u.utilization() >= u.downgradeAt()) {
        String cheaper = policy.cheaperThan(route.tier());
        if (cheaper == null) {
          return route;
        }
        String why = "downgraded: " + u.scope() + (u.key() == null ? "" : " " + u.key()) + " at "
            + Math.round(u.utilization() * 100) + "% of budget " + u.budgetId();
        context.event("route.downgrade", Map.of("budget", u.budgetId(), "from", route.tier(), "to", cheaper));
        List<String> reasons = new java.util.ArrayList<>(route.reasons());
        reasons.add(why);
        return new Route(cheaper, policy.candidates(cheaper), reasons);
      }
    }
    return route;
  }
}
