package io.finops4j.core.cache;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CacheLookup;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Interceptor;
import io.finops4j.api.spi.Pricing;
import io.finops4j.api.spi.TestCall;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a cache interceptor the way the engine does: routing has set the route, and the rest of the pipeline is a
 * fake provider that answers {@code answer-N} (N counting its calls) with 1000 input and 500 output tokens, priced
 * at the routed model's rates.
 */
final class Harness {

  static final Usage USAGE = Usage.of(1000, 500);

  final AtomicInteger downstreamCalls = new AtomicInteger();
  final AtomicInteger callIds = new AtomicInteger();
  final Interceptor cache;
  /** What the rest of the pipeline does; replaceable per test. */
  volatile Function<CallContext, Completion> downstream = this::answer;
  /** The price table of the next calls; replaceable per test. */
  volatile Pricing pricing = FakeContext.PRICES;

  Harness(Interceptor cache) {
    this.cache = cache;
  }

  static CompletionRequest.Builder request(String task, Prompt prompt, String customer) {
    return CompletionRequest.builder(task, prompt).attribution(Attribution.of(customer, "support")).temperature(0.0);
  }

  static CompletionRequest request(String customer, String userText) {
    return request("faq", Prompt.builder().system("You are terse.").user(userText).build(), customer).build();
  }

  /** One call routed to gpt-5-mini. */
  Result call(CompletionRequest request) {
    return call(request, FakeContext.MINI, null);
  }

  /** One call in a chain without routing: the request names its model, and the context has no route. */
  Result callUnrouted(CompletionRequest request) {
    TestCall context = TestCall.withId("call-" + callIds.incrementAndGet()).pricing(pricing);
    return new Result(cache.intercept(new Chain(request, context)), context);
  }

  Result call(CompletionRequest request, ModelId routed, Llm.TextListener listener) {
    TestCall context = TestCall.withId("call-" + callIds.incrementAndGet())
        .withRoute(new Route("small", List.of(routed), List.of("task -> small"))).textListener(listener)
        .pricing(pricing);
    Completion c = cache.intercept(new Chain(request, context));
    return new Result(c, context);
  }

  Completion answer(CallContext context) {
    int n = downstreamCalls.incrementAndGet();
    ModelId model = context.route().primary();
    return Completion.builder()
        .text("answer-" + n)
        .model(model)
        .tier(context.route().tier())
        .usage(USAGE)
        .costUsd(context.pricing().price(model).cost(USAGE))
        .callId(context.callId())
        .requestId("req-" + n)
        .finishReason("stop")
        .build();
  }

  /** The completion and the call it was produced in. */
  record Result(Completion completion, TestCall context) {
    /** What the cache reported for the call: its one {@code cacheLookup} event. */
    CacheLookup lookup() {
      List<CacheLookup> lookups = context.events(CacheLookup.class);
      if (lookups.size() != 1) {
        throw new AssertionError("expected one cacheLookup event, got " + context.eventNames());
      }
      return lookups.get(0);
    }

    String status() {
      return lookup().status().label();
    }

    String text() {
      return completion.text();
    }
  }

  private final class Chain implements Interceptor.Chain {
    private final CompletionRequest request;
    private final CallContext context;

    Chain(CompletionRequest request, CallContext context) {
      this.request = request;
      this.context = context;
    }

    @Override public CompletionRequest request() { return request; }
    @Override public CallContext context() { return context; }

    @Override
    public Completion proceed(CompletionRequest next) {
      return downstream.apply(context);
    }
  }
}
