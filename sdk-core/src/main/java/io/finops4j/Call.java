package io.finops4j;

import io.finops4j.api.Attempt;
import io.finops4j.api.Llm;
import io.finops4j.api.Route;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.Pricing;
import io.finops4j.api.spi.TokenEstimator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The state of one call. The attempt list is created on first use: a cache hit needs none. */
final class Call implements CallContext {

  private final Engine engine;
  private final String callId;
  private final long startNanos;
  private final Llm.TextListener textListener;
  private Route route;
  private List<Attempt> attempts;
  /** The read-only view of {@link #attempts}, made once: it is read several times per call. */
  private List<Attempt> attemptsView = List.of();
  private CallEventListener listener = CallEventListener.NONE;

  Call(Engine engine, String callId, Llm.TextListener textListener) {
    this.engine = engine;
    this.callId = callId;
    this.textListener = textListener;
    this.startNanos = System.nanoTime();
  }

  @Override public String callId() { return callId; }
  @Override public Clock clock() { return engine.clock; }
  @Override public long startNanos() { return startNanos; }
  @Override public Pricing pricing() { return engine.prices; }
  @Override public TokenEstimator tokens() { return engine.tokens; }
  @Override public BudgetView budgets() { return engine.budgets; }
  @Override public Route route() { return route; }
  @Override public void route(Route route) { this.route = route; }
  @Override public Llm.TextListener textListener() { return textListener; }

  @Override
  public List<Attempt> attempts() {
    return attemptsView;
  }

  @Override
  public void addAttempt(Attempt attempt) {
    if (attempts == null) {
      attempts = new ArrayList<>(2);
      attemptsView = Collections.unmodifiableList(attempts);
    }
    attempts.add(attempt);
  }

  @Override
  public CallEventListener listener() {
    return listener;
  }

  /** Set once, right after construction: the listeners' factories need the call. */
  void listener(CallEventListener listener) {
    this.listener = listener;
  }
}
