package io.finops4j.budget;

import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Interceptor;
import io.finops4j.api.spi.Pricing;
import io.finops4j.api.spi.TestCall;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Test doubles: a settable clock, a fixed price table, a call on it (the shared {@link TestCall}), a scripted chain. */
final class Fakes {

  static final ModelId MINI = ModelId.parse("openai/gpt-5-mini");
  static final ModelId BIG = ModelId.parse("anthropic/claude-opus-4-7");
  /** 1 USD per 1M input tokens, 5 USD per 1M output tokens: 1 nano-USD per input token. */
  static final ModelPrice MINI_PRICE = ModelPrice.of("1.00", "5.00");
  /** 10x the price of {@link #MINI_PRICE}. */
  static final ModelPrice BIG_PRICE = ModelPrice.of("10.00", "50.00");

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

  /** A call on {@code route} with the prices of {@link FakePricing} and one token per character. */
  static TestCall context(Route route) {
    return context(route, new FakePricing());
  }

  static TestCall context(Route route, FakePricing pricing) {
    return TestCall.create().withRoute(route).pricing(pricing).tokens(TestCall.CHAR_TOKENS);
  }

  /** The rest of the pipeline: hands the request it received to {@code provider}. */
  static final class FakeChain implements Interceptor.Chain {
    final CompletionRequest request;
    final TestCall context;
    final Function<CompletionRequest, Completion> provider;
    CompletionRequest sent;
    int proceeded;

    FakeChain(CompletionRequest request, TestCall context, Function<CompletionRequest, Completion> provider) {
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
