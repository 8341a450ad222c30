package io.finops4j.api.spi;

import io.finops4j.api.ReasoningBlock;
import io.finops4j.api.ToolCall;
import io.finops4j.api.Usage;
import java.util.List;

/**
 * What a provider answered.
 *
 * @param text the generated text (for an Anthropic structured answer, the JSON of the forced tool's input)
 * @param model the model id the provider reported (may be a dated snapshot), or {@code null}
 * @param usage the usage normalized to {@link Usage}'s meaning, or {@code null} when the provider reported none
 * @param finishReason the provider's finish reason, or {@code null}
 * @param requestId the provider's request id (a response header), or {@code null}
 * @param responseId the id of the response object itself (OpenAI {@code chatcmpl-...}, Anthropic {@code msg_...},
 *     Gemini {@code responseId}), or {@code null}
 * @param toolCalls the tool calls the model made, in order; empty for none
 * @param reasoning the reasoning blocks the provider needs back in the next request of a tool loop, in order;
 *     empty for none
 */
public record ProviderResponse(String text, String model, Usage usage, String finishReason, String requestId,
    String responseId, List<ToolCall> toolCalls, List<ReasoningBlock> reasoning) {

  public ProviderResponse {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    reasoning = reasoning == null ? List.of() : List.copyOf(reasoning);
  }

  /** A response without reasoning blocks to send back. */
  public ProviderResponse(String text, String model, Usage usage, String finishReason, String requestId,
      String responseId, List<ToolCall> toolCalls) {
    this(text, model, usage, finishReason, requestId, responseId, toolCalls, List.of());
  }

  /** A response without tool calls. */
  public ProviderResponse(String text, String model, Usage usage, String finishReason, String requestId,
      String responseId) {
    this(text, model, usage, finishReason, requestId, responseId, List.of());
  }

  /** A response without an id of its own. */
  public ProviderResponse(String text, String model, Usage usage, String finishReason, String requestId) {
    this(text, model, usage, finishReason, requestId, null);
  }
}
