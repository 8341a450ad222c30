package io.finops4j.api.spi;

import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The facts of one finished facade call: one ledger row. Immutable.
 *
 * <p>{@code outcome} is one of {@link #OK}, {@link #REJECTED_BUDGET}, {@link #REJECTED_CAP},
 * {@link #ERROR}; {@code cacheStatus} one of {@code hit}, {@code miss}, {@code off}.
 */
public final class CallRecord {

  public static final String OK = "ok";
  public static final String REJECTED_BUDGET = "rejected_budget";
  public static final String REJECTED_CAP = "rejected_cap";
  public static final String ERROR = "error";

  private final Instant timestamp;
  private final String callId;
  private final Attribution attribution;
  private final String taskType;
  private final String tier;
  private final ModelId model;
  private final Usage usage;
  private final BigDecimal costUsd;
  private final BigDecimal savedUsd;
  private final String cacheStatus;
  private final String routeReason;
  private final int attempts;
  private final long latencyNanos;
  private final String outcome;
  private final String errorType;
  private final String priceVersion;

  private CallRecord(Builder b) {
    this.timestamp = Objects.requireNonNull(b.timestamp, "timestamp");
    this.callId = Objects.requireNonNull(b.callId, "callId");
    this.attribution = b.attribution == null ? Attribution.NONE : b.attribution;
    this.taskType = b.taskType;
    this.tier = b.tier;
    this.model = b.model;
    this.usage = b.usage == null ? Usage.ZERO : b.usage;
    this.costUsd = b.costUsd == null ? BigDecimal.ZERO : b.costUsd;
    this.savedUsd = b.savedUsd == null ? BigDecimal.ZERO : b.savedUsd;
    this.cacheStatus = b.cacheStatus == null ? "off" : b.cacheStatus;
    this.routeReason = b.routeReason;
    this.attempts = b.attempts;
    this.latencyNanos = b.latencyNanos;
    this.outcome = Objects.requireNonNull(b.outcome, "outcome");
    this.errorType = b.errorType;
    this.priceVersion = b.priceVersion;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Instant timestamp() { return timestamp; }
  public String callId() { return callId; }
  public Attribution attribution() { return attribution; }
  public String taskType() { return taskType; }
  public String tier() { return tier; }
  /** The model that answered (or would have, for a rejection); {@code null} when routing never ran. */
  public ModelId model() { return model; }
  public Usage usage() { return usage; }
  public BigDecimal costUsd() { return costUsd; }
  public BigDecimal savedUsd() { return savedUsd; }
  /** True when the usage (and so the cost) is an estimate because the provider reported none. */
  public boolean estimated() { return usage.estimated(); }
  public String cacheStatus() { return cacheStatus; }
  public String routeReason() { return routeReason; }
  public int attempts() { return attempts; }
  public long latencyNanos() { return latencyNanos; }
  public String outcome() { return outcome; }
  /** The exception's simple class name or provider error code, or {@code null} for {@link #OK}. */
  public String errorType() { return errorType; }
  public String priceVersion() { return priceVersion; }

  public Builder toBuilder() {
    return new Builder().timestamp(timestamp).callId(callId).attribution(attribution).taskType(taskType).tier(tier)
        .model(model).usage(usage).costUsd(costUsd).savedUsd(savedUsd).cacheStatus(cacheStatus)
        .routeReason(routeReason).attempts(attempts).latencyNanos(latencyNanos).outcome(outcome)
        .errorType(errorType).priceVersion(priceVersion);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CallRecord r)) {
      return false;
    }
    return timestamp.equals(r.timestamp) && callId.equals(r.callId) && attribution.equals(r.attribution)
        && Objects.equals(taskType, r.taskType) && Objects.equals(tier, r.tier) && Objects.equals(model, r.model)
        && usage.equals(r.usage) && costUsd.compareTo(r.costUsd) == 0 && savedUsd.compareTo(r.savedUsd) == 0
        && cacheStatus.equals(r.cacheStatus) && Objects.equals(routeReason, r.routeReason)
        && attempts == r.attempts && latencyNanos == r.latencyNanos && outcome.equals(r.outcome)
        && Objects.equals(errorType, r.errorType) && Objects.equals(priceVersion, r.priceVersion);
  }

  @Override
  public int hashCode() {
    return callId.hashCode();
  }

  @Override
  public String toString() {
    return "CallRecord{" + callId + ", " + outcome + ", task=" + taskType + ", model=" + model + ", costUsd="
        + costUsd.toPlainString() + ", " + attribution + "}";
  }

  /** Builds a {@link CallRecord}. */
  public static final class Builder {
    private Instant timestamp;
    private String callId;
    private Attribution attribution;
    private String taskType;
    private String tier;
    private ModelId model;
    private Usage usage;
    private BigDecimal costUsd;
    private BigDecimal savedUsd;
    private String cacheStatus;
    private String routeReason;
    private int attempts;
    private long latencyNanos;
    private String outcome;
    private String errorType;
    private String priceVersion;

    private Builder() {}

    public Builder timestamp(Instant v) { timestamp = v; return this; }
    public Builder callId(String v) { callId = v; return this; }
    public Builder attribution(Attribution v) { attribution = v; return this; }
    public Builder taskType(String v) { taskType = v; return this; }
    public Builder tier(String v) { tier = v; return this; }
    public Builder model(ModelId v) { model = v; return this; }
    public Builder usage(Usage v) { usage = v; return this; }
    public Builder costUsd(BigDecimal v) { costUsd = v; return this; }
    public Builder savedUsd(BigDecimal v) { savedUsd = v; return this; }
    public Builder cacheStatus(String v) { cacheStatus = v; return this; }
    public Builder routeReason(String v) { routeReason = v; return this; }
    public Builder attempts(int v) { attempts = v; return this; }
    public Builder latencyNanos(long v) { latencyNanos = v; return this; }
    public Builder outcome(String v) { outcome = v; return this; }
    public Builder errorType(String v) { errorType = v; return this; }
    public Builder priceVersion(String v) { priceVersion = v; return this; }

    public CallRecord build() {
      return new CallRecord(this);
    }
  }
}
