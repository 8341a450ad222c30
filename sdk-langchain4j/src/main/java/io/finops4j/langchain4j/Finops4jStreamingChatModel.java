package io.finops4j.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * The streaming twin of {@link Finops4jChatModel}: each {@code chat(request, handler)} of the wrapped
 * {@link StreamingChatModel} is one finops4j call, refused before any network traffic when a budget or cap says
 * so, and priced from the usage of the stream's final response.
 *
 * <pre>{@code
 * StreamingChatModel model = Finops4jStreamingChatModel.builder(OpenAiStreamingChatModel.builder()...build(), llm)
 *     .taskType("support-agent").build();
 * }</pre>
 *
 * <p>The call runs on the {@code Llm}'s executor (as {@code completeAsync} does), so {@code chat} returns at once as
 * LangChain4j's streaming models do. Partial responses, thinking and tool calls reach {@code handler} as the
 * wrapped model delivers them, on its threads; {@code onCompleteResponse} is called with the wrapped model's
 * response, unchanged, once the call is priced, settled and recorded; a refusal or a failure reaches
 * {@code onError}. The attribution is taken from the caller's scope when {@code chat} is called.
 */
public final class Finops4jStreamingChatModel implements StreamingChatModel {

  private final StreamingChatModel delegate;
  private final Llm llm;
  private final Settings settings;

  private Finops4jStreamingChatModel(StreamingChatModel delegate, Llm llm, Settings settings) {
    this.delegate = delegate;
    this.llm = llm;
    this.settings = settings;
  }

  /** Wraps {@code delegate} with task type {@code "chat"} and no default attribution. */
  public static Finops4jStreamingChatModel wrap(StreamingChatModel delegate, Llm llm) {
    return builder(delegate, llm).build();
  }

  /** A builder for a decorator of {@code delegate} whose calls go through {@code llm}. */
  public static Builder builder(StreamingChatModel delegate, Llm llm) {
    return new Builder(delegate, llm);
  }

  /** The wrapped model. */
  public StreamingChatModel delegate() {
    return delegate;
  }

  @Override
  public void chat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
    run(chatRequest, handler, delegate::chat);
  }

  @Override
  public void chat(ChatRequest chatRequest, ChatRequestOptions options, StreamingChatResponseHandler handler) {
    run(chatRequest, handler, (r, h) -> delegate.chat(r, options, h));
  }

  private void run(ChatRequest chatRequest, StreamingChatResponseHandler handler,
      BiConsumer<ChatRequest, StreamingChatResponseHandler> start) {
    CompletionRequest request;
    try {
      request = Round.request(llm, settings, delegate.defaultRequestParameters(), chatRequest, r -> {
        // on the Llm's executor, after the pipeline admitted the call: stream, and wait for the final response
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        start.accept(r, new Forwarding(handler, done));
        try {
          return done.join();
        } catch (CompletionException e) {
          throw e.getCause() instanceof RuntimeException re ? re : e;
        }
      });
    } catch (RuntimeException e) {
      handler.onError(e);
      return;
    }
    llm.completeAsync(request).whenComplete((completion, error) -> {
      if (error != null) {
        handler.onError(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
      } else {
        handler.onCompleteResponse(Round.response(request));
      }
    });
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return delegate.defaultRequestParameters();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return delegate.listeners();
  }

  @Override
  public ModelProvider provider() {
    return delegate.provider();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return delegate.supportedCapabilities();
  }

  @Override
  public String toString() {
    return "Finops4jStreamingChatModel{" + delegate + ", task=" + settings.taskType + "}";
  }

  /** Hands every event but the end to the caller's handler as it comes; the end completes {@code done}. */
  private static final class Forwarding implements StreamingChatResponseHandler {
    private final StreamingChatResponseHandler target;
    private final CompletableFuture<ChatResponse> done;

    Forwarding(StreamingChatResponseHandler target, CompletableFuture<ChatResponse> done) {
      this.target = target;
      this.done = done;
    }

    @Override public void onPartialResponse(String partial) { target.onPartialResponse(partial); }
    @Override public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
      target.onPartialResponse(partial, context);
    }
    @Override public void onPartialThinking(PartialThinking thinking) { target.onPartialThinking(thinking); }
    @Override public void onPartialThinking(PartialThinking thinking, PartialThinkingContext context) {
      target.onPartialThinking(thinking, context);
    }
    @Override public void onPartialToolCall(PartialToolCall call) { target.onPartialToolCall(call); }
    @Override public void onPartialToolCall(PartialToolCall call, PartialToolCallContext context) {
      target.onPartialToolCall(call, context);
    }
    @Override public void onCompleteToolCall(CompleteToolCall call) { target.onCompleteToolCall(call); }
    @Override public void onUnmappedRawEvent(Object event) { target.onUnmappedRawEvent(event); }
    @Override public void onCompleteResponse(ChatResponse response) { done.complete(response); }
    @Override public void onError(Throwable error) { done.completeExceptionally(error); }
  }

  /** Builds a {@link Finops4jStreamingChatModel}. */
  public static final class Builder {
    private final StreamingChatModel delegate;
    private final Llm llm;
    private String taskType = Settings.DEFAULT_TASK;
    private Attribution attribution = Attribution.NONE;
    private String provider;
    private BigDecimal maxCostUsd;

    private Builder(StreamingChatModel delegate, Llm llm) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.llm = Objects.requireNonNull(llm, "llm");
    }

    /** The finops4j task type of every call; {@code "chat"} by default. */
    public Builder taskType(String taskType) {
      this.taskType = Objects.requireNonNull(taskType, "taskType");
      return this;
    }

    /** The attribution of calls made outside any scope, and the defaults of fields a scope leaves absent. */
    public Builder attribution(Attribution attribution) {
      this.attribution = Objects.requireNonNull(attribution, "attribution");
      return this;
    }

    /** The provider part of {@code provider/model}; by default derived from the wrapped model's provider. */
    public Builder provider(String provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * A cost cap for each call, in USD: a call whose worst case passes it has its output ceiling clamped to fit
     * (and sent to the wrapped model), or is refused with {@code CostCapExceededException}. A task's
     * {@code max-cost-per-request} applies as well; the smaller wins.
     */
    public Builder maxCostPerCall(BigDecimal usd) {
      this.maxCostUsd = usd;
      return this;
    }

    public Finops4jStreamingChatModel build() {
      return new Finops4jStreamingChatModel(delegate, llm, new Settings(taskType, attribution,
          provider != null ? provider : Settings.providerName(delegate.provider()), maxCostUsd));
    }
  }
}
