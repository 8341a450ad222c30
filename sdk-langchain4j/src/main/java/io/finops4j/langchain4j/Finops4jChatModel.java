package io.finops4j.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A LangChain4j {@link ChatModel} that sends each call of the model it wraps through finops4j: every round trip
 * (each step of an {@code AiServices} tool loop included) is one finops4j call, attributed, checked against cost
 * caps, workflow caps and budgets (its worst case reserved before, settled with the exact cost after), traced,
 * metered and written to the ledger. The network call is the wrapped model's own {@code chat(request)}, and its
 * {@link ChatResponse}, tool calls and all, is returned unchanged.
 *
 * <pre>{@code
 * ChatModel model = Finops4jChatModel.builder(OpenAiChatModel.builder()...build(), llm)
 *     .taskType("support-agent")
 *     .attribution(Attribution.builder().feature("support-agent").build())
 *     .build();
 * Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(new OrderTools()).build();
 *
 * try (Attribution.Scope s = Attribution.builder().customer("acme").workflow(runId).build().makeCurrent()) {
 *   assistant.chat("Where is order 42?");     // each round trip: one budgeted, priced ledger row for acme
 * } catch (BudgetExceededException | CostCapExceededException e) { ... }   // a budget, or a cost or workflow cap
 * }</pre>
 *
 * <p>A call is spent on {@link Attribution#current()} (the caller's open scope), with each field it leaves absent
 * taken from the decorator's default attribution. A call that finops4j refuses throws finops4j's exception
 * ({@code BudgetExceededException}; {@code CostCapExceededException} for a cost cap or a workflow cap) from {@code chat},
 * before any network traffic; the wrapped model's own failures reach the caller unchanged (and release the
 * reservation). The model is priced as {@code provider/model} from finops4j's price table, with the provider
 * derived from {@link ChatModel#provider()} ({@code openai}, {@code anthropic}, {@code gemini}, ...) unless set on the
 * builder, and the model the response names. When budgets apply, the output ceiling they reserved for is set on
 * the request the wrapped model receives if the request had none or a higher one.
 *
 * <p>Thread-safe when the wrapped model is.
 */
public final class Finops4jChatModel implements ChatModel {

  private final ChatModel delegate;
  private final Llm llm;
  private final Settings settings;

  private Finops4jChatModel(ChatModel delegate, Llm llm, Settings settings) {
    this.delegate = delegate;
    this.llm = llm;
    this.settings = settings;
  }

  /** Wraps {@code delegate} with task type {@code "chat"} and no default attribution. */
  public static Finops4jChatModel wrap(ChatModel delegate, Llm llm) {
    return builder(delegate, llm).build();
  }

  /** A builder for a decorator of {@code delegate} whose calls go through {@code llm}. */
  public static Builder builder(ChatModel delegate, Llm llm) {
    return new Builder(delegate, llm);
  }

  /** The wrapped model. */
  public ChatModel delegate() {
    return delegate;
  }

  @Override
  public ChatResponse chat(ChatRequest chatRequest) {
    return run(chatRequest, delegate::chat);
  }

  @Override
  public ChatResponse chat(ChatRequest chatRequest, ChatRequestOptions options) {
    return run(chatRequest, r -> delegate.chat(r, options));
  }

  @Override
  public ChatResponse doChat(ChatRequest chatRequest) {
    return run(chatRequest, delegate::doChat);
  }

  private ChatResponse run(ChatRequest chatRequest, java.util.function.Function<ChatRequest, ChatResponse> invoke) {
    CompletionRequest request = Round.request(llm, settings, delegate.defaultRequestParameters(), chatRequest, invoke);
    llm.complete(request);
    return Round.response(request);
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
    return "Finops4jChatModel{" + delegate + ", task=" + settings.taskType + "}";
  }

  /** Builds a {@link Finops4jChatModel}. */
  public static final class Builder {
    private final ChatModel delegate;
    private final Llm llm;
    private String taskType = Settings.DEFAULT_TASK;
    private Attribution attribution = Attribution.NONE;
    private String provider;
    private BigDecimal maxCostUsd;

    private Builder(ChatModel delegate, Llm llm) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.llm = Objects.requireNonNull(llm, "llm");
    }

    /** The finops4j task type of every call (task caps and ledger grouping); {@code "chat"} by default. */
    public Builder taskType(String taskType) {
      this.taskType = Objects.requireNonNull(taskType, "taskType");
      return this;
    }

    /** The attribution of calls made outside any scope, and the defaults of fields a scope leaves absent. */
    public Builder attribution(Attribution attribution) {
      this.attribution = Objects.requireNonNull(attribution, "attribution");
      return this;
    }

    /**
     * The provider part of {@code provider/model} in finops4j's price table; by default derived from the wrapped
     * model's {@link ChatModel#provider()}.
     */
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

    public Finops4jChatModel build() {
      return new Finops4jChatModel(delegate, llm, new Settings(taskType, attribution,
          provider != null ? provider : Settings.providerName(delegate.provider()), maxCostUsd));
    }
  }
}
