package io.finops4j.api;

import java.time.LocalDate;
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
 * @param source where the rule was read, or {@code null}
 * @param effective the date it was read, or {@code null}
 */
public record ModelRules(boolean reasoning, Set<String> samplingParameters, String source, LocalDate effective) {

  /** The sampling parameter finops4j sends. */
  public static final String TEMPERATURE = "temperature";

  /** A model the catalog does not know (a local or custom model): every parameter is passed on as given. */
  public static final ModelRules UNKNOWN = new ModelRules(false, Set.of(TEMPERATURE, "top_p", "top_k"), null, null);

  public ModelRules {
    samplingParameters = Set.copyOf(samplingParameters);
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
