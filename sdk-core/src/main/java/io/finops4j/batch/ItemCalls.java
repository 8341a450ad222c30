package io.finops4j.batch;

import io.finops4j.api.CompletionRequest;
import io.finops4j.api.spi.CallContext;

/**
 * How batch items take part as calls of the engine: ids from the engine's id space, and one call context per
 * item whose events reach the engine's listeners (telemetry, ledger, user listeners) as a real-time call's do.
 */
public interface ItemCalls {

  /** A fresh call id, given to an item at submission. */
  String nextCallId();

  /**
   * The call of the item {@code callId}, its listeners created and {@code callStart(request)} fired; the batch
   * engine fires the rest of its events and ends it with {@code callEnd} or {@code callFailed}.
   */
  CallContext start(String callId, CompletionRequest request);
}
