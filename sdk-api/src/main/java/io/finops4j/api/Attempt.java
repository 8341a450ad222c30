package io.finops4j.api;

/**
 * One try at a provider within a call.
 *
 * @param model the model tried
 * @param outcome {@code ok}, or the error type (e.g. {@code http_429}, {@code timeout}, {@code io})
 * @param status the HTTP status, or 0 when none was received
 * @param latencyNanos how long the attempt took
 * @param requestId the provider's request id, or {@code null}
 */
public record Attempt(ModelId model, String outcome, int status, long latencyNanos, String requestId) {

  public boolean succeeded() {
    return "ok".equals(outcome);
  }
}
