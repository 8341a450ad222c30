package io.finops4j.core.cache;

import static io.finops4j.core.cache.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Prompt;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExactCacheTest {

  private final FakeTicker ticker = new FakeTicker();

  private Harness harness(CachePolicy policy) {
    return new Harness(CacheInterceptor.builder().ticker(ticker).executor(Runnable::run).task("faq", policy).build());
  }

  private final Harness h = harness(CachePolicy.DEFAULT);

  @Test
  void secondIdenticalCallIsAHitThatCostsNothingAndSavesThePriceOfTheAvoidedCall() {
    Harness.Result first = h.call(request("acme", "What are your opening hours?"));
    Harness.Result second = h.call(request("acme", "What are your opening hours?"));

    assertThat(first.status()).isEqualTo("miss");
    assertThat(first.completion().cached()).isFalse();
    assertThat(first.completion().costUsd()).isEqualByComparingTo("0.00125");
    assertThat(second.status()).isEqualTo("hit");
    assertThat(second.lookup().match()).isEqualTo("exact");
    assertThat(second.text()).isEqualTo("answer-1");
    assertThat(second.completion().cached()).isTrue();
    assertThat(second.completion().costUsd()).isEqualByComparingTo("0");
    // gpt-5-mini 0.25 / 2.00 per 1M: 1000 x 0.25e-6 + 500 x 2.00e-6 = 0.00025 + 0.001 = 0.00125 USD
    assertThat(second.completion().savedUsd()).isEqualByComparingTo("0.00125");
    assertThat(second.completion().callId()).isEqualTo("call-2");
    assertThat(second.completion().attempts()).isEmpty();
    assertThat(h.downstreamCalls).hasValue(1);

    CacheStats stats = ((CacheInterceptor) h.cache).stats();
    assertThat(stats.exactHits()).isEqualTo(1);
    assertThat(stats.misses()).isEqualTo(1);
    assertThat(stats.savedUsd()).isEqualByComparingTo("0.00125");
  }

  @Test
  void savingsArePricedAtTheModelRoutingChoseNow() {
    CompletionRequest r = request("acme", "Summarize our refund policy.");
    h.call(r, FakeContext.GPT5, null);
    Harness.Result hit = h.call(r, FakeContext.GPT5, null);

    // gpt-5 1.25 / 10.00 per 1M: 1000 x 1.25e-6 + 500 x 10e-6 = 0.00625 USD
    assertThat(hit.completion().savedUsd()).isEqualByComparingTo("0.00625");
    assertThat(hit.completion().route().primary()).isEqualTo(FakeContext.GPT5);
  }

  @Test
  void aNewPriceTableRepricesTheSavingsOfEntriesStoredUnderTheOldOne() {
    CompletionRequest r = request("acme", "q");
    h.call(r);
    h.pricing = FakeContext.prices("v2", java.util.Map.of(FakeContext.MINI, ModelPrice.of("0.50", "4.00")));
    Harness.Result hit = h.call(r);
    // 1000 x 0.50e-6 + 500 x 4.00e-6 = 0.0025 USD at the new rates
    assertThat(hit.completion().savedUsd()).isEqualByComparingTo("0.0025");
    assertThat(hit.completion().priceVersion()).isEqualTo("v2");
  }

  @Test
  void anAnswerPricedOnTheCurrentTableIsStoredAsItCameAndAHitSavesItsCost() {
    h.downstream = ctx -> h.answer(ctx).toBuilder().priceVersion(ctx.pricing().version()).build();
    CompletionRequest r = request("acme", "Where is my parcel?");
    Harness.Result miss = h.call(r);
    Harness.Result hit = h.call(r);

    assertThat(miss.completion().costUsd()).isEqualByComparingTo("0.00125");
    assertThat(hit.completion().cached()).isTrue();
    assertThat(hit.completion().costUsd()).isEqualByComparingTo("0");
    assertThat(hit.completion().savedUsd()).isEqualByComparingTo("0.00125");
    assertThat(hit.completion().callId()).isEqualTo("call-2");
    assertThat(hit.completion().attempts()).isEmpty();
    assertThat(((CacheInterceptor) h.cache).stats().savedUsd()).isEqualByComparingTo("0.00125");
  }

  @Test
  void anEntryKeepsWhatAHitServesAndNotTheAttemptsCallIdOrRouteOfTheCallThatPaidForIt() {
    java.util.Map<String, io.finops4j.api.Completion> stored = new java.util.HashMap<>();
    io.finops4j.api.spi.ResponseCache recording = new io.finops4j.api.spi.ResponseCache() {
      @Override public io.finops4j.api.Completion get(String key) { return stored.get(key); }
      @Override public void put(String key, io.finops4j.api.Completion c, Duration ttl) { stored.put(key, c); }
      @Override public void invalidate(String key) { stored.remove(key); }
    };
    Harness r = new Harness(CacheInterceptor.builder().store(recording).task("faq", CachePolicy.DEFAULT).build());
    r.downstream = ctx -> r.answer(ctx).toBuilder().priceVersion(ctx.pricing().version())
        .route(ctx.route()).attempts(List.of(new io.finops4j.api.Attempt(FakeContext.MINI, "ok", 200, 1_000, "req-1")))
        .build();
    Harness.Result miss = r.call(request("acme", "Where is my parcel?"));

    assertThat(miss.completion().attempts()).hasSize(1); // the caller of the paid call gets all of it
    assertThat(stored).hasSize(1);
    io.finops4j.api.Completion entry = stored.values().iterator().next();
    assertThat(entry.attempts()).isEmpty();
    assertThat(entry.callId()).isNull();
    assertThat(entry.route()).isNull();
    assertThat(entry.text()).isEqualTo("answer-1");
    assertThat(entry.requestId()).isEqualTo("req-1");
    assertThat(entry.tier()).isEqualTo("small");
    assertThat(entry.costUsd()).isEqualByComparingTo("0.00125");

    Harness.Result hit = r.call(request("acme", "Where is my parcel?"));
    assertThat(hit.completion().callId()).isEqualTo("call-2");
    assertThat(hit.completion().route()).isEqualTo(hit.context().route());
    assertThat(hit.completion().savedUsd()).isEqualByComparingTo("0.00125");
  }

  @Test
  void aHitInAChainWithoutRoutingReportsTheForcedModelsRouteAsTheProviderStepDoes() {
    CompletionRequest r = CompletionRequest.builder("faq", Prompt.builder().user("q").build())
        .attribution(Attribution.of("acme", "support")).temperature(0.0).model(FakeContext.MINI).build();
    // the provider step of such a chain routes the call to the forced model itself
    h.downstream = ctx -> io.finops4j.api.Completion.builder().text("answer").model(FakeContext.MINI)
        .usage(Harness.USAGE).costUsd(ctx.pricing().price(FakeContext.MINI).cost(Harness.USAGE))
        .priceVersion(ctx.pricing().version()).route(io.finops4j.api.Route.forced(FakeContext.MINI)).build();
    h.callUnrouted(r);
    Harness.Result hit = h.callUnrouted(r);

    assertThat(hit.status()).isEqualTo("hit");
    assertThat(hit.completion().route()).isEqualTo(io.finops4j.api.Route.forced(FakeContext.MINI));
    assertThat(hit.completion().tier()).isNull();
  }

  @Test
  void anAnswerPricedOnATableSwappedMidCallSavesWhatTheNewTableCharges() {
    // the provider step priced the answer on v1; by the time the cache stores it, v2 makes the model free
    h.downstream = ctx -> h.answer(ctx).toBuilder().costUsd(new java.math.BigDecimal("0.00125")).priceVersion("v1")
        .build();
    h.pricing = FakeContext.prices("v2", java.util.Map.of(FakeContext.MINI, ModelPrice.of("0", "0")));
    CompletionRequest r = request("acme", "q");
    h.call(r);
    Harness.Result hit = h.call(r);
    assertThat(hit.completion().savedUsd()).isEqualByComparingTo("0");
    assertThat(hit.completion().priceVersion()).isEqualTo("v2");
  }

  @Test
  void aCustomerNeverGetsAnotherCustomersAnswer() {
    h.call(request("acme", "What is my account balance?"));
    Harness.Result other = h.call(request("globex", "What is my account balance?"));

    assertThat(other.status()).isEqualTo("miss");
    assertThat(other.text()).isEqualTo("answer-2");
  }

  @Test
  void scopeValuesCannotBeForgedToReachAnotherScope() {
    // A customer id that spells out another scope prefix must not land in that scope.
    h.call(request("a", "hi"));
    Harness.Result forged = h.call(request("a|customer=1:a", "hi"));
    assertThat(forged.status()).isEqualTo("miss");
  }

  @Test
  void aDifferentSystemPromptMisses() {
    CompletionRequest a = request("faq", Prompt.builder().system("Answer in English.").user("Hello").build(), "acme")
        .build();
    CompletionRequest b = request("faq", Prompt.builder().system("Answer in French.").user("Hello").build(), "acme")
        .build();
    h.call(a);
    assertThat(h.call(b).status()).isEqualTo("miss");
    assertThat(h.call(a).status()).isEqualTo("hit");
  }

  @Test
  void aDifferentModelMisses() {
    CompletionRequest r = request("acme", "Translate 'cat'.");
    h.call(r, FakeContext.MINI, null);
    Harness.Result other = h.call(r, FakeContext.GPT5, null);
    assertThat(other.status()).isEqualTo("miss");
  }

  @Test
  void aDifferentTemperatureMaxTokensCostCapOrTurnMisses() {
    CachePolicy any = CachePolicy.DEFAULT.withNonDeterministic(true);
    Harness nd = harness(any);
    Prompt p = Prompt.builder().system("s").user("q").build();
    nd.call(request("faq", p, "acme").temperature(0.0).build());

    assertThat(nd.call(request("faq", p, "acme").temperature(0.7).build()).status()).isEqualTo("miss");
    assertThat(nd.call(request("faq", p, "acme").temperature(0.0).maxOutputTokens(10).build()).status())
        .isEqualTo("miss");
    assertThat(nd.call(request("faq", p, "acme").temperature(0.0).maxCostUsd(new BigDecimal("0.01")).build())
        .status()).isEqualTo("miss");
    Prompt longer = p.toBuilder().assistant("a").user("q").build();
    assertThat(nd.call(request("faq", longer, "acme").temperature(0.0).build()).status()).isEqualTo("miss");
    // A user turn is not an assistant turn with the same text.
    Prompt roles = Prompt.builder().system("s").assistant("q").build();
    assertThat(nd.call(request("faq", roles, "acme").temperature(0.0).build()).status()).isEqualTo("miss");
    assertThat(nd.call(request("faq", p, "acme").temperature(0.0).build()).status()).isEqualTo("hit");
  }

  @Test
  void messageBoundariesArePartOfTheKey() {
    Prompt a = Prompt.builder().user("ab").user("c").build();
    Prompt b = Prompt.builder().user("a").user("bc").build();
    h.call(request("faq", a, "acme").build());
    assertThat(h.call(request("faq", b, "acme").build()).status()).isEqualTo("miss");
  }

  @Test
  void theSameRequestInAnotherTaskMisses() {
    Harness both = new Harness(CacheInterceptor.builder().task("faq", CachePolicy.DEFAULT)
        .task("other", CachePolicy.DEFAULT).build());
    Prompt p = Prompt.of("q");
    both.call(request("faq", p, "acme").build());
    assertThat(both.call(request("other", p, "acme").build()).status()).isEqualTo("miss");
  }

  @Test
  void nonDeterministicRequestsAreNotCachedUnlessTheTaskOptsIn() {
    Prompt p = Prompt.of("Write a haiku about invoices.");
    CompletionRequest hot = request("faq", p, "acme").temperature(0.9).build();
    CompletionRequest unset = request("faq", p, "acme").temperature(null).build();

    h.call(hot);
    Harness.Result again = h.call(hot);
    assertThat(again.status()).isEqualTo("off");
    assertThat(again.lookup().reason()).isEqualTo("non-deterministic");
    h.call(unset);
    assertThat(h.call(unset).status()).isEqualTo("off");
    assertThat(h.downstreamCalls).hasValue(4);

    Harness optIn = harness(CachePolicy.DEFAULT.withNonDeterministic(true));
    optIn.call(hot);
    assertThat(optIn.call(hot).status()).isEqualTo("hit");
    optIn.call(unset);
    assertThat(optIn.call(unset).status()).isEqualTo("hit");
  }

  @Test
  void callerOptOutTaskWithoutPolicyAndDisabledCacheAllBypass() {
    CompletionRequest r = request("acme", "q");
    h.call(r);
    CompletionRequest optOut = r.toBuilder().cacheEnabled(false).build();
    assertThat(h.call(optOut).status()).isEqualTo("off");

    CompletionRequest otherTask = request("no-policy", Prompt.of("q"), "acme").build();
    h.call(otherTask);
    assertThat(h.call(otherTask).status()).isEqualTo("off");

    Harness off = new Harness(CacheInterceptor.builder().enabled(false).task("faq", CachePolicy.DEFAULT).build());
    off.call(r);
    assertThat(off.call(r).status()).isEqualTo("off");
    assertThat(off.downstreamCalls).hasValue(2);
  }

  @Test
  void aCallWithoutTheScopeDimensionIsNotCached() {
    CompletionRequest anonymous = CompletionRequest.builder("faq", Prompt.of("q")).temperature(0.0).build();
    h.call(anonymous);
    Harness.Result again = h.call(anonymous);
    assertThat(again.status()).isEqualTo("off");
    assertThat(again.lookup().reason()).isEqualTo("no customer");
  }

  @Test
  void globalScopeIsSharedAcrossCustomersAndUserScopeIsNot() {
    Harness global = harness(CachePolicy.DEFAULT.withScope());
    global.call(request("acme", "What is 2+2?"));
    assertThat(global.call(request("globex", "What is 2+2?")).status()).isEqualTo("hit");

    Harness perUser = harness(CachePolicy.DEFAULT.withScope("customer", "user"));
    Prompt p = Prompt.of("my orders?");
    perUser.call(request("faq", p, "acme").attribution(Attribution.builder().customer("acme").user("u1").build())
        .build());
    Harness.Result u2 = perUser.call(request("faq", p, "acme")
        .attribution(Attribution.builder().customer("acme").user("u2").build()).build());
    assertThat(u2.status()).isEqualTo("miss");
    Harness.Result u1 = perUser.call(request("faq", p, "acme")
        .attribution(Attribution.builder().customer("acme").user("u1").build()).build());
    assertThat(u1.status()).isEqualTo("hit");
  }

  @Test
  void entriesExpireAfterTheTaskTtl() {
    Harness ttl = harness(CachePolicy.DEFAULT.withTtl(Duration.ofMinutes(10)));
    CompletionRequest r = request("acme", "q");
    ttl.call(r);
    ticker.advance(Duration.ofMinutes(9).plusSeconds(59));
    assertThat(ttl.call(r).status()).isEqualTo("hit");
    ticker.advance(Duration.ofSeconds(1));
    Harness.Result expired = ttl.call(r);
    assertThat(expired.status()).isEqualTo("miss");
    assertThat(expired.text()).isEqualTo("answer-2");
  }

  @Test
  void theStoreIsBoundedByBytes() {
    CaffeineResponseCache store = new CaffeineResponseCache(64 * 1024, ticker, Runnable::run);
    Harness small = new Harness(CacheInterceptor.builder().store(store).task("faq", CachePolicy.DEFAULT).build());
    small.downstream = context -> small.answer(context).toBuilder().text("x".repeat(4000)).build();
    List<CompletionRequest> requests = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      requests.add(request("acme", "question " + i));
      small.call(requests.get(i));
    }
    store.nativeCache().cleanUp();
    // Each entry weighs about 8.6 KB (4000 chars as UTF-16 plus key and allowance): 64 KiB holds at most 7.
    long weight = store.nativeCache().policy().eviction().orElseThrow().weightedSize().orElseThrow();
    assertThat(weight).isLessThanOrEqualTo(64 * 1024);
    assertThat(store.nativeCache().estimatedSize()).isBetween(1L, 7L);
    // What the store holds, it serves; which entries survive is Caffeine's admission policy (it differs between
    // versions), so the check reads the survivors rather than guessing them.
    java.util.Set<String> held = java.util.Set.copyOf(store.nativeCache().asMap().keySet());
    assertThat(held).hasSizeBetween(1, 7);
    for (String key : held) {
      assertThat(store.get(key)).as(key).isNotNull();
    }
    int hits = 0;
    for (CompletionRequest r : requests) {
      if (small.call(r).status().equals("hit")) {
        hits++;
      }
    }
    assertThat(hits).isLessThanOrEqualTo(7);
  }

  @Test
  void aStreamedHitHandsTheCachedTextToTheListener() {
    CompletionRequest r = request("acme", "q");
    h.call(r);
    StringBuilder streamed = new StringBuilder();
    Harness.Result hit = h.call(r, FakeContext.MINI, streamed::append);
    assertThat(hit.status()).isEqualTo("hit");
    assertThat(streamed.toString()).isEqualTo("answer-1");
  }

  @Test
  void aFailingStoreCostsAMissNeverTheCall() {
    io.finops4j.api.spi.ResponseCache broken = new io.finops4j.api.spi.ResponseCache() {
      @Override public io.finops4j.api.Completion get(String key) { throw new IllegalStateException("down"); }
      @Override public void put(String key, io.finops4j.api.Completion c, Duration ttl) {
        throw new IllegalStateException("down");
      }
      @Override public void invalidate(String key) {}
    };
    Harness b = new Harness(CacheInterceptor.builder().store(broken).task("faq", CachePolicy.DEFAULT).build());
    assertThat(b.call(request("acme", "q")).text()).isEqualTo("answer-1");
    assertThat(b.call(request("acme", "q")).status()).isEqualTo("miss");
  }
}
