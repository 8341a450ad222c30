package io.finops4j.langchain4j;

import dev.langchain4j.model.ModelProvider;
import io.finops4j.api.Attribution;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/** What both decorators are configured with: the task type, the default attribution and the provider's name. */
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

  /** finops4j's provider name (the prefix of {@code provider/model} in the price table) of a LangChain4j provider. */
  static String providerName(ModelProvider provider) {
    if (provider == null) {
      return "other";
    }
    switch (provider) {
      case OPEN_AI:
      case AZURE_OPEN_AI:
      case GITHUB_MODELS:
        return "openai";
      case ANTHROPIC:
      case GOOGLE_VERTEX_AI_ANTHROPIC:
        return "anthropic";
      case GOOGLE_AI_GEMINI:
      case GOOGLE_GENAI:
      case GOOGLE_VERTEX_AI_GEMINI:
        return "gemini";
      default:
        return provider.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
