package io.finops4j.api;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A provider refused or failed a call. The message names the provider, the HTTP status, the provider's error
 * code and its request id; it never contains the API key. The provider's own error text may quote the prompt, so
 * it is kept (in the message and in {@link #providerMessage()}) only when the client was built to keep it
 * ({@code error-detail: true}); even then spans record the message without it unless content capture is on.
 */
public class ProviderException extends Finops4jException {

  private static final long serialVersionUID = 1L;

  private final String provider;
  private final int status;
  private final String errorCode;
  private final String requestId;
  private final boolean retryable;
  private final String providerMessage;
  private final transient Duration retryAfter;
  private transient volatile Usage partialUsage;
  private transient volatile BigDecimal partialCostUsd;

  /** {@code detail} is the library's own description (never provider text that may echo the prompt). */
  public ProviderException(String provider, int status, String errorCode, String requestId, boolean retryable,
      Duration retryAfter, String detail, Throwable cause) {
    this(provider, status, errorCode, requestId, retryable, retryAfter, detail, null, cause);
  }

  /**
   * As above, with the provider's own error text ({@code providerMessage}, may be null), which follows
   * {@code detail} in the message.
   */
  public ProviderException(String provider, int status, String errorCode, String requestId, boolean retryable,
      Duration retryAfter, String detail, String providerMessage, Throwable cause) {
    super(message(provider, status, errorCode, requestId, join(detail, providerMessage)), cause);
    this.provider = provider;
    this.status = status;
    this.errorCode = errorCode;
    this.requestId = requestId;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
    this.providerMessage = providerMessage == null || providerMessage.isEmpty() ? null : providerMessage;
  }

  private static String join(String detail, String providerMessage) {
    if (providerMessage == null || providerMessage.isEmpty()) {
      return detail;
    }
    return detail == null || detail.isEmpty() ? providerMessage : detail + ": " + providerMessage;
  }

  private static String message(String provider, int status, String errorCode, String requestId, String detail) {
    StringBuilder s = new StringBuilder(provider);
    s.append(status > 0 ? " returned HTTP " + status : " call failed");
    if (errorCode != null) {
      s.append(" (").append(errorCode).append(')');
    }
    if (detail != null && !detail.isEmpty()) {
      s.append(": ").append(detail);
    }
    if (requestId != null) {
      s.append(" [request id ").append(requestId).append(']');
    }
    return s.toString();
  }

  /** The provider name, e.g. {@code openai}. */
  public String provider() { return provider; }
  /** The HTTP status, or 0 when no response was received (I/O error, timeout, broken stream). */
  public int status() { return status; }
  /** The provider's error code or type (e.g. {@code rate_limit_exceeded}), or a library code such as {@code timeout}. */
  public String errorCode() { return errorCode; }
  /** The provider's request id ({@code x-request-id}, {@code request-id}), or {@code null}. */
  public String requestId() { return requestId; }
  /** True for failures worth retrying or falling back from: I/O, timeouts, 408, 409, 429, 5xx, 529. */
  public boolean retryable() { return retryable; }
  /**
   * The provider's own error text (shortened, key-like tokens masked), which may quote the prompt; {@code null}
   * unless the client keeps it ({@code error-detail: true}).
   */
  public String providerMessage() { return providerMessage; }
  /** How long the provider asked us to wait, or {@code null}. */
  public Duration retryAfter() { return retryAfter; }

  /**
   * What a call the provider bills had used when it failed: for a stream broken or cancelled after text reached
   * the caller, the usage the provider reported before the break, else the engine's estimate
   * ({@link Usage#estimated()} true); for an answer that could not be read (such as out-of-range usage), the
   * call's worst case, marked estimated. {@code null} when the provider billed nothing we know of. Budgets charge
   * {@link #partialCostUsd()}.
   */
  public Usage partialUsage() { return partialUsage; }

  /** The estimated cost of {@link #partialUsage()} in USD, or {@code null}. */
  public BigDecimal partialCostUsd() { return partialCostUsd; }

  /**
   * Attaches what the failed call used and cost (a provider client may attach reported usage with a null cost;
   * the engine then prices it); returns this.
   */
  public ProviderException withPartial(Usage usage, BigDecimal costUsd) {
    this.partialUsage = usage;
    this.partialCostUsd = costUsd;
    return this;
  }
}
