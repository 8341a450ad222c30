package io.finops4j.routing;

import io.finops4j.api.ModelId;
import io.finops4j.api.UnknownTaskException;
import io.finops4j.api.spi.ConfigNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task type -> tier -> ordered model candidates. Tiers are listed cheapest first (the order of
 * {@code finops4j.tiers}); a budget-aware downgrade moves a call one tier towards the start of that list.
 *
 * <pre>{@code
 * RoutingPolicy policy = RoutingPolicy.builder()
 *     .tier("small", "openai/gpt-5-mini", "anthropic/claude-haiku-4-5")
 *     .tier("large", "anthropic/claude-opus-4-7")
 *     .task(new TaskPolicy("classification", "small", 50, null))
 *     .build();
 * }</pre>
 *
 * <p>A task named {@code default} serves every task type the policy does not name; without it, an unknown task
 * type fails with the list of known ones.
 */
public final class RoutingPolicy {

  /** Keys a task may carry; some are read by other modules (budgets, cache). */
  public static final List<String> TASK_KEYS = List.of("tier", "max-output-tokens", "temperature",
      "max-cost-per-request", "cache", "prompt-caching", "escalate", "deescalate", "split", "mode", "max-wait",
      "reasoning-effort", "thinking-budget");

  /** The completion window of the OpenAI and Anthropic batch APIs. */
  public static final java.time.Duration BATCH_WINDOW = java.time.Duration.ofHours(24);

  private final Map<String, List<ModelId>> tiers;
  private final Map<String, TaskPolicy> tasks;
  private final List<String> tierOrder;
  private final java.util.Set<String> promptCaching;
  private final Map<String, java.time.Duration> batchTasks;

  private RoutingPolicy(Map<String, List<ModelId>> tiers, Map<String, TaskPolicy> tasks,
      java.util.Set<String> promptCaching, Map<String, java.time.Duration> batchTasks) {
    this.promptCaching = java.util.Set.copyOf(promptCaching);
    this.batchTasks = Map.copyOf(batchTasks);
    this.tiers = Collections.unmodifiableMap(new LinkedHashMap<>(tiers));
    this.tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    this.tierOrder = List.copyOf(tiers.keySet());
    for (TaskPolicy t : tasks.values()) {
      if (!tiers.containsKey(t.tier())) {
        throw new IllegalArgumentException("task " + t.name() + " uses unknown tier '" + t.tier() + "'; tiers are "
            + tierOrder);
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Reads {@code finops4j.tiers} and {@code finops4j.tasks} from the root node. */
  public static RoutingPolicy fromConfig(ConfigNode root) {
    Builder b = builder();
    for (Map.Entry<String, ConfigNode> e : root.get("tiers").asMap().entrySet()) {
      List<ModelId> models = new ArrayList<>();
      for (ConfigNode m : e.getValue().asList()) {
        try {
          models.add(ModelId.parse(m.asString()));
        } catch (IllegalArgumentException ex) {
          throw m.error(ex.getMessage());
        }
      }
      if (models.isEmpty()) {
        throw e.getValue().error("a tier needs at least one model (provider/model)");
      }
      b.tiers.put(e.getKey(), models);
    }
    for (Map.Entry<String, ConfigNode> e : root.get("tasks").asMap().entrySet()) {
      ConfigNode t = e.getValue();
      t.allowKeys(TASK_KEYS.toArray(new String[0]));
      ConfigNode tier = t.get("tier").requirePresent();
      String tierName = tier.asOneOf(b.tiers.keySet());
      Integer max = null;
      if (t.has("max-output-tokens")) {
        long v = t.get("max-output-tokens").asLong();
        if (v <= 0 || v > Integer.MAX_VALUE) {
          throw t.get("max-output-tokens").error("expected a positive number of tokens, got " + v);
        }
        max = (int) v;
      }
      BigDecimal t0 = t.get("temperature").asDecimal(null, BigDecimal.ZERO, BigDecimal.valueOf(2));
      Double temperature = t0 == null ? null : t0.doubleValue();
      boolean escalate = when(t.get("escalate"), "complex");
      boolean deescalate = when(t.get("deescalate"), "simple");
      Map<ModelId, Integer> split = new LinkedHashMap<>();
      for (Map.Entry<String, ConfigNode> w : t.get("split").asMap().entrySet()) {
        ModelId model;
        try {
          model = ModelId.parse(w.getKey());
        } catch (IllegalArgumentException ex) {
          throw w.getValue().error(ex.getMessage());
        }
        long weight = w.getValue().asLong();
        if (weight < 0 || weight > 1_000_000) {
          throw w.getValue().error("expected a weight from 0 to 1000000, got " + weight);
        }
        split.put(model, (int) weight);
      }
      if (!split.isEmpty() && split.values().stream().mapToInt(Integer::intValue).sum() == 0) {
        throw t.get("split").error("at least one split weight must be above 0");
      }
      String effort = t.get("reasoning-effort").isPresent()
          ? t.get("reasoning-effort").asOneOf(io.finops4j.api.CompletionRequest.REASONING_EFFORTS) : null;
      // Anthropic takes at least 1024 thinking tokens; 0 turns Gemini's thinking off
      Integer thinking = t.get("thinking-budget").isPresent()
          ? (int) t.get("thinking-budget").asLong(0, 0, 1_000_000) : null;
      b.task(new TaskPolicy(e.getKey(), tierName, max, temperature, escalate, deescalate, split, effort, thinking));
      if (t.get("prompt-caching").asBoolean(false)) {
        b.promptCaching(e.getKey());
      }
      String mode = t.get("mode").isPresent() ? t.get("mode").asOneOf(List.of("realtime", "batch")) : "realtime";
      ConfigNode maxWait = t.get("max-wait");
      if (mode.equals("batch")) {
        java.time.Duration wait = maxWait.asDuration(BATCH_WINDOW, java.time.Duration.ZERO,
            java.time.Duration.ofDays(365));
        if (wait.compareTo(BATCH_WINDOW) < 0) {
          throw maxWait.error("batch APIs promise results within 24h, not sooner; use a max-wait of at least 24h,"
              + " got " + wait);
        }
        b.batchTask(e.getKey(), wait);
      } else if (maxWait.isPresent()) {
        throw maxWait.error("max-wait applies only to tasks with mode: batch");
      }
    }
    return b.build();
  }

  private static boolean when(ConfigNode node, String expected) {
    if (!node.isPresent()) {
      return false;
    }
    node.allowKeys("when");
    node.get("when").requirePresent().asOneOf(List.of(expected));
    return true;
  }

  /** Every model a task may be routed to: its tier's, the neighbouring tiers', and its split's. */
  public java.util.Set<ModelId> allModels() {
    java.util.Set<ModelId> all = new java.util.LinkedHashSet<>();
    tiers.values().forEach(all::addAll);
    tasks.values().forEach(t -> all.addAll(t.split().keySet()));
    return all;
  }

  /** The next dearer tier than {@code tier}, or {@code null} when it is the dearest. */
  public String dearerThan(String tier) {
    int i = tierOrder.indexOf(tier);
    return i >= 0 && i < tierOrder.size() - 1 ? tierOrder.get(i + 1) : null;
  }

  /** The policy of {@code taskType}, or of the {@code default} task; fails listing the known task types. */
  public TaskPolicy task(String taskType) {
    TaskPolicy t = tasks.get(taskType);
    if (t == null) {
      t = tasks.get("default");
      if (t == null) {
        throw new UnknownTaskException(taskType, tasks.keySet());
      }
    }
    return t;
  }

  /**
   * Whether calls of {@code task} ask the provider to cache their stable prefix (Anthropic {@code cache_control} on
   * the system prompt; OpenAI and Gemini cache on their own): {@code prompt-caching: true}.
   */
  public boolean promptCaching(String task) {
    return promptCaching.contains(task);
  }

  /**
   * How long {@code taskType} may wait when it runs in batch mode ({@code mode: batch}, {@code max-wait}), or
   * {@code null} for a real-time task. An unnamed task type follows the {@code default} task.
   */
  public java.time.Duration batchWait(String taskType) {
    java.time.Duration d = batchTasks.get(taskType);
    return d != null || tasks.containsKey(taskType) ? d : batchTasks.get("default");
  }

  /** The candidates of {@code tier}, or {@code null} when there is no such tier. */
  public List<ModelId> candidates(String tier) {
    return tiers.get(tier);
  }

  /** The next cheaper tier than {@code tier}, or {@code null} when it is the cheapest. */
  public String cheaperThan(String tier) {
    int i = tierOrder.indexOf(tier);
    return i > 0 ? tierOrder.get(i - 1) : null;
  }

  public Map<String, List<ModelId>> tiers() {
    return tiers;
  }

  public Map<String, TaskPolicy> tasks() {
    return tasks;
  }

  /** Builds a {@link RoutingPolicy}; tiers are cheapest first in the order added. */
  public static final class Builder {
    private final Map<String, List<ModelId>> tiers = new LinkedHashMap<>();
    private final Map<String, TaskPolicy> tasks = new LinkedHashMap<>();
    private final java.util.Set<String> promptCaching = new java.util.HashSet<>();
    private final Map<String, java.time.Duration> batchTasks = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Runs {@code task} in batch mode: its items go through {@code Llm.submitBatch} at the batch price, and
     * {@code complete} refuses it. {@code maxWait} is how long its results may take (at least 24h).
     */
    public Builder batchTask(String task, java.time.Duration maxWait) {
      if (maxWait.compareTo(BATCH_WINDOW) < 0) {
        throw new IllegalArgumentException("max-wait of batch task " + task + " must be at least 24h, got " + maxWait);
      }
      batchTasks.put(task, maxWait);
      return this;
    }

    /** Asks providers to cache the stable prefix of {@code task}'s prompts. */
    public Builder promptCaching(String task) {
      promptCaching.add(task);
      return this;
    }

    public Builder tier(String name, String... qualifiedModels) {
      List<ModelId> models = new ArrayList<>();
      for (String m : qualifiedModels) {
        models.add(ModelId.parse(m));
      }
      tiers.put(name, List.copyOf(models));
      return this;
    }

    public Builder task(TaskPolicy task) {
      tasks.put(task.name(), task);
      return this;
    }

    /** A task routed to {@code tier} with no other defaults. */
    public Builder task(String name, String tier) {
      return task(new TaskPolicy(name, tier, null, null));
    }

    public RoutingPolicy build() {
      return new RoutingPolicy(tiers, tasks, promptCaching, batchTasks);
    }
  }
}
