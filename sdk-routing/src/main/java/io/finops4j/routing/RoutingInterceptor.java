package io.finops4j.routing;

import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelId;
import io.finops4j.api.Route;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Interceptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides each call's model, in this order:
 * <ol>
 *   <li>a model forced by the caller wins outright;</li>
 *   <li>else the forced tier, or the task's tier;</li>
 *   <li>moved up one tier for a complex prompt ({@code escalate}) or down for a simple one ({@code deescalate});</li>
 *   <li>moved one tier cheaper when a budget that applies is past its {@code downgrade-at} fraction;</li>
 *   <li>a task's traffic {@code split} picks the first candidate, sticky per workflow.</li>
 * </ol>
 * Fills the task's defaults (max output tokens, temperature, reasoning effort, thinking budget) into the request for the steps after it. Every
 * decision is written into the route's reasons.
 */
public final class RoutingInterceptor implements Interceptor {

  private final RoutingPolicy policy;
  private final ComplexityClassifier classifier;
  /** The route of each task when nothing changes it: built once, not per call. */
  private final Map<String, Route> taskRoutes = new HashMap<>();

  public RoutingInterceptor(RoutingPolicy policy) {
    this(policy, new HeuristicClassifier());
  }

  public RoutingInterceptor(RoutingPolicy policy, ComplexityClassifier classifier) {
    this.policy = policy;
    this.classifier = classifier;
    for (TaskPolicy t : policy.tasks().values()) {
      taskRoutes.put(t.name(), new Route(t.tier(), policy.candidates(t.tier()),
          List.of("task " + t.name() + " -> " + t.tier())));
    }
  }

  public RoutingPolicy policy() {
    return policy;
  }

  @Override
  public Completion intercept(Chain chain) {
    CompletionRequest request = chain.request();
    CallContext context = chain.context();
    if (policy.batchWait(request.taskType()) != null) {
      // no silent slow path: a batch task costs half because it waits, which complete() cannot do
      throw new io.finops4j.api.Finops4jException("task '" + request.taskType() + "' runs in batch mode (mode: batch"
          + " in its task policy): submit its requests with llm.submitBatch(\"" + request.taskType()
          + "\", items) and read the results from the returned BatchHandle; complete() does not serve batch tasks");
    }
    if (request.model() != null) {
      Route forced = Route.forced(request.model());
      context.route(forced);
      context.listener().routeSelected(context, forced);
      return chain.proceed(request);
    }
    TaskPolicy task = policy.task(request.taskType());
    Route route;
    if (request.tier() != null) {
      if (policy.candidates(request.tier()) == null) {
        throw new IllegalArgumentException("unknown tier '" + request.tier() + "'; tiers are " + policy.tiers().keySet());
      }
      route = new Route(request.tier(), policy.candidates(request.tier()),
          List.of("tier " + request.tier() + " forced by the caller"));
    } else {
      route = task.name().equals(request.taskType()) ? taskRoutes.get(task.name())
          : new Route(task.tier(), policy.candidates(task.tier()),
              List.of("task " + request.taskType() + " -> " + task.tier() + " (default task)"));
      route = byComplexity(route, task, request, context);
    }
    route = downgradeIfNearLimit(route, request, context);
    route = split(route, task, request, context);
    if (policy.promptCaching(task.name())) {
      route = route.withPromptCaching(); // the provider step reads it from the route
    }
    context.route(route);
    context.listener().routeSelected(context, route);

    return chain.proceed(request.withDefaults(task.maxOutputTokens(), task.temperature(), task.reasoningEffort(),
        task.thinkingBudget()));
  }

  private Route byComplexity(Route route, TaskPolicy task, CompletionRequest request, CallContext context) {
    if (!task.escalate() && !task.deescalate()) {
      return route;
    }
    ComplexityClassifier.Verdict v = classifier.classify(request.prompt());
    String target = null;
    String verb = null;
    if (task.escalate() && v.complexity() == ComplexityClassifier.Complexity.COMPLEX) {
      target = policy.dearerThan(route.tier());
      verb = "escalated";
    } else if (task.deescalate() && v.complexity() == ComplexityClassifier.Complexity.SIMPLE) {
      target = policy.cheaperThan(route.tier());
      verb = "de-escalated";
    }
    if (target == null) {
      return route;
    }
    return moved(route, target, verb + " to " + target + ": " + v.evidence());
  }

  private Route downgradeIfNearLimit(Route route, CompletionRequest request, CallContext context) {
    List<BudgetView.BudgetUsage> usages = context.budgets().downgradable(request.attribution());
    for (BudgetView.BudgetUsage u : usages) {
      if (u.downgradeAt() > 0 && u.utilization() >= u.downgradeAt()) {
        String cheaper = route.tier() == null ? null : policy.cheaperThan(route.tier());
        if (cheaper == null) {
          return route;
        }
        return moved(route, cheaper, "downgraded to " + cheaper + ": " + u.scope()
            + (u.key() == null ? "" : " " + u.key()) + " at " + Math.round(u.utilization() * 100) + "% of budget "
            + u.budgetId());
      }
    }
    return route;
  }

  private Route moved(Route route, String tier, String reason) {
    List<String> reasons = new ArrayList<>(route.reasons());
    reasons.add(reason);
    return new Route(tier, policy.candidates(tier), reasons);
  }

  /** Picks the first candidate by the task's split weights; the same workflow always gets the same model. */
  private Route split(Route route, TaskPolicy task, CompletionRequest request, CallContext context) {
    if (task.split().isEmpty()) {
      return route;
    }
    int total = 0;
    for (int w : task.split().values()) {
      total += w;
    }
    String workflow = request.attribution().workflow();
    int bucket = workflow != null ? Math.floorMod(mix(workflow.hashCode()), total)
        : ThreadLocalRandom.current().nextInt(total);
    ModelId chosen = null;
    for (Map.Entry<ModelId, Integer> e : task.split().entrySet()) {
      bucket -= e.getValue();
      if (bucket < 0) {
        chosen = e.getKey();
        break;
      }
    }
    List<ModelId> candidates = new ArrayList<>();
    candidates.add(chosen);
    for (ModelId m : route.candidates()) {
      if (!m.equals(chosen)) {
        candidates.add(m);
      }
    }
    List<String> reasons = new ArrayList<>(route.reasons());
    reasons.add("split: " + chosen + " (" + task.split().get(chosen) + " of " + total + ")"
        + (workflow != null ? ", sticky for workflow" : ""));
    return new Route(route.tier(), candidates, reasons);
  }

  /** Spreads similar workflow ids (run-1, run-2...) evenly over the buckets. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }
}
