package io.finops4j.api.spi;

import io.finops4j.api.Attempt;
import io.finops4j.api.Llm;
import io.finops4j.api.Route;
import java.time.Clock;
import java.util.List;
import java.util.Map;

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

  /** Records a notable event (threshold crossed, downgrade, rejection) for spans and logs. */
  void event(String name, Map<String, String> attributes);

  /** Events recorded so far, in order. */
  List<CallEvent> events();

  /** A value another interceptor stored for this call, or {@code null}. */
  <T> T get(Key<T> key);

  <T> void put(Key<T> key, T value);

  /** A notable event within a call. */
  record CallEvent(String name, long epochNanos, Map<String, String> attributes) {
    public CallEvent {
      attributes = Map.copyOf(attributes);
    }
  }

  /** A typed key for values that interceptors share within a call; compared by identity. */
  final class Key<T> {
    private final String name;

    private Key(String name) {
      this.name = name;
    }

    public static <T> Key<T> of(String name) {
      return new Key<>(name);
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
