package io.finops4j;

import io.finops4j.api.Attempt;
import io.finops4j.api.Llm;
import io.finops4j.api.Route;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Pricing;
import io.finops4j.api.spi.TokenEstimator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The state of one call. Lists and maps are created on first use: most calls need none of them. */
final class Call implements CallContext {

  private final Engine engine;
  private final String callId;
  private final long startNanos;
  private final Llm.TextListener textListener;
  private Route route;
  private List<Attempt> attempts;
  private List<CallEvent> events;
  private Map<Key<?>, Object> values;

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
    return attempts == null ? List.of() : Collections.unmodifiableList(attempts);
  }

  @Override
  public void addAttempt(Attempt attempt) {
    if (attempts == null) {
      attempts = new ArrayList<>(2);
    }
    attempts.add(attempt);
  }

  @Override
  public void event(String name, Map<String, String> attributes) {
    if (events == null) {
      events = new ArrayList<>(2);
    }
    java.time.Instant now = engine.clock.instant();
    events.add(new CallEvent(name, now.getEpochSecond() * 1_000_000_000L + now.getNano(), attributes));
  }

  @Override
  public List<CallEvent> events() {
    return events == null ? List.of() : Collections.unmodifiableList(events);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Key<T> key) {
    return values == null ? null : (T) values.get(key);
  }

  @Override
  public <T> void put(Key<T> key, T value) {
    if (values == null) {
      values = new IdentityHashMap<>(4);
    }
    values.put(key, value);
  }
}
