package io.finops4j.api;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a model accepts, known before any call: whether it reasons (and so spends part of its output ceiling on
 * reasoning tokens) and which sampling parameters its API takes. The catalog carries these as it carries prices,
 * sourced and dated; finops4j checks a task's settings against them at start-up and each request before the
 * network, so a parameter the provider would reject with a 400 never leaves the process.
 *
 * @param reasoning true for a reasoning model (OpenAI gpt-5 and o-series, Claude Opus 4.7 and later)
 * @param samplingParameters the sampling parameters the model accepts ({@code temperature}, {@code top_p},
 *     {@code top_k}); empty for a model whose API takes none, which then answers at its own default
 * @param reasoningControls true when the model takes reasoning controls (reasoning effort or a thinking budget):
 *     every reasoning model, and models that think only when asked (Claude Sonnet and Haiku 4.x)
 * @param tools true when the model calls function tools
 * @param vision true when the model takes images in user messages
 * @param maxOutputTokens the most output tokens one call may ask for, or 0 when not recorded
 * @param contextWindow the most tokens of input and output one call may hold, or 0 when not recorded
 * @param minCacheableTokens the shortest prompt prefix the provider caches, or 0 when not recorded
 * @param source where the rule was read, or {@code null}
 * @param effective the date it was read, or {@code null}
 * @param reasoningEfforts the reasoning-effort values the model's API takes (OpenAI {@code reasoning_effort},
 *     Anthropic {@code output_config.effort}, Gemini 3 {@code thinkingLevel}); empty when it takes none (a model
 *     steered by a thinking budget only, or not at all)
 */
public record ModelRules(boolean reasoning, Set<String> samplingParameters, boolean reasoningControls, boolean tools,
    boolean vision, int maxOutputTokens, int contextWindow, int minCacheableTokens, String source,
    LocalDate effective, Set<String> reasoningEfforts) {

  /** The reasoning efforts OpenAI's reasoning models take: the default of a model with reasoning controls. */
  public static final Set<String> OPENAI_EFFORTS = Set.of("none", "minimal", "low", "medium", "high", "xhigh");

  /** The sampling parameter finops4j sends. */
  public static final String TEMPERATURE = "temperature";

  /** A model the catalog does not know (a local or custom model): every parameter is passed on as given. */
  public static final ModelRules UNKNOWN = new ModelRules(false, Set.of(TEMPERATURE, "top_p", "top_k"), true, true,
      true, 0, 0, 0, null, null, new LinkedHashSet<>(CompletionRequest.REASONING_EFFORTS));

  public ModelRules {
    samplingParameters = Set.copyOf(samplingParameters);
    reasoningEfforts = Set.copyOf(reasoningEfforts);
  }

  /** Rules whose reasoning efforts are OpenAI's when the model takes reasoning controls, else none. */
  public ModelRules(boolean reasoning, Set<String> samplingParameters, boolean reasoningControls, boolean tools,
      boolean vision, int maxOutputTokens, int contextWindow, int minCacheableTokens, String source,
      LocalDate effective) {
    this(reasoning, samplingParameters, reasoningControls, tools, vision, maxOutputTokens, contextWindow,
        minCacheableTokens, source, effective, reasoningControls ? OPENAI_EFFORTS : Set.of());
  }

  /** Rules of reasoning and sampling only: reasoning controls as {@code reasoning}, tools and images taken. */
  public ModelRules(boolean reasoning, Set<String> samplingParameters, String source, LocalDate effective) {
    this(reasoning, samplingParameters, true, true, true, 0, 0, 0, source, effective);
  }

  /** Whether the model's API takes {@code parameter}. */
  public boolean accepts(String parameter) {
    return samplingParameters.contains(parameter);
  }

  /**
   * Whether any sampling parameter can make the model's answers repeatable. Without one (the gpt-5 family, Claude
   * Opus 4.7), caching a task is its own opt-in: there is no {@code temperature: 0} to ask for.
   */
  public boolean hasSamplingControl() {
    return !samplingParameters.isEmpty();
  }
}
