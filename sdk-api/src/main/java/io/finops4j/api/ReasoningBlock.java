package io.finops4j.api;

import java.util.Objects;

/**
 * A piece of the model's reasoning that the provider needs back, unchanged, in the next request of a tool loop:
 * Anthropic's {@code thinking} block (its text and {@code signature}) or {@code redacted_thinking} block. Opaque to
 * the caller: {@link Prompt.Builder#assistant(Completion)} carries it back, the adapter of the provider that wrote it
 * sends it as it came, and other providers ignore it (a fallback to another provider does not break the loop).
 *
 * <p>{@code toString()} shows the provider and size only: the block holds the model's reasoning about customer data.
 *
 * @param provider the provider that wrote it ({@code anthropic}); only that provider's adapter sends it back
 * @param json the block as the provider sent it, a JSON object
 */
public record ReasoningBlock(String provider, String json) {

  public ReasoningBlock {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(json, "json");
  }

  @Override
  public String toString() {
    return "ReasoningBlock[" + provider + ", " + json.length() + " chars]";
  }
}
