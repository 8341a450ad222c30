package io.finops4j.api;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A provider refused or failed a call. The message names the provider, the HTTP status, the provider's error
 * code and its request id; it never contains the API key or the prompt.
 */
public class ProviderException extends Finops4jException {

  private static final long serialVersionUID = 1L;

  private final String provider;
  private final int status;
  private final String errorCode;
  private final String requestId;
  private final boolean retryable;
  private final transient Duration retryAfter;
  private transient volatile Usage partialUsage;
  private transient volatile BigDecimal partialCostUsd;

  public ProviderException(String provider, int status, String errorCode, String requestId, boolean retryable,
      Duration retryAfter, String detail, Throwable cause) {
    super(message(provider, status, errorCode, requestId, detail), cause);
    this.provider = provider;
    this.status = status;
    this.errorCode = errorCode;
    this.requestId = requestId;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
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
  /** How long the provider asked us to wait, or {@code null}. */
  public Duration retryAfter() { return retryAfter; }

  /**
   * What a streamed call had generated when it failed or was cancelled after text reached the caller: the
   * engine's estimate ({@link Usage#estimated()} is true), or {@code null} when nothing was delivered. The
   * provider bills those tokens, so budgets charge {@link #partialCostUsd()}.
   */
  public Usage partialUsage() { return partialUsage; }

  /** The estimated cost of {@link #partialUsage()} in USD, or {@code null}. */
  public BigDecimal partialCostUsd() { return partialCostUsd; }

  /** Attaches the estimate of what a broken stream generated (set by the engine once); returns this. */
  public ProviderException withPartial(Usage usage, BigDecimal costUsd) {
    this.partialUsage = usage;
    this.partialCostUsd = costUsd;
    return this;
  }
}
