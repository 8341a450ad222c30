package io.finops4j.routing;

import io.finops4j.api.Attempt;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Interceptor;
import io.finops4j.api.spi.Pricing;
import io.finops4j.api.spi.TokenEstimator;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Just enough of a call to run one interceptor: records the route and the request that reached the end. */
final class FakeContext implements CallContext {

  BudgetView budgets = BudgetView.NONE;
  Route route;
  CompletionRequest proceeded;
  final List<CallEvent> events = new ArrayList<>();
  private final Map<Key<?>, Object> values = new HashMap<>();

  Completion run(Interceptor interceptor, CompletionRequest request) {
    return interceptor.intercept(new Interceptor.Chain() {
      @Override public CompletionRequest request() { return request; }
      @Override public CallContext context() { return FakeContext.this; }
      @Override public Completion proceed(CompletionRequest next) {
        proceeded = next;
        return Completion.builder().text("ok").model(route.primary()).usage(Usage.ZERO).costUsd(BigDecimal.ZERO).build();
      }
    });
  }

  @Override public String callId() { return "c1"; }
  @Override public Clock clock() { return Clock.systemUTC(); }
  @Override public long startNanos() { return 0; }
  @Override public Pricing pricing() { throw new UnsupportedOperationException(); }
  @Override public TokenEstimator tokens() { throw new UnsupportedOperationException(); }
  @Override public BudgetView budgets() { return budgets; }
  @Override public Route route() { return route; }
  @Override public void route(Route route) { this.route = route; }
  @Override public Llm.TextListener textListener() { return null; }
  @Override public List<Attempt> attempts() { return List.of(); }
  @Override public void addAttempt(Attempt attempt) { }
  @Override public void event(String name, Map<String, String> attributes) { events.add(new CallEvent(name, 0, attributes)); }
  @Override public List<CallEvent> events() { return events; }
  @Override @SuppressWarnings("unchecked") public <T> T get(Key<T> key) { return (T) values.get(key); }
  @Override public <T> void put(Key<T> key, T value) { values.put(key, value); }
}
