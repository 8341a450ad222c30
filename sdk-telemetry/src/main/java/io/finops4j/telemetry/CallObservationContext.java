package io.finops4j.telemetry;

import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelId;
import io.micrometer.observation.Observation;
import java.net.URI;

/**
 * What a {@link CallObservationConvention} reads to name and tag the Micrometer {@code Observation} of one call.
 * The request and the call id are known from the start; the rest is filled in when the call ends, right before
 * the observation stops (which is when Micrometer reads the key values for the timer and the span).
 */
public final class CallObservationContext extends Observation.Context {

  private final CompletionRequest request;
  private final String callId;
  private ModelId requestModel;
  private ModelId responseModel;
  private Completion completion;
  private String outcome;
  private String errorType;
  private String cacheStatus;
  private URI server;

  CallObservationContext(CompletionRequest request, String callId) {
    this.request = request;
    this.callId = callId;
  }

  void finish(CallFacts f) {
    requestModel = f.requestModel();
    responseModel = f.responseModel();
    completion = f.completion();
    outcome = f.outcome();
    errorType = f.errorType();
    cacheStatus = f.cacheStatus();
    server = f.server();
    if (f.error() != null) {
      setError(f.error());
    }
  }

  /** The caller's request (its task type and attribution; never sent to a backend as text). */
  public CompletionRequest request() { return request; }

  /** The library's id of the call (its ledger row). */
  public String callId() { return callId; }

  /** The routed (first) model, or {@code null} before routing or when it never ran. */
  public ModelId requestModel() { return requestModel; }

  /** The model that answered (after a fallback, not the first), or {@code null}. */
  public ModelId responseModel() { return responseModel; }

  /** The answer, or {@code null} for a failed or rejected call. */
  public Completion completion() { return completion; }

  /** {@code ok}, {@code rejected_budget}, {@code rejected_cap} or {@code error}; {@code null} while running. */
  public String outcome() { return outcome; }

  /** A low-cardinality error type (provider error code, HTTP status or exception class), or {@code null}. */
  public String errorType() { return errorType; }

  /** {@code hit}, {@code miss} or {@code off}; {@code null} while running. */
  public String cacheStatus() { return cacheStatus; }

  /** The provider base URL of the last attempt, or {@code null}. */
  public URI server() { return server; }
}
