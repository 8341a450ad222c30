package io.finops4j.routing;

import io.finops4j.api.ModelId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the policy says about one task type: its tier, the defaults of its calls, and how it may move.
 *
 * @param name the task type, e.g. {@code classification}
 * @param tier the tier its calls route to
 * @param maxOutputTokens the default output ceiling, or {@code null}
 * @param temperature the default temperature, or {@code null}
 * @param escalate move a complex request one tier up ({@code escalate: { when: complex }})
 * @param deescalate move a simple request one tier down ({@code deescalate: { when: simple }})
 * @param split traffic weights over models for a model change ({@code split: { openai/gpt-5-mini: 90, ... }}),
 *     sticky per workflow; empty for none
 * @param reasoningEffort the default OpenAI reasoning effort ({@code reasoning-effort}), or {@code null}
 * @param thinkingBudget the default thinking budget in tokens ({@code thinking-budget}, Anthropic and Gemini), or
 *     {@code null}
 */
public record TaskPolicy(String name, String tier, Integer maxOutputTokens, Double temperature, boolean escalate,
    boolean deescalate, Map<ModelId, Integer> split, String reasoningEffort, Integer thinkingBudget) {

  public TaskPolicy {
    split = split == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(split));
    for (Map.Entry<ModelId, Integer> e : split.entrySet()) {
      if (e.getValue() < 0) {
        throw new IllegalArgumentException("split weight of " + e.getKey() + " must be 0 or more");
      }
    }
  }

  /** A task without reasoning controls. */
  public TaskPolicy(String name, String tier, Integer maxOutputTokens, Double temperature, boolean escalate,
      boolean deescalate, Map<ModelId, Integer> split) {
    this(name, tier, maxOutputTokens, temperature, escalate, deescalate, split, null, null);
  }

  /** A task with defaults and no escalation or split. */
  public TaskPolicy(String name, String tier, Integer maxOutputTokens, Double temperature) {
    this(name, tier, maxOutputTokens, temperature, false, false, Map.of());
  }
}
