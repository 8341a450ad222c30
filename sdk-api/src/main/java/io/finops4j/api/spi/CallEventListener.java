package io.finops4j.api.spi;

import io.finops4j.api.Attempt;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelId;
import io.finops4j.api.Route;
import java.net.URI;

/**
 * The typed events of one call, in the style of OkHttp's {@code EventListener}: every method is a no-op, a
 * listener overrides the ones it needs. The engine creates one listener per call through a {@link Factory}, so a
 * listener can keep per-call state (a span, a timer) in fields. Each module fires its own events through
 * {@link CallContext#listener()}; telemetry, the ledger and the Spring Boot spend aggregator are listeners, and so
 * can user code be ({@code Finops4j.builder().eventListener(...)}, or any Spring bean of type {@link Factory}).
 *
 * <p>Order within a call: {@link #callStart}, then as the steps run {@link #routeSelected}, {@link #cacheLookup},
 * {@link #capChecked}, {@link #budgetReserved}, {@link #attemptStart} / {@link #attemptEnd} once per provider
 * attempt, {@link #budgetOvershoot} when the call used more than its reservation, {@link #thresholdCrossed} when
 * the settled spend passed an alert threshold, and last exactly one of
 * {@link #callEnd} or {@link #callFailed}. A step that does not run fires nothing (a cache hit has no attempts).
 *
 * <p>Called on the call's thread, synchronously: implementations must not block and should not throw (what a
 * listener throws is logged and never fails the call).
 */
public abstract class CallEventListener {

  /** A listener that ignores every event. */
  public static final CallEventListener NONE = new CallEventListener() { };

  /** A listener per call; called once as the call enters the pipeline. Must be thread-safe. */
  @FunctionalInterface
  public interface Factory {

    /** The listener of {@code call}; may return a shared stateless instance (or {@link #NONE}). */
    CallEventListener create(CallContext call);
  }

  /** A factory of one shared listener: for listeners that keep no per-call state. */
  public static Factory factory(CallEventListener shared) {
    java.util.Objects.requireNonNull(shared, "shared");
    return call -> shared;
  }

  /**
   * A listener that hands {@code records} the ledger row of every call, successes, cache hits, rejections and
   * failures alike: how a {@link CallListener} takes part in the events.
   */
  public static CallEventListener of(CallListener records) {
    java.util.Objects.requireNonNull(records, "records");
    return new CallEventListener() {
      @Override
      public void callEnd(CallContext call, Completion completion, CallRecord record) {
        records.onCall(record);
      }

      @Override
      public void callFailed(CallContext call, RuntimeException error, CallRecord record) {
        records.onCall(record);
      }

      @Override
      public String toString() {
        return records.getClass().getName();
      }
    };
  }

  /** The call entered the pipeline with {@code request} (the caller's, before routing filled any default). */
  public void callStart(CallContext call, CompletionRequest request) { }

  /** Routing decided {@code route} (or the caller forced a model); fallbacks later add reasons to it. */
  public void routeSelected(CallContext call, Route route) { }

  /** The response cache looked the call up (or was off for it). */
  public void cacheLookup(CallContext call, CacheLookup lookup) { }

  /** A per-request cost cap checked the call's worst case before the network and let it through. */
  public void capChecked(CallContext call, CapCheck check) { }

  /**
   * The call's worst case was reserved on every budget that applies: {@code usages} holds each budget's window
   * right after the reservation (this call's hold included in {@code reserved}), in the order the budgets are
   * configured. Each element is made when it is read, so a listener that does not look costs nothing.
   */
  public void budgetReserved(CallContext call, java.util.List<BudgetView.BudgetUsage> usages) { }

  /**
   * The call used more than the worst case reserved for it (cost or tokens): fired as the budgets settle, before
   * any {@link #thresholdCrossed} of the same call. The call is charged in full.
   */
  public void budgetOvershoot(CallContext call, BudgetOvershoot overshoot) { }

  /**
   * Settling this call moved {@code usage}'s spend across the alert {@code threshold} (a fraction of the limit):
   * once per budget, window and threshold. {@code usage.utilization()} is the spend after the call.
   */
  public void thresholdCrossed(CallContext call, BudgetView.BudgetUsage usage, double threshold) { }

  /**
   * A provider attempt is about to go out: {@code request} as sent (routing's defaults filled in), to
   * {@code model} at {@code server} (the provider's base URL, or {@code null} when the client does not say).
   */
  public void attemptStart(CallContext call, CompletionRequest request, ModelId model, URI server) { }

  /**
   * The attempt came back or failed: {@code attempt} carries its outcome, HTTP status, duration and the
   * provider's request id. Fired on the thread that fired {@link #attemptStart}, right after the exchange.
   */
  public void attemptEnd(CallContext call, Attempt attempt, URI server) { }

  /** The call succeeded: {@code completion} as returned to the caller, {@code record} its ledger row. */
  public void callEnd(CallContext call, Completion completion, CallRecord record) { }

  /** The call failed or was rejected with {@code error} (rethrown to the caller); {@code record} its ledger row. */
  public void callFailed(CallContext call, RuntimeException error, CallRecord record) { }
}
