package io.finops4j.springai;

import io.finops4j.api.Attribution;
import java.math.BigDecimal;
import java.util.Objects;

/** What the decorator is configured with: the task type, default attribution, provider name and cost cap. */
final class Settings {

  /** The task type of a decorator built without one. */
  static final String DEFAULT_TASK = "chat";

  final String taskType;
  final Attribution attribution;
  final String provider;
  /** A cost cap for each call, in USD, or {@code null}. */
  final BigDecimal maxCostUsd;

  Settings(String taskType, Attribution attribution, String provider, BigDecimal maxCostUsd) {
    this.taskType = Objects.requireNonNull(taskType, "taskType");
    this.attribution = attribution == null ? Attribution.NONE : attribution;
    this.provider = Objects.requireNonNull(provider, "provider");
    this.maxCostUsd = maxCostUsd;
  }

  /**
   * finops4j's provider name (the prefix of {@code provider/model} in the price table) of a Spring AI chat model,
   * from its class: {@code OpenAiChatModel} is {@code openai}, {@code AnthropicChatModel} {@code anthropic},
   * Gemini and Vertex Gemini models {@code gemini}; else the class name without {@code ChatModel}, lower case.
   */
  static String providerName(Object model) {
    String name = model.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    if (name.contains("azureopenai") || name.startsWith("openai")) {
      return "openai";
    }
    if (name.contains("anthropic")) {
      return "anthropic";
    }
    if (name.contains("gemini") || name.contains("googlegenai")) {
      return "gemini";
    }
    return name.replace("chatmodel", "");
  }
}
