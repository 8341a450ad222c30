package io.finops4j.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The answer to one facade call: the text, which model produced it and why, what it used and what it cost.
 *
 * <p>{@code costUsd} is exact: the provider's reported usage times the price table's rates. A cache hit costs
 * zero and reports, in {@code savedUsd}, what the routed model would have charged. When the provider reported no
 * usage, {@link Usage#estimated()} is true and the cost is the library's estimate, never zero.
 */
public final class Completion {

  private final String text;
  private final ModelId model;
  private final String tier;
  private final Usage usage;
  private final BigDecimal costUsd;
  private final BigDecimal savedUsd;
  private final boolean cached;
  private final String finishReason;
  private final String callId;
  private final String requestId;
  private final String responseId;
  private final String servedModel;
  private final String priceVersion;
  private final Route route;
  private final List<Attempt> attempts;
  private final List<ToolCall> toolCalls;
  private final String json;
  private final List<ReasoningBlock> reasoning;

  private Completion(Builder b) {
    this.text = Objects.requireNonNull(b.text, "text");
    this.model = Objects.requireNonNull(b.model, "model");
    this.tier = b.tier;
    this.usage = Objects.requireNonNull(b.usage, "usage");
    this.costUsd = Objects.requireNonNull(b.costUsd, "costUsd");
    this.savedUsd = b.savedUsd == null ? BigDecimal.ZERO : b.savedUsd;
    this.cached = b.cached;
    this.finishReason = b.finishReason;
    this.callId = b.callId;
    this.requestId = b.requestId;
    this.responseId = b.responseId;
    this.servedModel = b.servedModel;
    this.priceVersion = b.priceVersion;
    this.route = b.route;
    this.attempts = b.attempts == null ? List.of() : List.copyOf(b.attempts);
    this.toolCalls = b.toolCalls == null ? List.of() : List.copyOf(b.toolCalls);
    this.json = b.json;
    this.reasoning = b.reasoning == null ? List.of() : List.copyOf(b.reasoning);
  }

  /** {@code stored} as a cache serves it: see {@link #servedFromCache}. */
  private Completion(Completion stored, String callId, BigDecimal savedUsd, String priceVersion, Route route) {
    this.text = stored.text;
    this.model = stored.model;
    this.tier = route != null ? route.tier() : stored.tier;
    this.usage = stored.usage;
    this.costUsd = BigDecimal.ZERO;
    this.savedUsd = Objects.requireNonNull(savedUsd, "savedUsd");
    this.cached = true;
    this.finishReason = stored.finishReason;
    this.callId = callId;
    this.requestId = stored.requestId;
    this.responseId = stored.responseId;
    this.servedModel = stored.servedModel;
    this.priceVersion = priceVersion;
    this.route = route != null ? route : stored.route;
    this.attempts = List.of();
    this.toolCalls = stored.toolCalls;
    this.json = stored.json;
    this.reasoning = stored.reasoning;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * This answer as a response cache serves it to a later call: {@link #cached()}, costing zero, saving
   * {@code savedUsd}, under that call's id, price table version and route (this answer's own route and tier when
   * {@code route} is null), with no provider attempts; text, usage, model and the provider's ids as stored. Made
   * without a builder: a cache hit makes one on every call.
   */
  public Completion servedFromCache(String callId, BigDecimal savedUsd, String priceVersion, Route route) {
    return new Completion(this, callId, savedUsd, priceVersion, route);
  }

  /** The generated text. */
  public String text() { return text; }
  /** The model that answered, qualified {@code provider/model}, snapshots resolved to their base id. */
  public ModelId model() { return model; }
  /** The tier the call was routed to, or {@code null} when a model was forced. */
  public String tier() { return tier; }
  public Usage usage() { return usage; }
  /** Exact cost in USD; zero for a cache hit. */
  public BigDecimal costUsd() { return costUsd; }
  /** What a cache hit saved: the price of the call it avoided. Zero for calls that went to a provider. */
  public BigDecimal savedUsd() { return savedUsd; }
  /** True when the answer came from a response cache. */
  public boolean cached() { return cached; }
  /** The provider's finish reason ({@code stop}, {@code length}, {@code end_turn}...), or {@code null}. */
  public String finishReason() { return finishReason; }
  /** The library's id for this call, the key of its ledger row and budget settlement. */
  public String callId() { return callId; }
  /** The provider's request id, for support tickets, or {@code null}. */
  public String requestId() { return requestId; }
  /**
   * The id of the provider's response object ({@code chatcmpl-...}, {@code msg_...}, Gemini's {@code responseId}),
   * or {@code null} when the provider sent none (and for cache hits).
   */
  public String responseId() { return responseId; }
  /**
   * The model exactly as the provider reported serving it, often a dated snapshot ({@code gpt-5-mini-2025-08-07}),
   * while {@link #model()} is the catalog model it was routed to and priced as; {@code null} when not reported.
   */
  public String servedModel() { return servedModel; }
  /** The price table version the cost was computed with. */
  public String priceVersion() { return priceVersion; }
  /** How the model was chosen, in words a person understands. */
  public Route route() { return route; }
  /** Every provider attempt, the failed ones first; one entry when the first attempt succeeded. */
  public List<Attempt> attempts() { return attempts; }
  /**
   * The tools the model asks the caller to run, in order; empty when it answered in text. Run them and send the
   * results back ({@link Prompt.Builder#assistant(Completion)}, {@link Prompt.Builder#toolResult}) in the next call.
   */
  public List<ToolCall> toolCalls() { return toolCalls; }
  /**
   * The structured answer as JSON text when the request asked for a {@link JsonSchema}, else {@code null} (also
   * when the model answered with something else, e.g. OpenAI's refusal text, which stays in {@link #text()});
   * parse it with the application's own JSON library ({@code mapper.readValue(c.json(), Invoice.class)}).
   */
  public String json() { return json; }
  /**
   * The model's reasoning blocks the provider needs back in the next request of a tool loop (Anthropic's
   * {@code thinking} and {@code redacted_thinking} blocks with their signatures), in the order they came; empty
   * when the provider sent none. {@link Prompt.Builder#assistant(Completion)} carries them back; never logged.
   */
  public List<ReasoningBlock> reasoning() { return reasoning; }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.text = text;
    b.model = model;
    b.tier = tier;
    b.usage = usage;
    b.costUsd = costUsd;
    b.savedUsd = savedUsd;
    b.cached = cached;
    b.finishReason = finishReason;
    b.callId = callId;
    b.requestId = requestId;
    b.responseId = responseId;
    b.servedModel = servedModel;
    b.priceVersion = priceVersion;
    b.route = route;
    b.attempts = attempts;
    b.toolCalls = toolCalls;
    b.json = json;
    b.reasoning = reasoning;
    return b;
  }

  @Override
  public String toString() {
    return "Completion{model=" + model + ", tier=" + tier + ", usage=" + usage.inputTokens() + " in/"
        + usage.outputTokens() + " out" + (usage.estimated() ? " (estimated)" : "") + ", costUsd=" + costUsd.toPlainString()
        + (cached ? ", cached, savedUsd=" + savedUsd.toPlainString() : "")
        + (toolCalls.isEmpty() ? "" : ", toolCalls=" + toolCalls.size()) + ", callId=" + callId + "}";
  }

  /** Builds a {@link Completion}. */
  public static final class Builder {
    private String text;
    private ModelId model;
    private String tier;
    private Usage usage;
    private BigDecimal costUsd;
    private BigDecimal savedUsd;
    private boolean cached;
    private String finishReason;
    private String callId;
    private String requestId;
    private String responseId;
    private String servedModel;
    private String priceVersion;
    private Route route;
    private List<Attempt> attempts;
    private List<ToolCall> toolCalls;
    private String json;
    private List<ReasoningBlock> reasoning;

    private Builder() {}

    public Builder text(String v) { text = v; return this; }
    public Builder model(ModelId v) { model = v; return this; }
    public Builder tier(String v) { tier = v; return this; }
    public Builder usage(Usage v) { usage = v; return this; }
    public Builder costUsd(BigDecimal v) { costUsd = v; return this; }
    public Builder savedUsd(BigDecimal v) { savedUsd = v; return this; }
    public Builder cached(boolean v) { cached = v; return this; }
    public Builder finishReason(String v) { finishReason = v; return this; }
    public Builder callId(String v) { callId = v; return this; }
    public Builder requestId(String v) { requestId = v; return this; }
    public Builder responseId(String v) { responseId = v; return this; }
    public Builder servedModel(String v) { servedModel = v; return this; }
    public Builder priceVersion(String v) { priceVersion = v; return this; }
    public Builder route(Route v) { route = v; return this; }
    public Builder attempts(List<Attempt> v) { attempts = v; return this; }
    public Builder toolCalls(List<ToolCall> v) { toolCalls = v; return this; }
    public Builder json(String v) { json = v; return this; }
    public Builder reasoning(List<ReasoningBlock> v) { reasoning = v; return this; }

    public Completion build() {
      return new Completion(this);
    }
  }
}
