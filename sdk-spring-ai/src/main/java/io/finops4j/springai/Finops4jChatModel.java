package io.finops4j.springai;

import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.MessageAggregator;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A Spring AI {@link ChatModel} that sends each call of the model it wraps through finops4j: every round trip (each
 * step of a tool loop included) is one finops4j call, attributed, checked against cost caps, workflow caps and
 * budgets (its worst case reserved before, settled with the exact cost after), traced, metered and written to the
 * ledger. The network call is the wrapped model's own {@code call(prompt)}, and its {@link ChatResponse} is
 * returned unchanged.
 *
 * <pre>{@code
 * ChatModel model = Finops4jChatModel.builder(openAiChatModel, llm).taskType("support-agent").build();
 * ChatClient chat = ChatClient.builder(model).defaultAdvisors(new Finops4jAdvisor()).build();
 *
 * chat.prompt().user("Where is order 42?").tools(new OrderTools())
 *     .advisors(Finops4jAdvisor.spend("support-agent", Attribution.builder().customer("acme").workflow(runId).build()))
 *     .call().content();
 * }</pre>
 *
 * <p><b>Tool loops.</b> Spring AI 1.1's chat models run tool calls inside one {@code call}; to make each round trip a
 * call of its own (so that a workflow cap can stop a runaway loop between two steps), this decorator runs the loop
 * itself, as Spring AI's {@code ToolCallAdvisor} does: it asks the wrapped model with internal tool execution off,
 * executes the requested tools with the {@link ToolCallingManager}, and asks again, until the model answers without
 * tool calls (or a tool returns directly). Prompts whose options are not {@link ToolCallingChatOptions}, and prompts
 * that turned internal tool execution off themselves, are sent as they are. Spring AI 2.0's models never execute
 * tools (its {@code ChatClient} runs the loop, one {@code call} per round trip): there every prompt is sent as it is.
 *
 * <p><b>Who pays.</b> The attribution of a {@link Finops4jAdvisor} call, else {@link Attribution#current()}, each absent
 * field taken from the builder's default. <b>Refusals</b> ({@code BudgetExceededException}, or
 * {@code CostCapExceededException} for a cost or workflow cap) are thrown from {@code call} before any network
 * traffic; the wrapped model's own failures reach the caller unchanged and release the reservation. The model is
 * priced as {@code provider/model}, the provider derived from the wrapped model's class ({@code OpenAiChatModel} is
 * {@code openai}) unless set, the model from the prompt's or default options before the call and from the response
 * after it.
 *
 * <p><b>Streams</b> ({@link #stream}): each streamed round trip is one finops4j call, run on the {@code Llm}'s
 * executor, and the tool loop runs here as for {@code call}: chunks reach the subscriber as the wrapped model emits
 * them (those carrying tool calls are held back, as the model's own loop does), and the stream completes once the
 * last call is priced and recorded. OpenAI reports usage in a stream only with {@code streamUsage(true)}; without it
 * a call is priced by estimate and marked so.
 */
public final class Finops4jChatModel implements ChatModel {

  private final ChatModel delegate;
  private final Llm llm;
  private final Settings settings;
  private final ToolCallingManager tools;

  private Finops4jChatModel(ChatModel delegate, Llm llm, Settings settings, ToolCallingManager tools) {
    this.delegate = delegate;
    this.llm = llm;
    this.settings = settings;
    this.tools = tools;
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
  public ChatResponse call(Prompt prompt) {
    PerCall perCall = PerCall.current();
    ToolCallingChatOptions loop = loopOptions(prompt);
    if (loop == null) {
      return once(prompt, perCall);
    }
    List<Message> instructions = prompt.getInstructions();
    while (true) {
      Prompt round = new Prompt(instructions, loop);
      ChatResponse response = once(round, perCall);
      if (response == null || !response.hasToolCalls()) {
        return response;
      }
      ToolExecutionResult result = tools.executeToolCalls(round, response);
      if (result.returnDirect()) {
        return ChatResponse.builder().from(response).generations(ToolExecutionResult.buildGenerations(result)).build();
      }
      instructions = result.conversationHistory();
    }
  }

  /**
   * The options with which this decorator runs the tool loop of {@code prompt} itself, or {@code null} to send it as
   * it is: always on Spring AI 2.0, whose models never execute tools (its {@code ChatClient} runs the loop, one
   * {@code call} per round trip).
   */
  private ToolCallingChatOptions loopOptions(Prompt prompt) {
    if (!SpringAiLine.MODELS_RUN_TOOLS) {
      return null;
    }
    return InternalToolLoop.loopOptions(prompt.getOptions() != null ? prompt.getOptions() : getDefaultOptions());
  }

  private ChatResponse once(Prompt prompt, PerCall perCall) {
    CompletionRequest request = Round.request(llm, settings, perCall, SpringAiLine.options(delegate), prompt,
        delegate::call);
    llm.complete(request);
    return Round.response(request);
  }

  @Override
  public Flux<ChatResponse> stream(Prompt prompt) {
    return Flux.deferContextual(context -> {
      // the advisor's values, else the subscriber's scope, kept for every round of the loop
      PerCall perCall = context.getOrDefault(PerCall.CONTEXT_KEY, PerCall.current());
      PerCall call = perCall != null ? perCall : new PerCall(null, Attribution.current());
      ToolCallingChatOptions loop = loopOptions(prompt);
      if (loop == null) {
        return streamOnce(prompt, call, false, new AtomicReference<>());
      }
      return streamLoop(prompt.getInstructions(), loop, call);
    });
  }

  /** One streamed round, then the tools it asked for and the next round, as the wrapped model's own loop would. */
  private Flux<ChatResponse> streamLoop(List<Message> instructions, ToolCallingChatOptions options, PerCall call) {
    Prompt round = new Prompt(instructions, options);
    AtomicReference<ChatResponse> whole = new AtomicReference<>();
    return streamOnce(round, call, true, whole).concatWith(Flux.defer(() -> {
      ChatResponse response = whole.get();
      if (response == null || !response.hasToolCalls()) {
        return Flux.empty();
      }
      ToolExecutionResult result = tools.executeToolCalls(round, response);
      if (result.returnDirect()) {
        return Flux.just(ChatResponse.builder().from(response).generations(ToolExecutionResult.buildGenerations(result))
            .build());
      }
      return streamLoop(result.conversationHistory(), options, call);
    }));
  }

  /**
   * One streamed round trip as one finops4j call on the {@code Llm}'s executor: chunks are relayed as they come
   * (those carrying tool calls held back when the loop runs here), {@code whole} gets the aggregate, and the flux
   * completes once the call is priced and recorded.
   */
  private Flux<ChatResponse> streamOnce(Prompt prompt, PerCall call, boolean holdToolCalls,
      AtomicReference<ChatResponse> whole) {
    return Flux.defer(() -> {
      Sinks.Many<ChatResponse> chunks = Sinks.many().unicast().onBackpressureBuffer();
      CompletionRequest request;
      try {
        request = Round.request(llm, settings, call, SpringAiLine.options(delegate), prompt, p -> {
          new MessageAggregator().aggregate(delegate.stream(p), whole::set)
              .doOnNext(chunk -> {
                if (!holdToolCalls || !chunk.hasToolCalls()) {
                  chunks.tryEmitNext(chunk);
                }
              })
              .blockLast();
          return whole.get();
        });
      } catch (RuntimeException e) {
        return Flux.error(e);
      }
      llm.completeAsync(request).whenComplete((completion, error) -> {
        if (error != null) {
          chunks.tryEmitError(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
        } else {
          chunks.tryEmitComplete();
        }
      });
      return chunks.asFlux();
    });
  }

  @Override
  public ChatOptions getDefaultOptions() {
    return SpringAiLine.options(delegate);
  }

  /**
   * The wrapped model's options (Spring AI 2.0's {@code ChatModel.getOptions()}, which its {@code ChatClient} merges
   * into each prompt; on 1.1 its {@code getDefaultOptions()}).
   *
   * @return the wrapped model's options
   */
  public ChatOptions getOptions() {
    return SpringAiLine.options(delegate);
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
    private ToolCallingManager tools;

    private Builder(ChatModel delegate, Llm llm) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.llm = Objects.requireNonNull(llm, "llm");
    }

    /** The finops4j task type of calls that no {@link Finops4jAdvisor} names one for; {@code "chat"} by default. */
    public Builder taskType(String taskType) {
      this.taskType = Objects.requireNonNull(taskType, "taskType");
      return this;
    }

    /** The defaults of the attribution fields that neither the advisor nor the current scope set. */
    public Builder attribution(Attribution attribution) {
      this.attribution = Objects.requireNonNull(attribution, "attribution");
      return this;
    }

    /** The provider part of {@code provider/model}; by default derived from the wrapped model's class. */
    public Builder provider(String provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * A cost cap for each call, in USD: a call whose worst case passes it has its output ceiling clamped to fit (and
     * set as the options' {@code maxTokens}), or is refused with {@code CostCapExceededException}.
     */
    public Builder maxCostPerCall(BigDecimal usd) {
      this.maxCostUsd = usd;
      return this;
    }

    /** Executes the tools of the loop; {@code ToolCallingManager.builder().build()} by default. */
    public Builder toolCallingManager(ToolCallingManager tools) {
      this.tools = Objects.requireNonNull(tools, "tools");
      return this;
    }

    public Finops4jChatModel build() {
      return new Finops4jChatModel(delegate, llm, new Settings(taskType, attribution,
          provider != null ? provider : Settings.providerName(delegate), maxCostUsd),
          tools != null ? tools : ToolCallingManager.builder().build());
    }
  }
}
