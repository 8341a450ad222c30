package io.finops4j.api;

import io.finops4j.api.spi.ProviderClient;
import java.math.BigDecimal;
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

  private CompletionRequest(Builder b) {
    this.taskType = Objects.requireNonNull(b.taskType, "taskType");
    this.prompt = Objects.requireNonNull(b.prompt, "prompt");
    this.attribution = b.attribution == null ? Attribution.current() : b.attribution;
    if (b.maxOutputTokens != null && b.maxOutputTokens <= 0) {
      throw new IllegalArgumentException("maxOutputTokens must be positive, got " + b.maxOutputTokens);
    }
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
  }

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

  public Builder toBuilder() {
    return new Builder(taskType, prompt).attribution(attribution).maxOutputTokens(maxOutputTokens)
        .temperature(temperature).maxCostUsd(maxCostUsd).model(model).tier(tier).cacheEnabled(cacheEnabled).client(client);
  }

  @Override
  public String toString() {
    return "CompletionRequest{task=" + taskType + ", " + attribution + ", prompt=" + prompt.chars() + " chars"
        + (model != null ? ", model=" + model : "") + (tier != null ? ", tier=" + tier : "")
        + (maxOutputTokens != null ? ", maxOutputTokens=" + maxOutputTokens : "")
        + (maxCostUsd != null ? ", maxCostUsd=" + maxCostUsd : "") + "}";
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

    public CompletionRequest build() {
      return new CompletionRequest(this);
    }
  }
}
