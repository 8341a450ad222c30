package io.finops4j.core.cache;

import io.finops4j.api.Attempt;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Route;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Pricing;
import io.finops4j.api.spi.TokenEstimator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A call context as the engine builds one, with a fixed price table and a route already decided. */
final class FakeContext implements CallContext {

  static final ModelId MINI = ModelId.parse("openai/gpt-5-mini");
  static final ModelId GPT5 = ModelId.parse("openai/gpt-5");

  /** gpt-5-mini at 0.25 / 2.00 USD per 1M tokens, gpt-5 at 1.25 / 10.00. */
  static final Pricing PRICES = prices("test", Map.of(
      MINI, ModelPrice.of("0.25", "2.00"),
      GPT5, ModelPrice.of("1.25", "10.00")));

  /** A price table of one version. */
  static Pricing prices(String version, Map<ModelId, ModelPrice> table) {
    return new Pricing() {
      @Override public Optional<ModelPrice> find(ModelId model) { return Optional.ofNullable(table.get(model)); }
      @Override public ModelPrice price(ModelId model) { return find(model).orElseThrow(); }
      @Override public String version() { return version; }
    };
  }

  private final String callId;
  private final Pricing pricing;
  private final Llm.TextListener textListener;
  private Route route;
  private final List<Attempt> attempts = new ArrayList<>();
  private final List<CallEvent> events = new ArrayList<>();
  private final Map<Key<?>, Object> values = new HashMap<>();

  FakeContext(String callId, Route route, Llm.TextListener textListener, Pricing pricing) {
    this.callId = callId;
    this.pricing = pricing;
    this.route = route;
    this.textListener = textListener;
  }

  @Override public String callId() { return callId; }
  @Override public Clock clock() { return Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC); }
  @Override public long startNanos() { return 0; }
  @Override public Pricing pricing() { return pricing; }
  @Override public TokenEstimator tokens() { throw new UnsupportedOperationException("not needed by the cache"); }
  @Override public BudgetView budgets() { return BudgetView.NONE; }
  @Override public Route route() { return route; }
  @Override public void route(Route r) { route = r; }
  @Override public Llm.TextListener textListener() { return textListener; }
  @Override public List<Attempt> attempts() { return attempts; }
  @Override public void addAttempt(Attempt a) { attempts.add(a); }
  @Override public void event(String name, Map<String, String> attrs) { events.add(new CallEvent(name, 0, attrs)); }
  @Override public List<CallEvent> events() { return events; }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Key<T> key) {
    return (T) values.get(key);
  }

  @Override
  public <T> void put(Key<T> key, T value) {
    values.put(key, value);
  }
}
