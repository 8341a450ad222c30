package io.finops4j.benchmarks.frameworks;

import io.finops4j.benchmarks.loopback.ChatClient;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * Spring AI 2.0's {@link OpenAiChatModel} built directly, without a Spring context, pointed at the loopback server.
 * Spring AI 2.0 sends through the official OpenAI Java SDK ({@code com.openai:openai-java-core}) on Spring AI's own
 * OkHttp client. Loaded by {@code SideBySide} by reflection, through the {@code (String baseUrl)} constructor.
 */
public final class SpringAiChat implements ChatClient {

  private final OpenAiChatModel model;

  public SpringAiChat(String baseUrl) {
    OpenAiChatOptions options = OpenAiChatOptions.builder()
        // the SDK appends "chat/completions" to the base URL, as the other clients do with ".../v1"
        .baseUrl(baseUrl)
        .apiKey("sk-loopback")
        .model("gpt-5-mini")
        // max_completion_tokens, the field gpt-5 models take and the other clients send
        .maxCompletionTokens(50)
        .temperature(0.0)
        // no retries: a failed call counts as an error, as it does for the raw baseline (never happens on loopback)
        .maxRetries(0)
        // timeout left at Spring AI's default (60 s): an application keeps one, as finops4j does
        .build();
    this.model = OpenAiChatModel.builder()
        .options(options)
        // NOOP (also the default): no Micrometer observation per call, no meter registry, no connection-pool metrics
        .observationRegistry(ObservationRegistry.NOOP)
        .httpClientBuilderCustomizers(List.of(http -> http
            // Spring AI already lifts OkHttp's per-host limit (5) to maxRequests (64), but keeps OkHttp's default
            // pool of 5 idle connections: with 64 callers most connections would be closed after each call and
            // reopened. 64 idle for 5 minutes, like the raw OkHttp baseline.
            .maxIdleConnections(64)
            .keepAliveDuration(Duration.ofMinutes(5))))
        .build();
  }

  @Override
  public String name() {
    return "Spring AI 2.0.1 OpenAiChatModel";
  }

  @Override
  public String complete(String user) {
    return model.call(new Prompt(List.of(new SystemMessage(SYSTEM), new UserMessage(user))))
        .getResult().getOutput().getText();
  }
}
