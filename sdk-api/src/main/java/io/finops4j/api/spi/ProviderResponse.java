package io.finops4j.api.spi;

import io.finops4j.api.Usage;

/**
 * What a provider answered.
 *
 * @param text the generated text
 * @param model the model id the provider reported (may be a dated snapshot), or {@code null}
 * @param usage the usage normalized to {@link Usage}'s meaning, or {@code null} when the provider reported none
 * @param finishReason the provider's finish reason, or {@code null}
 * @param requestId the provider's request id (a response header), or {@code null}
 * @param responseId the id of the response object itself (OpenAI {@code chatcmpl-...}, Anthropic {@code msg_...},
 *     Gemini {@code responseId}), or {@code null}
 */
public record ProviderResponse(String text, String model, Usage usage, String finishReason, String requestId,
    String responseId) {

  /** A response without an id of its own. */
  public ProviderResponse(String text, String model, Usage usage, String finishReason, String requestId) {
    this(text, model, usage, finishReason, requestId, null);
  }
}
