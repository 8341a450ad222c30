package io.finops4j.budget;

import io.finops4j.api.Attempt;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Prompt;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Interceptor;
import io.finops4j.api.spi.Pricing;
import io.finops4j.api.spi.TokenEstimator;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** Test doubles: a settable clock, a call context with a fixed price table, and a scripted chain. */
final class Fakes {

  static final ModelId MINI = ModelId.parse("openai/gpt-5-mini");
  static final ModelId BIG = ModelId.parse("anthropic/claude-opus-4-7");
  /** 1 USD per 1M input tokens, 5 USD per 1M output tokens: 1 nano-USD per input token. */
  static final ModelPrice MINI_PRICE = ModelPrice.of("1.00", "5.00");
  /** 10x the price of {@link #MINI_PRICE}. */
  static final ModelPrice BIG_PRICE = ModelPrice.of("10.00", "50.00");

  private static final AtomicLong IDS = new AtomicLong();

  private Fakes() {}

  /** A clock a test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(String instant) {
      this.now = Instant.parse(instant);
    }

    void set(String instant) {
      now = Instant.parse(instant);
    }

    void advance(java.time.Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Prices of {@link #MINI} and {@link #BIG}. */
  static final class FakePricing implements Pricing {
    final Map<ModelId, ModelPrice> prices = new HashMap<>(Map.of(MINI, MINI_PRICE, BIG, BIG_PRICE));

    @Override
    public Optional<ModelPrice> find(ModelId model) {
      return Optional.ofNullable(prices.get(model));
    }

    @Override
    public ModelPrice price(ModelId model) {
      return find(model).orElseThrow(() -> new IllegalArgumentException("no price for " + model));
    }

    @Override
    public String version() {
      return "test";
    }
  }

  /** One token per prompt character: easy arithmetic. */
  static final class CharTokens implements TokenEstimator {
    @Override
    public long upperBound(Prompt prompt, ModelId model) {
      return prompt.chars();
    }

    @Override
    public long count(Prompt prompt, ModelId model) {
      return prompt.chars();
    }

    @Override
    public long countText(String text, ModelId model) {
      return text.length();
    }
  }

  static final class FakeContext implements CallContext {
    final String callId = "call-" + IDS.incrementAndGet();
    final FakePricing pricing = new FakePricing();
    final List<CallEvent> events = new ArrayList<>();
    private final Map<Key<?>, Object> values = new IdentityHashMap<>();
    private final List<Attempt> attempts = new ArrayList<>();
    private Route route;

    FakeContext(Route route) {
      this.route = route;
    }

    @Override public String callId() { return callId; }
    @Override public Clock clock() { return Clock.systemUTC(); }
    @Override public long startNanos() { return 0; }
    @Override public Pricing pricing() { return pricing; }
    @Override public TokenEstimator tokens() { return new CharTokens(); }
    @Override public BudgetView budgets() { return BudgetView.NONE; }
    @Override public Route route() { return route; }
    @Override public void route(Route r) { route = r; }
    @Override public Llm.TextListener textListener() { return null; }
    @Override public List<Attempt> attempts() { return attempts; }
    @Override public void addAttempt(Attempt a) { attempts.add(a); }

    @Override
    public void event(String name, Map<String, String> attributes) {
      events.add(new CallEvent(name, 0, attributes));
    }

    @Override public List<CallEvent> events() { return events; }

    @SuppressWarnings("unchecked")
    @Override public <T> T get(Key<T> key) { return (T) values.get(key); }

    @Override public <T> void put(Key<T> key, T value) { values.put(key, value); }

    List<String> eventNames() {
      return events.stream().map(CallEvent::name).toList();
    }

    CallEvent event(String name) {
      return events.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }
  }

  /** The rest of the pipeline: hands the request it received to {@code provider}. */
  static final class FakeChain implements Interceptor.Chain {
    final CompletionRequest request;
    final FakeContext context;
    final Function<CompletionRequest, Completion> provider;
    CompletionRequest sent;
    int proceeded;

    FakeChain(CompletionRequest request, FakeContext context, Function<CompletionRequest, Completion> provider) {
      this.request = request;
      this.context = context;
      this.provider = provider;
    }

    @Override public CompletionRequest request() { return request; }
    @Override public CallContext context() { return context; }

    @Override
    public Completion proceed(CompletionRequest r) {
      proceeded++;
      sent = r;
      return provider.apply(r);
    }
  }

  /** A completion that cost exactly {@code usd}, with the given usage. */
  static Completion completion(String usd, long inputTokens, long outputTokens) {
    return Completion.builder().text("ok").model(MINI).usage(Usage.of(inputTokens, outputTokens))
        .costUsd(new BigDecimal(usd)).build();
  }

  static Route route(ModelId... models) {
    return new Route("small", List.of(models), List.of("test"));
  }
}
