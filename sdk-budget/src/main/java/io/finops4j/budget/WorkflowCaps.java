package io.finops4j.budget;

import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-workflow caps: at most {@code maxCalls} calls and {@code maxCost} USD per {@code Attribution.workflow()}
 * id, to stop a runaway agent loop. A call is counted when it is admitted (a failed call still counts: a loop of
 * errors is a loop); its cost is reserved at its worst case and settled like a budget's. A workflow idle for
 * {@code idleExpiry} is forgotten, so memory stays bounded by the workflows active within that time.
 *
 * <p>Kept in the memory of the instance: a workflow (one agent run) normally runs on one instance.
 */
final class WorkflowCaps {

  private final long maxCalls;
  private final BigDecimal maxCost;
  private final long maxCostNanos;
  private final long idleMillis;
  private final SweepSchedule sweeps;
  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

  /**
   * @param maxCalls the most calls per workflow, or 0 for no call cap
   * @param maxCost the most USD per workflow, or null for no cost cap
   */
  WorkflowCaps(long maxCalls, BigDecimal maxCost, Duration idleExpiry) {
    if (maxCalls < 0) {
      throw new IllegalArgumentException("max-calls cannot be negative, got " + maxCalls);
    }
    if (maxCost != null && maxCost.signum() <= 0) {
      throw new IllegalArgumentException("max-cost must be positive, got " + maxCost.toPlainString());
    }
    if (idleExpiry.isNegative() || idleExpiry.isZero()) {
      throw new IllegalArgumentException("idle-expiry must be positive, got " + idleExpiry);
    }
    this.maxCalls = maxCalls;
    this.maxCost = maxCost;
    this.maxCostNanos = maxCost == null ? Long.MAX_VALUE : Money.toNanos(maxCost);
    this.idleMillis = idleExpiry.toMillis();
    this.sweeps = new SweepSchedule(idleMillis / 10);
  }

  boolean capsCost() {
    return maxCost != null;
  }

  long maxCalls() { return maxCalls; }
  BigDecimal maxCost() { return maxCost; }
  Duration idleExpiry() { return Duration.ofMillis(idleMillis); }

  /** Workflows tracked now. */
  int size() {
    return states.size();
  }

  /** Admits one call of {@code workflow} holding {@code worstNanos}, or throws naming the cap. */
  State admit(String workflow, long worstNanos, long nowMillis) {
    maybeSweep(nowMillis);
    while (true) {
      State s = states.computeIfAbsent(workflow, k -> new State());
      synchronized (s) {
        if (s.removed) {
          continue;  // the sweep dropped it between lookup and lock: take the fresh one
        }
        if (maxCalls > 0 && s.calls >= maxCalls) {
          throw new CostCapExceededException("workflow " + workflow, maxCost, Money.fromNanos(s.spent),
              Money.fromNanos(worstNanos), s.calls, "workflow " + workflow + " reached its cap of " + maxCalls
              + " calls (" + s.calls + " calls so far, " + Money.fromNanos(s.spent).toPlainString()
              + " USD spent); a runaway agent loop? Raise workflow-caps.max-calls or start a new workflow id");
        }
        if (worstNanos > maxCostNanos - s.spent - s.reserved) {
          throw new CostCapExceededException("workflow " + workflow, maxCost, Money.fromNanos(s.spent),
              Money.fromNanos(worstNanos), s.calls, "workflow " + workflow + " would pass its cost cap of "
              + maxCost.toPlainString() + " USD: " + Money.fromNanos(s.spent).toPlainString() + " USD spent and "
              + Money.fromNanos(s.reserved).toPlainString() + " USD held by calls in flight over " + s.calls
              + " calls, this call may cost up to " + Money.fromNanos(worstNanos).toPlainString()
              + " USD; raise workflow-caps.max-cost or start a new workflow id");
        }
        s.calls++;
        s.reserved += worstNanos;
        s.lastSeen = nowMillis;
        return s;
      }
    }
  }

  /** Undoes an admission whose call never went out (a budget refused it). */
  void undo(State s, long worstNanos) {
    synchronized (s) {
      s.calls--;
      s.reserved -= worstNanos;
    }
  }

  /** Settles an admitted call with what it cost ({@code 0} for a failed call). */
  void settle(State s, long worstNanos, long actualNanos, long nowMillis) {
    synchronized (s) {
      s.reserved -= worstNanos;
      s.spent += actualNanos;
      s.lastSeen = nowMillis;
    }
  }

  /** Calls and spend of {@code workflow}, or null when it is not tracked. */
  long[] usage(String workflow) {
    State s = states.get(workflow);
    if (s == null) {
      return null;
    }
    synchronized (s) {
      return new long[] {s.calls, s.spent, s.reserved};
    }
  }

  private void maybeSweep(long nowMillis) {
    if (sweeps.due(nowMillis)) {
      states.values().removeIf(s -> {
        synchronized (s) {
          // a workflow with calls in flight is not idle, however long they take
          if (s.reserved == 0 && s.lastSeen + idleMillis <= nowMillis) {
            s.removed = true;
          }
          return s.removed;
        }
      });
    }
  }

  /** One workflow's counts; guarded by its own monitor. */
  static final class State {
    long calls;
    long spent;
    long reserved;
    long lastSeen;
    boolean removed;
  }
}
