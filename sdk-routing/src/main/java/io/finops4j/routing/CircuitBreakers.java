package io.finops4j.routing;

import io.finops4j.api.ModelId;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A circuit breaker per model, so that calls skip a model that keeps failing instead of waiting on it.
 *
 * <p>Closed: calls go through; {@code failureThreshold} retryable failures in a row open it. Open: calls skip the
 * model for {@code cooldown}. Half-open, after the cooldown: one trial call goes through (others still skip);
 * its success closes the breaker, its failure opens it for another cooldown. Time comes from the caller, so tests
 * drive it with a controllable clock.
 */
public final class CircuitBreakers {

  /** A breaker's state. */
  public enum State { CLOSED, OPEN, HALF_OPEN }

  private final int failureThreshold;
  private final Duration cooldown;
  private final ConcurrentHashMap<ModelId, Breaker> breakers = new ConcurrentHashMap<>();

  public CircuitBreakers(int failureThreshold, Duration cooldown) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be at least 1");
    }
    this.failureThreshold = failureThreshold;
    this.cooldown = cooldown;
  }

  /** Defaults: 5 failures in a row open a breaker for 30 seconds. */
  public static CircuitBreakers defaults() {
    return new CircuitBreakers(5, Duration.ofSeconds(30));
  }

  /** True when a call may try {@code model} now; in half-open state, true for one trial caller only. */
  public boolean tryAcquire(ModelId model, Instant now) {
    Breaker b = breakers.get(model);
    if (b == null || b.openUntil == 0) {
      return true;
    }
    if (now.toEpochMilli() < b.openUntil) {
      return false;
    }
    return b.trial.compareAndSet(false, true);
  }

  public void onSuccess(ModelId model) {
    Breaker b = breakers.get(model);
    // Written only when not closed and clean already: every successful call of every thread comes here, and a
    // write even of the same value takes the breaker's cache line from the other cores (a model keeps its breaker
    // after its first failure, so this is the common path of a long-running app)
    if (b != null && (b.openUntil != 0 || b.failures.get() != 0 || b.trial.get())) {
      b.failures.set(0);
      b.openUntil = 0;
      b.trial.set(false);
    }
  }

  public void onFailure(ModelId model, Instant now) {
    Breaker b = breakers.computeIfAbsent(model, m -> new Breaker());
    long nowMillis = now.toEpochMilli();
    if (b.openUntil != 0 && nowMillis >= b.openUntil) {
      b.openUntil = nowMillis + cooldown.toMillis(); // the half-open trial failed
      b.trial.set(false);
    } else if (b.failures.incrementAndGet() >= failureThreshold) {
      b.openUntil = nowMillis + cooldown.toMillis();
    }
  }

  public State state(ModelId model, Instant now) {
    Breaker b = breakers.get(model);
    if (b == null || b.openUntil == 0) {
      return State.CLOSED;
    }
    return now.toEpochMilli() < b.openUntil ? State.OPEN : State.HALF_OPEN;
  }

  private static final class Breaker {
    final AtomicInteger failures = new AtomicInteger();
    final AtomicBoolean trial = new AtomicBoolean();
    volatile long openUntil;
  }
}
