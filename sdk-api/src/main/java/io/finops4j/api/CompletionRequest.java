package io.finops4j.api;

import io.finops4j.api.spi.ProviderClient;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One facade call with its per-call options. Only the task type and the prompt are required; every option left
 * unset takes the task's policy value.
 *
 * <pre>{@code
 * CompletionRequest.builder("support-reply", prompt)
 *     .attribution(Attribution.of("acme", "support-chat"))
 *     .maxOutputTokens(400)
 *     .maxCostUsd(new BigDecimal("0.02"))
 *     .build();
 * }</pre>
 */
public final class CompletionRequest {

  private final String taskType;
  private final Prompt prompt;
  private final Attribution attribution;
  private final Integer maxOutputTokens;
  private final Double temperature;
  private final BigDecimal maxCostUsd;
  private final ModelId model;
  private final String tier;
  private final boolean cacheEnabled;
  private final ProviderClient client;
  private final List<Tool> tools;
  private final String toolChoice;
  private final JsonSchema jsonSchema;
  private final String reasoningEffort;
  private final Integer thinkingBudget;

  private CompletionRequest(Builder b) {
    this.taskType = Objects.requireNonNull(b.taskType, "taskType");
    this.prompt = Objects.requireNonNull(b.prompt, "prompt");
    this.attribution = b.attribution == null ? Attribution.current() : b.attribution;
    checkMaxOutputTokens(b.maxOutputTokens);
    if (b.maxCostUsd != null && b.maxCostUsd.signum() <= 0) {
      throw new IllegalArgumentException("maxCostUsd must be positive, got " + b.maxCostUsd);
    }
    this.maxOutputTokens = b.maxOutputTokens;
    this.temperature = b.temperature;
    this.maxCostUsd = b.maxCostUsd;
    this.model = b.model;
    this.tier = b.tier;
    this.cacheEnabled = b.cacheEnabled;
    this.client = b.client;
    this.tools = b.tools == null ? List.of() : List.copyOf(b.tools);
    this.toolChoice = b.toolChoice;
    if (toolChoice != null && !TOOL_CHOICE_MODES.contains(toolChoice)
        && tools.stream().noneMatch(t -> t.name().equals(toolChoice))) {
      throw new IllegalArgumentException("toolChoice must be auto, required, none or the name of a declared tool, got '"
          + toolChoice + "'");
    }
    this.jsonSchema = b.jsonSchema;
    this.reasoningEffort = checkReasoningEffort(b.reasoningEffort);
    this.thinkingBudget = checkThinkingBudget(b.thinkingBudget);
  }

  /** {@code base} with the four generation options given (checked as the builder checks them), the rest shared. */
  private CompletionRequest(CompletionRequest base, Integer maxOutputTokens, Double temperature,
      String reasoningEffort, Integer thinkingBudget) {
    this.taskType = base.taskType;
    this.prompt = base.prompt;
    this.attribution = base.attribution;
    this.maxOutputTokens = checkMaxOutputTokens(maxOutputTokens);
    this.temperature = temperature;
    this.maxCostUsd = base.maxCostUsd;
    this.model = base.model;
    this.tier = base.tier;
    this.cacheEnabled = base.cacheEnabled;
    this.client = base.client;
    this.tools = base.tools;
    this.toolChoice = base.toolChoice;
    this.jsonSchema = base.jsonSchema;
    this.reasoningEffort = checkReasoningEffort(reasoningEffort);
    this.thinkingBudget = checkThinkingBudget(thinkingBudget);
  }

  private static Integer checkMaxOutputTokens(Integer v) {
    if (v != null && v <= 0) {
      throw new IllegalArgumentException("maxOutputTokens must be positive, got " + v);
    }
    return v;
  }

  private static String checkReasoningEffort(String v) {
    if (v != null && !REASONING_EFFORTS.contains(v)) {
      throw new IllegalArgumentException("reasoningEffort must be one of " + REASONING_EFFORTS + ", got '" + v + "'");
    }
    return v;
  }

  private static Integer checkThinkingBudget(Integer v) {
    if (v != null && v < 0) {
      throw new IllegalArgumentException("thinkingBudget cannot be negative, got " + v);
    }
    return v;
  }

  /**
   * Every reasoning effort a provider takes: OpenAI's six ({@code none} ... {@code xhigh}) and Anthropic's
   * {@code max}. Which of them a model takes is in its {@link ModelRules#reasoningEfforts()}.
   */
  public static final List<String> REASONING_EFFORTS = List.of("none", "minimal", "low", "medium", "high", "xhigh",
      "max");

  /**
   * The tool choices that are modes rather than a tool's name: the model picks ({@code auto}), must call one
   * ({@code required}) or may call none ({@code none}).
   */
  public static final List<String> TOOL_CHOICE_MODES = List.of("auto", "required", "none");

  public static Builder builder(String taskType, Prompt prompt) {
    return new Builder(taskType, prompt);
  }

  public String taskType() { return taskType; }
  public Prompt prompt() { return prompt; }
  public Attribution attribution() { return attribution; }
  /** The output token ceiling, or {@code null} for the task's (or model's) default. */
  public Integer maxOutputTokens() { return maxOutputTokens; }
  /** Sampling temperature, or {@code null} for the provider's default. */
  public Double temperature() { return temperature; }
  /** A cost cap for this call alone, in USD, or {@code null}. */
  public BigDecimal maxCostUsd() { return maxCostUsd; }
  /** A model forced by the caller, bypassing tier routing, or {@code null}. */
  public ModelId model() { return model; }
  /** A tier forced by the caller, or {@code null}. */
  public String tier() { return tier; }
  /** False when the caller asked to bypass response caches. */
  public boolean cacheEnabled() { return cacheEnabled; }
  /**
   * The client that makes this call's provider request in place of the configured provider, or {@code null}: set
   * by framework adapters whose own model makes the network call (see {@link Builder#client}).
   */
  public ProviderClient client() { return client; }
  /** The function tools the model may call; empty for none. */
  public List<Tool> tools() { return tools; }
  /** {@code auto}, {@code required}, {@code none} or a tool's name, or {@code null} for the provider default. */
  public String toolChoice() { return toolChoice; }
  /** The schema the answer must match (structured output), or {@code null} for free text. */
  public JsonSchema jsonSchema() { return jsonSchema; }
  /**
   * The reasoning effort ({@code low} ... {@code high}; OpenAI {@code reasoning_effort}, Anthropic
   * {@code output_config.effort}, Gemini 3 {@code thinkingLevel}), or {@code null} for the task's or model's default.
   */
  public String reasoningEffort() { return reasoningEffort; }
  /**
   * Tokens the model may spend thinking before it answers (Anthropic {@code thinking.budget_tokens}, Gemini
   * {@code thinkingBudget}), on top of {@link #maxOutputTokens()}; {@code null} for the default.
   */
  public Integer thinkingBudget() { return thinkingBudget; }

  /**
   * This request with each generation option it leaves unset ({@code null}) taken from the given default (a task's
   * policy; {@code null} for none), the options it sets kept; this request itself when no option changes. Routing
   * fills a task's defaults this way on every call, without a builder.
   */
  public CompletionRequest withDefaults(Integer maxOutputTokens, Double temperature, String reasoningEffort,
      Integer thinkingBudget) {
    Integer m = this.maxOutputTokens != null ? this.maxOutputTokens : maxOutputTokens;
    Double t = this.temperature != null ? this.temperature : temperature;
    String r = this.reasoningEffort != null ? this.reasoningEffort : reasoningEffort;
    Integer k = this.thinkingBudget != null ? this.thinkingBudget : thinkingBudget;
    if (m == this.maxOutputTokens && t == this.temperature && r == this.reasoningEffort && k == this.thinkingBudget) {
      return this;
    }
    return new CompletionRequest(this, m, t, r, k);
  }

  /**
   * This request with its output ceiling set to {@code maxOutputTokens}, the rest shared; this request itself when
   * it already has that ceiling.
   */
  public CompletionRequest withMaxOutputTokens(int maxOutputTokens) {
    if (this.maxOutputTokens != null && this.maxOutputTokens == maxOutputTokens) {
      return this;
    }
    return new CompletionRequest(this, maxOutputTokens, temperature, reasoningEffort, thinkingBudget);
  }

  public Builder toBuilder() {
    return new Builder(taskType, prompt).attribution(attribution).maxOutputTokens(maxOutputTokens)
        .temperature(temperature).maxCostUsd(maxCostUsd).model(model).tier(tier).cacheEnabled(cacheEnabled).client(client)
        .tools(tools).toolChoice(toolChoice).jsonSchema(jsonSchema).reasoningEffort(reasoningEffort)
        .thinkingBudget(thinkingBudget);
  }

  @Override
  public String toString() {
    return "CompletionRequest{task=" + taskType + ", " + attribution + ", prompt=" + prompt.chars() + " chars"
        + (model != null ? ", model=" + model : "") + (tier != null ? ", tier=" + tier : "")
        + (maxOutputTokens != null ? ", maxOutputTokens=" + maxOutputTokens : "")
        + (maxCostUsd != null ? ", maxCostUsd=" + maxCostUsd : "")
        + (tools.isEmpty() ? "" : ", tools=" + tools.size()) + (jsonSchema != null ? ", schema=" + jsonSchema.name() : "")
        + "}";
  }

  /** Builds a {@link CompletionRequest}. */
  public static final class Builder {
    private final String taskType;
    private final Prompt prompt;
    private Attribution attribution;
    private Integer maxOutputTokens;
    private Double temperature;
    private BigDecimal maxCostUsd;
    private ModelId model;
    private String tier;
    private boolean cacheEnabled = true;
    private ProviderClient client;
    private List<Tool> tools;
    private String toolChoice;
    private JsonSchema jsonSchema;
    private String reasoningEffort;
    private Integer thinkingBudget;

    private Builder(String taskType, Prompt prompt) {
      this.taskType = taskType;
      this.prompt = prompt;
    }

    /**
     * Who the call is spent on. Left unset (or {@code null}), the request takes {@link Attribution#current()} when
     * it is built: the attribution of the caller's open {@link Attribution.Scope}, or {@link Attribution#NONE}.
     */
    public Builder attribution(Attribution v) { attribution = v; return this; }
    public Builder maxOutputTokens(Integer v) { maxOutputTokens = v; return this; }
    public Builder temperature(Double v) { temperature = v; return this; }
    public Builder maxCostUsd(BigDecimal v) { maxCostUsd = v; return this; }
    /** Forces a model, bypassing tier routing. */
    public Builder model(ModelId v) { model = v; return this; }
    /** Forces a model given as {@code provider/model}. */
    public Builder model(String qualified) { model = qualified == null ? null : ModelId.parse(qualified); return this; }
    /** Forces a tier, bypassing the task's own tier and escalation. */
    public Builder tier(String v) { tier = v; return this; }
    public Builder cacheEnabled(boolean v) { cacheEnabled = v; return this; }

    /**
     * Has {@code client} make this call's one provider request, in place of the provider configured for the
     * routed model: the seam for framework adapters (LangChain4j, Spring AI), whose own model makes the network
     * call. The call still runs the whole pipeline (attribution, cost caps, budgets reserved before and settled
     * after, workflow caps, telemetry, one ledger row) and is priced from the usage the client returns, as the
     * model the response names when the price table knows it. Such a call is never answered from the response
     * cache (the adapter needs its framework's own response) and is not retried by the engine unless the client
     * throws a retryable {@link ProviderException}. Usually combined with {@link #model(ModelId)}.
     */
    public Builder client(ProviderClient v) { client = v; return this; }

    /** Function tools the model may call (see {@link Tool}); the calls come back on {@link Completion#toolCalls()}. */
    public Builder tools(List<Tool> v) { tools = v; return this; }
    /** Function tools the model may call. */
    public Builder tools(Tool... v) { tools = List.of(v); return this; }
    /** {@code auto} (default), {@code required}, {@code none}, or the name of the one tool the model must call. */
    public Builder toolChoice(String v) { toolChoice = v; return this; }
    /** Asks for a JSON answer matching {@code v}; it comes back as {@link Completion#json()}. */
    public Builder jsonSchema(JsonSchema v) { jsonSchema = v; return this; }
    /**
     * Reasoning effort, one of {@link #REASONING_EFFORTS}; refused before the network for a model whose rules do
     * not list it (OpenAI reasoning models: {@code none} ... {@code xhigh}; Claude Opus 4.5+ and Sonnet 4.6:
     * {@code low} ... {@code max}; Gemini 3: its thinking levels).
     */
    public Builder reasoningEffort(String v) { reasoningEffort = v; return this; }
    /**
     * A thinking budget in tokens (Anthropic extended thinking, Gemini {@code thinkingBudget}), spent on top of the
     * answer's {@link #maxOutputTokens}; budgets reserve for both. Refused before the network for models that do
     * not reason.
     */
    public Builder thinkingBudget(Integer v) { thinkingBudget = v; return this; }

    public CompletionRequest build() {
      return new CompletionRequest(this);
    }
  }
}
