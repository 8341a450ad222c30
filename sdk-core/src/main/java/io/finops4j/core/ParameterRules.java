package io.finops4j.core;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelRules;
import io.finops4j.api.UnsupportedParameterException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the model rules to what a request sends, just before the provider call: a parameter the model's API does
 * not take is refused with {@link UnsupportedParameterException} (the default, {@code reject}), or left out with one
 * WARN per model ({@code routing: { unsupported-parameters: drop }}).
 */
public final class ParameterRules {

  private static final Logger LOG = LoggerFactory.getLogger(ParameterRules.class);

  private final ModelRulesCatalog catalog;
  private final boolean drop;
  /** The model and parameter pairs already warned about: one WARN each. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public ParameterRules(ModelRulesCatalog catalog, boolean drop) {
    this.catalog = catalog;
    this.drop = drop;
  }

  /** The rules of {@code model}. */
  public ModelRules rules(ModelId model) {
    return catalog.rules(model);
  }

  /** Whether unsupported parameters are left out rather than refused. */
  public boolean drops() {
    return drop;
  }

  /** The temperature to send to {@code model}: as asked, or null when the model takes none and the rule drops it. */
  public Double temperature(ModelId model, Double temperature) {
    if (temperature == null || catalog.rules(model).accepts(ModelRules.TEMPERATURE)) {
      return temperature;
    }
    if (!drop) {
      throw new UnsupportedParameterException(model, ModelRules.TEMPERATURE, message(model, temperature));
    }
    if (warned.add(model + " " + ModelRules.TEMPERATURE)) {
      LOG.warn("finops4j: {} takes no temperature; temperature {} is left out of its requests "
          + "(routing.unsupported-parameters: drop)", model, temperature);
    }
    return null;
  }

  /**
   * The reasoning effort to send to {@code model}: as asked, or null when the model does not take that effort
   * (it does not reason, steers by a thinking budget only, or takes other values) and the rule drops it.
   */
  public String reasoningEffort(ModelId model, String effort) {
    ModelRules rules = catalog.rules(model);
    if (effort == null || rules.reasoningControls() && rules.reasoningEfforts().contains(effort)) {
      return effort;
    }
    if (!rules.reasoningControls()) {
      return notReasoning(model, "reasoning-effort", effort);
    }
    String message = rules.reasoningEfforts().isEmpty()
        ? model + " takes no reasoning effort (it is steered by a thinking budget), so reasoning-effort " + effort
            + " cannot be sent to it; use thinking-budget instead, route the task to a model that takes an effort,"
            + " or set routing: { unsupported-parameters: drop } to leave it out for such models"
        : model + " takes reasoning-effort " + String.join(", ", ordered(rules.reasoningEfforts())) + ", not "
            + effort + "; pick one of those, or set routing: { unsupported-parameters: drop } to leave it out for"
            + " such models";
    if (!drop) {
      throw new UnsupportedParameterException(model, "reasoning-effort", message);
    }
    if (warned.add(model + " reasoning-effort")) {
      LOG.warn("finops4j: {} does not take reasoning-effort {}; it is left out of its requests"
          + " (routing.unsupported-parameters: drop)", model, effort);
    }
    return null;
  }

  /** {@code efforts} in the order of {@link io.finops4j.api.CompletionRequest#REASONING_EFFORTS}, low to high. */
  private static java.util.List<String> ordered(Set<String> efforts) {
    return io.finops4j.api.CompletionRequest.REASONING_EFFORTS.stream().filter(efforts::contains).toList();
  }

  /**
   * The thinking budget to send to {@code model}, likewise; an Anthropic budget from 1 to 1023 tokens is refused
   * whatever the drop setting (the API's minimum is 1024; 0 leaves thinking off).
   */
  public Integer thinkingBudget(ModelId model, Integer budget) {
    if (budget != null && budget > 0 && budget < MIN_ANTHROPIC_THINKING && "anthropic".equals(model.provider())) {
      throw new UnsupportedParameterException(model, "thinking-budget", model + " takes a thinking budget of at"
          + " least " + MIN_ANTHROPIC_THINKING + " tokens, got " + budget + "; raise thinking-budget to "
          + MIN_ANTHROPIC_THINKING + " or more, or set it to 0 to leave thinking off");
    }
    return budget == null || catalog.rules(model).reasoningControls() ? budget
        : notReasoning(model, "thinking-budget", budget);
  }

  /**
   * The answer's output ceiling to send to {@code model}: as asked when it fits the model's max output with the
   * thinking budget on top (the provider's output limit covers both). Beyond it the request is refused naming the
   * model, the limit and the largest ceiling that fits; under {@code unsupported-parameters: drop} it is clamped to
   * that, with one WARN per model. A model whose rules record no max output takes any ceiling.
   */
  public Integer maxOutputTokens(ModelId model, Integer maxOutputTokens, Integer thinkingBudget) {
    int limit = catalog.rules(model).maxOutputTokens();
    int thinking = thinkingBudget == null ? 0 : thinkingBudget;
    if (maxOutputTokens == null || limit <= 0 || (long) maxOutputTokens + thinking <= limit) {
      return maxOutputTokens;
    }
    int fits = limit - thinking;
    if (!drop || fits <= 0) {
      throw new UnsupportedParameterException(model, "max-output-tokens", model + " writes at most " + limit
          + " output tokens per call, but this asks for " + ((long) maxOutputTokens + thinking)
          + " (max-output-tokens " + maxOutputTokens + (thinking > 0 ? " + thinking-budget " + thinking : "")
          + "); " + (fits > 0 ? "lower max-output-tokens to " + fits + " or less, or set routing: {"
              + " unsupported-parameters: drop } to clamp it for such models"
              : "lower thinking-budget below " + limit));
    }
    if (warned.add(model + " max-output-tokens")) {
      LOG.warn("finops4j: {} writes at most {} output tokens per call; max-output-tokens {} is clamped to {}"
          + " (routing.unsupported-parameters: drop)", model, limit, maxOutputTokens, fits);
    }
    return fits;
  }

  /**
   * Refuses, before the network, a prompt that cannot fit {@code model}'s context window. The estimate is lenient
   * (the smaller of the estimator's count and one token per four characters, images left out) so that a prompt
   * the provider would take is never refused; one beyond even that would be a certain 400.
   */
  public void contextWindow(ModelId model, io.finops4j.api.Prompt prompt, io.finops4j.api.spi.TokenEstimator tokens) {
    int window = catalog.rules(model).contextWindow();
    if (window <= 0 || prompt.chars() / 4 <= window) { // the cheap bound first: counting is not free
      return;
    }
    long input = Math.min(tokens.count(prompt, model), prompt.chars() / 4);
    if (input > window) {
      throw new UnsupportedParameterException(model, "context-window", model + " takes at most " + window
          + " tokens of context, and this prompt is about " + input + " tokens (" + prompt.chars()
          + " characters); shorten the prompt (drop or summarize earlier turns) or route the task to a model with a"
          + " larger context window");
    }
  }

  /** Anthropic's smallest {@code thinking.budget_tokens}. */
  static final int MIN_ANTHROPIC_THINKING = 1024;

  private <T> T notReasoning(ModelId model, String parameter, T value) {
    String message = model + " takes no reasoning controls (its model rules say it does not reason), so " + parameter + " " + value + " cannot be sent to it; remove "
        + parameter + " from the task or request, route the task to a reasoning model, or set routing: {"
        + " unsupported-parameters: drop } to leave it out for such models";
    if (!drop) {
      throw new UnsupportedParameterException(model, parameter, message);
    }
    if (warned.add(model + " " + parameter)) {
      LOG.warn("finops4j: {} does not reason; {} is left out of its requests (routing.unsupported-parameters: drop)",
          model, parameter);
    }
    return null;
  }

  /**
   * What a request needs of {@code model} beyond parameters: tools and images on a model whose rules say it
   * takes none are refused before the network (a 400 we can predict), whatever the drop setting (leaving them
   * out would change the answer, not just its style).
   */
  public void check(ModelId model, io.finops4j.api.CompletionRequest request) {
    ModelRules rules = catalog.rules(model);
    if (!request.tools().isEmpty() && !rules.tools()) {
      throw new UnsupportedParameterException(model, "tools", model + " does not support tool calling, so the "
          + request.tools().size() + " tool(s) of this request cannot be sent to it; route the task to a model"
          + " that calls tools (or call it without tools)");
    }
    if (!rules.vision() && request.prompt().messages().stream().anyMatch(m -> !m.images().isEmpty())) {
      throw new UnsupportedParameterException(model, "images", model + " does not take image input, so this"
          + " request's images cannot be sent to it; route the task to a vision model (or send text only)");
    }
    if ("gemini".equals(model.provider()) && request.reasoningEffort() != null && request.thinkingBudget() != null
        && rules.reasoningEfforts().contains(request.reasoningEffort())) {
      // Gemini answers 400 to a thinkingConfig with both thinkingLevel and thinkingBudget
      throw new UnsupportedParameterException(model, "reasoning-effort", model + " takes a thinking level"
          + " (reasoning-effort " + request.reasoningEffort() + ") or a thinking budget (" + request.thinkingBudget()
          + " tokens), not both; remove one of them from the task or request");
    }
  }

  /** Why {@code model} refuses a temperature, and what to do about it. */
  public static String message(ModelId model, Double temperature) {
    return model + " takes no temperature (its API answers at its own default and rejects the parameter with a"
        + " 400), so temperature " + temperature + " cannot be sent to it; remove temperature from the task or request, route"
        + " the task to a model that takes one, or set routing: { unsupported-parameters: drop } to leave it out for"
        + " such models";
  }
}
