package io.finops4j.springai;

import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.util.Locale;
import java.util.function.Function;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * One round trip of Spring AI as one finops4j call: the {@link ProviderClient} that the engine calls at the end of
 * its pipeline (after caps and budget reservations) to make the call's one provider request, which is the wrapped
 * model's own {@code call(prompt)} (or its whole stream). It keeps the framework's {@link ChatResponse} for the
 * decorator to return unchanged, and hands the engine the text, model and usage to price.
 */
final class Round implements ProviderClient {

  private final String provider;
  private final org.springframework.ai.chat.prompt.Prompt prompt;
  /** The output ceiling the call has without finops4j: the options', else the model's own from the price table. */
  private final Integer ceiling;
  private final Function<org.springframework.ai.chat.prompt.Prompt, ChatResponse> invoke;
  /** Set once the wrapped model answered; read by the decorator after the pipeline returned. */
  volatile ChatResponse response;

  private Round(String provider, org.springframework.ai.chat.prompt.Prompt prompt, Integer ceiling,
      Function<org.springframework.ai.chat.prompt.Prompt, ChatResponse> invoke) {
    this.provider = provider;
    this.prompt = prompt;
    this.ceiling = ceiling;
    this.invoke = invoke;
  }

  /**
   * The finops4j request of one round trip: the model forced (the wrapped model makes the call with it), the messages
   * and tool definitions as the prompt (for the worst-case input bound), the framework's output ceiling, and the
   * attribution of the call ({@code perCall}'s, else the current scope's) over the decorator's default.
   */
  static CompletionRequest request(Llm llm, Settings settings, PerCall perCall, ChatOptions defaults,
      org.springframework.ai.chat.prompt.Prompt prompt,
      Function<org.springframework.ai.chat.prompt.Prompt, ChatResponse> invoke) {
    ChatOptions options = prompt.getOptions();
    String model = options != null && options.getModel() != null ? options.getModel()
        : defaults != null ? defaults.getModel() : null;
    if (model == null) {
      throw new IllegalStateException("finops4j needs the model name of each Spring AI call to price it; set the "
          + "model in the chat model's default options or in the prompt's");
    }
    Integer max = options != null && options.getMaxTokens() != null ? options.getMaxTokens()
        : defaults != null ? defaults.getMaxTokens() : null;
    Attribution scoped = perCall != null && perCall.attribution() != null ? perCall.attribution() : Attribution.current();
    String task = perCall != null && perCall.taskType() != null ? perCall.taskType() : settings.taskType;
    ModelId id = new ModelId(settings.provider, model);
    Integer ceiling = max;
    if (ceiling == null) {
      long own = llm.price(id).map(p -> p.maxOutputTokens()).orElse(0L);
      ceiling = own > 0 ? (int) Math.min(own, Integer.MAX_VALUE) : null;
    }
    return CompletionRequest.builder(task, prompt(prompt))
        .attribution(scoped.withDefaults(settings.attribution))
        .model(id)
        .maxOutputTokens(max)
        .maxCostUsd(settings.maxCostUsd)
        .cacheEnabled(false)
        .client(new Round(settings.provider, prompt, ceiling, invoke))
        .build();
  }

  /** The framework's response of {@code request}'s round, once the call went through. */
  static ChatResponse response(CompletionRequest request) {
    return ((Round) request.client()).response;
  }

  @Override
  public String name() {
    return provider;
  }

  @Override
  public ProviderResponse complete(ProviderRequest sent) {
    org.springframework.ai.chat.prompt.Prompt p = prompt;
    Integer max = sent.maxOutputTokens();
    if (max != null && (ceiling == null || max < ceiling)) {
      // a cost cap clamped the ceiling the budgets reserved for: the call must not pass it. (A ceiling the call
      // has anyway is not sent: OpenAI's reasoning models refuse max_tokens.)
      p = withMaxTokens(prompt, max);
    }
    ChatResponse r = invoke.apply(p);
    response = r;
    Generation g = r == null ? null : r.getResult();
    String text = g == null || g.getOutput() == null || g.getOutput().getText() == null ? "" : g.getOutput().getText();
    String finish = g == null || g.getMetadata() == null || g.getMetadata().getFinishReason() == null ? null
        : g.getMetadata().getFinishReason().toLowerCase(Locale.ROOT);
    String model = r == null || r.getMetadata() == null ? null : emptyToNull(r.getMetadata().getModel());
    return new ProviderResponse(text, model, r == null || r.getMetadata() == null ? null : Usages.of(r.getMetadata().getUsage()),
        finish, r == null || r.getMetadata() == null ? null : emptyToNull(r.getMetadata().getId()));
  }

  @Override
  public ProviderResponse stream(ProviderRequest sent, Llm.TextListener listener) {
    return complete(sent);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /**
   * {@code prompt} with its options' output ceiling set to {@code max}, on a copy of the options (or of nothing, when
   * the options have no {@code setMaxTokens}: most provider options have one).
   */
  private static org.springframework.ai.chat.prompt.Prompt withMaxTokens(org.springframework.ai.chat.prompt.Prompt prompt,
      int max) {
    ChatOptions options = prompt.getOptions();
    if (options == null) {
      return new org.springframework.ai.chat.prompt.Prompt(prompt.getInstructions(),
          ChatOptions.builder().maxTokens(max).build());
    }
    ChatOptions copy;
    try {
      copy = SpringAiLine.withMaxTokens(options, max);
    } catch (RuntimeException e) {
      return prompt;
    }
    return copy == null ? prompt : new org.springframework.ai.chat.prompt.Prompt(prompt.getInstructions(), copy);
  }

  /**
   * The messages as a finops4j prompt, for the conservative input bound of the worst case: every text the provider
   * reads, tool definitions and tool calls included. Media are not counted.
   */
  static Prompt prompt(org.springframework.ai.chat.prompt.Prompt prompt) {
    StringBuilder system = new StringBuilder();
    Prompt.Builder p = Prompt.builder();
    for (Message m : prompt.getInstructions()) {
      if (m instanceof SystemMessage s) {
        system.append(s.getText()).append('\n');
      } else if (m instanceof AssistantMessage a) {
        StringBuilder t = new StringBuilder(a.getText() == null ? "" : a.getText());
        for (AssistantMessage.ToolCall call : a.getToolCalls()) {
          t.append('\n').append(call.name()).append(' ').append(call.arguments());
        }
        p.assistant(t.toString());
      } else if (m instanceof ToolResponseMessage r) {
        StringBuilder t = new StringBuilder();
        for (ToolResponseMessage.ToolResponse response : r.getResponses()) {
          t.append(response.responseData()).append('\n');
        }
        p.user(t.toString());
      } else {
        p.user(m.getText() == null ? "" : m.getText());
      }
    }
    // Spring AI 2.0's options return null for no tool callbacks
    if (prompt.getOptions() instanceof ToolCallingChatOptions tools && tools.getToolCallbacks() != null) {
      for (ToolCallback tool : tools.getToolCallbacks()) {
        system.append(tool.getToolDefinition().name()).append(' ').append(tool.getToolDefinition().description())
            .append(' ').append(tool.getToolDefinition().inputSchema()).append('\n');
      }
    }
    if (system.length() > 0) {
      p.system(system.toString());
    }
    return p.build();
  }
}
