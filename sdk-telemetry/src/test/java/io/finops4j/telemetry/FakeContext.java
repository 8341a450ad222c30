package io.finops4j.telemetry;

import io.finops4j.api.Attempt;
import io.finops4j.api.Llm;
import io.finops4j.api.Route;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Pricing;
import io.finops4j.api.spi.TokenEstimator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** A CallContext as the engine would fill it, for tests. */
class FakeContext implements CallContext {

  private final String callId;
  private final Clock clock;
  private Route route;
  private Llm.TextListener textListener;
  private final List<Attempt> attempts = new ArrayList<>();
  private final List<CallEvent> events = new ArrayList<>();
  private final Map<Key<?>, Object> values = new IdentityHashMap<>();

  FakeContext(String callId, Clock clock) {
    this.callId = callId;
    this.clock = clock;
  }

  FakeContext textListener(Llm.TextListener l) {
    textListener = l;
    return this;
  }

  @Override public String callId() { return callId; }
  @Override public Clock clock() { return clock; }
  @Override public long startNanos() { return 0; }
  @Override public Pricing pricing() { throw new UnsupportedOperationException(); }
  @Override public TokenEstimator tokens() { throw new UnsupportedOperationException(); }
  @Override public BudgetView budgets() { return BudgetView.NONE; }
  @Override public Route route() { return route; }
  @Override public void route(Route r) { route = r; }
  @Override public Llm.TextListener textListener() { return textListener; }
  @Override public List<Attempt> attempts() { return List.copyOf(attempts); }
  @Override public void addAttempt(Attempt a) { attempts.add(a); }

  @Override
  public void event(String name, Map<String, String> attributes) {
    events.add(new CallEvent(name, clock.millis() * 1_000_000L, attributes));
  }

  @Override public List<CallEvent> events() { return List.copyOf(events); }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Key<T> key) { return (T) values.get(key); }

  @Override public <T> void put(Key<T> key, T value) { values.put(key, value); }
}
