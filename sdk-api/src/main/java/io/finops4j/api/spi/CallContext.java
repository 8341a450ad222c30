package io.finops4j.api.spi;

import io.finops4j.api.Attempt;
import io.finops4j.api.Llm;
import io.finops4j.api.Route;
import java.time.Clock;
import java.util.List;

/**
 * The state of one call as it moves through the pipeline. Not thread-safe: one call, one thread.
 */
public interface CallContext {

  /** The library's id for the call: the key of its ledger row and of its budget settlement. */
  String callId();

  /** The clock for windows and timestamps (a test can inject its own). */
  Clock clock();

  /** {@link System#nanoTime()} when the call entered the pipeline. */
  long startNanos();

  /** Prices of every known model. */
  Pricing pricing();

  /** Conservative token estimates. */
  TokenEstimator tokens();

  /** Read-only budget utilisation, for routing decisions (e.g. downgrade near a limit). */
  BudgetView budgets();

  /** The route decided so far, or {@code null} before routing ran. */
  Route route();

  void route(Route route);

  /** The text listener of a streamed call, or {@code null} for a plain call. */
  Llm.TextListener textListener();

  /** Provider attempts so far, in order. */
  List<Attempt> attempts();

  void addAttempt(Attempt attempt);

  /**
   * The listener of this call's events: a module fires its own events here ({@code
   * call.listener().routeSelected(call, route)}); never {@code null} ({@link CallEventListener#NONE} at least).
   */
  CallEventListener listener();
}
