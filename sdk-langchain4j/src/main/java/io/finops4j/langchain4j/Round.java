package io.finops4j.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.util.function.Function;

/**
 * One round trip of the framework as one finops4j call: the {@link ProviderClient} that the engine calls at the end
 * of its pipeline (after routing, caps and budget reservations) to make the call's one provider request, which is
 * the delegate's own {@code chat(request)}. It keeps the framework's whole {@link ChatResponse} (tool calls
 * included) for the decorator to return unchanged, and hands the engine the text, model and usage to price.
 */
final class Round implements ProviderClient {

  private final String provider;
  private final ChatRequest request;
  /** The output ceiling the call has without finops4j: the request's, else the model's own from the price table. */
  private final Integer ceiling;
  private final Function<ChatRequest, ChatResponse> invoke;
  /** Set once the delegate answered; read by the decorator after the pipeline returned. */
  volatile ChatResponse response;

  private Round(String provider, ChatRequest request, Integer ceiling, Function<ChatRequest, ChatResponse> invoke) {
    this.provider = provider;
    this.request = request;
    this.ceiling = ceiling;
    this.invoke = invoke;
  }

  /**
   * The finops4j request of one round trip: the framework's model forced (the delegate makes the call with it),
   * the messages and tool definitions as the prompt (for the worst-case input bound), the framework's output
   * ceiling, and the attribution of the current scope over the decorator's default.
   */
  static CompletionRequest request(Llm llm, Settings settings, ChatRequestParameters defaults, ChatRequest chatRequest,
      Function<ChatRequest, ChatResponse> invoke) {
    ChatRequestParameters effective = defaults == null ? chatRequest.parameters()
        : defaults.overrideWith(chatRequest.parameters());
    String modelName = effective.modelName();
    if (modelName == null) {
      throw new IllegalStateException("finops4j needs the model name of each LangChain4j request to price it; set "
          + "modelName on the wrapped model or on the request");
    }
    ModelId model = new ModelId(settings.provider, modelName);
    Round round = new Round(settings.provider, chatRequest, ceiling(llm, model, effective.maxOutputTokens()), invoke);
    return CompletionRequest.builder(settings.taskType, prompt(chatRequest))
        .attribution(Attribution.current().withDefaults(settings.attribution))
        .model(model)
        .maxOutputTokens(effective.maxOutputTokens())
        .maxCostUsd(settings.maxCostUsd)
        .cacheEnabled(false)
        .client(round)
        .build();
  }

  /**
   * The output ceiling a call has without finops4j: the request's own, else the model's from the price table (the
   * ceiling budgets reserve for when the request names none), else {@code null}.
   */
  static Integer ceiling(Llm llm, ModelId model, Integer requested) {
    if (requested != null) {
      return requested;
    }
    long own = llm.price(model).map(p -> p.maxOutputTokens()).orElse(0L);
    return own > 0 ? (int) Math.min(own, Integer.MAX_VALUE) : null;
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
    ChatRequest chatRequest = request;
    Integer max = sent.maxOutputTokens();
    if (max != null && (ceiling == null || max < ceiling)) {
      // a cost cap clamped the ceiling the budgets reserved for: the call must not pass it. (A ceiling the call
      // has anyway is not sent: OpenAI's reasoning models refuse max_tokens.)
      chatRequest = ChatRequest.builder().messages(request.messages())
          .parameters(request.parameters().overrideWith(ChatRequestParameters.builder().maxOutputTokens(max).build()))
          .build();
    }
    ChatResponse r = invoke.apply(chatRequest);
    response = r;
    String text = r.aiMessage() == null || r.aiMessage().text() == null ? "" : r.aiMessage().text();
    return new ProviderResponse(text, r.metadata().modelName(), Usages.of(r.metadata().tokenUsage()),
        r.metadata().finishReason() == null ? null : r.metadata().finishReason().name().toLowerCase(java.util.Locale.ROOT),
        r.metadata().id());
  }

  @Override
  public ProviderResponse stream(ProviderRequest sent, Llm.TextListener listener) {
    return complete(sent); // the decorators hand deltas to the framework's own handler
  }

  /**
   * The messages as a finops4j prompt, for the conservative input bound of the worst case: every text the provider
   * reads, tool definitions and tool calls included. Images and other media are not counted.
   */
  static Prompt prompt(ChatRequest request) {
    StringBuilder system = new StringBuilder();
    Prompt.Builder p = Prompt.builder();
    for (ChatMessage m : request.messages()) {
      if (m instanceof SystemMessage s) {
        system.append(s.text()).append('\n');
      } else if (m instanceof UserMessage u) {
        StringBuilder t = new StringBuilder();
        for (Content c : u.contents()) {
          if (c instanceof TextContent tc) {
            t.append(tc.text());
          }
        }
        p.user(t.toString());
      } else if (m instanceof AiMessage a) {
        StringBuilder t = new StringBuilder(a.text() == null ? "" : a.text());
        if (a.toolExecutionRequests() != null) {
          for (ToolExecutionRequest r : a.toolExecutionRequests()) {
            t.append('\n').append(r.name()).append(' ').append(r.arguments());
          }
        }
        p.assistant(t.toString());
      } else if (m instanceof ToolExecutionResultMessage r) {
        p.user(r.text() == null ? "" : r.text());
      } else {
        p.user(String.valueOf(m));
      }
    }
    if (request.toolSpecifications() != null) {
      for (ToolSpecification tool : request.toolSpecifications()) {
        system.append(tool.toJson()).append('\n');
      }
    }
    if (system.length() > 0) {
      p.system(system.toString());
    }
    return p.build();
  }
}
