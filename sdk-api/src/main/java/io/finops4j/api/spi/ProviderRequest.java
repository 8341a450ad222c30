package io.finops4j.api.spi;

import io.finops4j.api.JsonSchema;
import io.finops4j.api.Prompt;
import io.finops4j.api.Tool;
import java.time.Duration;
import java.util.List;

/**
 * What the engine asks a provider for.
 *
 * @param model the provider's own model id (no provider prefix), e.g. {@code gpt-5-mini}
 * @param prompt the messages
 * @param maxOutputTokens the answer's output ceiling (after cost-cap clamping), or {@code null} for the provider
 *     default; a thinking budget comes on top of it
 * @param temperature sampling temperature, or {@code null}
 * @param user an opaque end-user id for the provider's abuse monitoring (OpenAI {@code user}, Anthropic
 *     {@code metadata.user_id}), or {@code null}
 * @param cachePrompt true when the policy asks for provider prompt caching of the stable prefix
 * @param timeout the most this one exchange may take, body included (what is left of the call's deadline), or
 *     {@code null} for the client's own call timeout alone
 * @param tools the function tools the model may call; empty for none
 * @param toolChoice {@code auto}, {@code required}, {@code none} or a tool name, or {@code null}
 * @param jsonSchema the schema of a structured answer, or {@code null}
 * @param reasoningEffort the reasoning effort (OpenAI {@code reasoning_effort}, Anthropic {@code output_config.effort},
 *     Gemini 3 {@code thinkingLevel}), or {@code null}
 * @param thinkingBudget thinking tokens on top of {@code maxOutputTokens} (Anthropic, Gemini), or {@code null}
 */
public record ProviderRequest(String model, Prompt prompt, Integer maxOutputTokens, Double temperature, String user,
    boolean cachePrompt, Duration timeout, List<Tool> tools, String toolChoice, JsonSchema jsonSchema,
    String reasoningEffort, Integer thinkingBudget) {

  public ProviderRequest {
    tools = tools == null ? List.of() : List.copyOf(tools);
  }

  /** A text request with a timeout. */
  public ProviderRequest(String model, Prompt prompt, Integer maxOutputTokens, Double temperature, String user,
      boolean cachePrompt, Duration timeout) {
    this(model, prompt, maxOutputTokens, temperature, user, cachePrompt, timeout, List.of(), null, null, null, null);
  }

  /** A text request bounded only by the client's own call timeout. */
  public ProviderRequest(String model, Prompt prompt, Integer maxOutputTokens, Double temperature, String user,
      boolean cachePrompt) {
    this(model, prompt, maxOutputTokens, temperature, user, cachePrompt, null);
  }

  /** This request with {@code timeout}. */
  public ProviderRequest withTimeout(Duration timeout) {
    return new ProviderRequest(model, prompt, maxOutputTokens, temperature, user, cachePrompt, timeout, tools,
        toolChoice, jsonSchema, reasoningEffort, thinkingBudget);
  }

  /** This request with {@code user} as the end-user id. */
  public ProviderRequest withUser(String user) {
    return new ProviderRequest(model, prompt, maxOutputTokens, temperature, user, cachePrompt, timeout, tools,
        toolChoice, jsonSchema, reasoningEffort, thinkingBudget);
  }

  /** This request with tools, structured output and reasoning controls. */
  public ProviderRequest with(List<Tool> tools, String toolChoice, JsonSchema jsonSchema, String reasoningEffort,
      Integer thinkingBudget) {
    return new ProviderRequest(model, prompt, maxOutputTokens, temperature, user, cachePrompt, timeout, tools,
        toolChoice, jsonSchema, reasoningEffort, thinkingBudget);
  }

  /** The output ceiling including the thinking budget: what the provider may bill as output, or null. */
  public Integer outputCeiling() {
    if (maxOutputTokens == null) {
      return null;
    }
    return thinkingBudget == null ? maxOutputTokens : maxOutputTokens + thinkingBudget;
  }
}
