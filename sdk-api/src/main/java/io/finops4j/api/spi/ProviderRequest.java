package io.finops4j.api.spi;

import io.finops4j.api.Prompt;

/**
 * What the engine asks a provider for.
 *
 * @param model the provider's own model id (no provider prefix), e.g. {@code gpt-5-mini}
 * @param prompt the messages
 * @param maxOutputTokens the output ceiling (after cost-cap clamping), or {@code null} for the provider default
 * @param temperature sampling temperature, or {@code null}
 * @param user an opaque end-user id for the provider's abuse monitoring (OpenAI {@code user}, Anthropic
 *     {@code metadata.user_id}), or {@code null}
 * @param cachePrompt true when the policy asks for provider prompt caching of the stable prefix
 * @param timeout the most this one exchange may take, body included (what is left of the call's deadline), or
 *     {@code null} for the client's own call timeout alone
 */
public record ProviderRequest(String model, Prompt prompt, Integer maxOutputTokens, Double temperature, String user,
    boolean cachePrompt, java.time.Duration timeout) {

  /** A request bounded only by the client's own call timeout. */
  public ProviderRequest(String model, Prompt prompt, Integer maxOutputTokens, Double temperature, String user,
      boolean cachePrompt) {
    this(model, prompt, maxOutputTokens, temperature, user, cachePrompt, null);
  }

  /** This request with {@code timeout}. */
  public ProviderRequest withTimeout(java.time.Duration timeout) {
    return new ProviderRequest(model, prompt, maxOutputTokens, temperature, user, cachePrompt, timeout);
  }
}
