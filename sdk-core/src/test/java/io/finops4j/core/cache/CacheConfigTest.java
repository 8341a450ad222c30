package io.finops4j.core.cache;

import static io.finops4j.core.cache.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.ConfigException;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheConfigTest {

  private final FakeTicker ticker = new FakeTicker();
  private final HashedBagOfWords embeddings = new HashedBagOfWords();

  private static ConfigNode yaml(String text) {
    return ConfigLoader.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "app.yaml",
        name -> null);
  }

  private CacheInterceptor load(String text) {
    return CacheInterceptor.fromConfig(yaml(text), embeddings, ticker);
  }

  @Test
  void readsTaskPoliciesAndTheSizeBound() {
    CacheInterceptor cache = load("""
        finops4j:
          cache: { max-size: 1MB, enabled: true, semantic: { max-entries: 500 } }
          tasks:
            classification: { tier: small, max-output-tokens: 50, cache: { ttl: 30m } }
            faq: { tier: small, cache: { ttl: 1h, scope: global, semantic: { threshold: 0.97 }, non-deterministic: true } }
            per-user: { tier: small, cache: { scope: [customer, user] } }
            always: { tier: small, cache: true }
            never: { tier: small, cache: false }
            support-reply: { tier: medium }
        """);

    assertThat(cache.policy("classification"))
        .isEqualTo(new CachePolicy(true, Duration.ofMinutes(30), List.of("customer"), false, null));
    assertThat(cache.policy("faq"))
        .isEqualTo(new CachePolicy(true, Duration.ofHours(1), List.of(), true, 0.97));
    assertThat(cache.policy("per-user").scope()).containsExactly("customer", "user");
    assertThat(cache.policy("always")).isEqualTo(CachePolicy.DEFAULT);
    assertThat(cache.policy("never").enabled()).isFalse();
    assertThat(cache.policy("support-reply").enabled()).isFalse();
    assertThat(cache.policy("unknown-task").enabled()).isFalse();
    CaffeineResponseCache store = (CaffeineResponseCache) cache.store();
    assertThat(store.nativeCache().policy().eviction().orElseThrow().getMaximum()).isEqualTo(1024 * 1024);
  }

  @Test
  void aConfiguredTaskIsCachedEndToEnd() {
    CacheInterceptor cache = load("""
        finops4j:
          tasks:
            faq: { tier: small, cache: { ttl: 5m } }
        """);
    Harness h = new Harness(cache);
    h.call(request("acme", "q"));
    assertThat(h.call(request("acme", "q")).status()).isEqualTo("hit");
    ticker.advance(Duration.ofMinutes(5));
    assertThat(h.call(request("acme", "q")).status()).isEqualTo("miss");
  }

  @Test
  void secondRequestAdmissionStoresAnAnswerWhenItsRequestComesAgain() {
    CacheInterceptor cache = load("""
        finops4j:
          cache: { admission: second-request }
          tasks:
            faq: { tier: small, cache: { ttl: 5m } }
        """);
    Harness h = new Harness(cache);
    assertThat(h.call(request("acme", "q")).status()).isEqualTo("miss");
    assertThat(h.call(request("acme", "q")).status()).isEqualTo("miss");
    Harness.Result third = h.call(request("acme", "q"));
    assertThat(third.status()).isEqualTo("hit");
    assertThat(third.text()).isEqualTo("answer-2");
    // Scoping is unchanged: another customer's first two requests are its own misses.
    assertThat(h.call(request("globex", "q")).status()).isEqualTo("miss");
    assertThat(h.call(request("globex", "q")).text()).isEqualTo("answer-4");
    assertThat(h.downstreamCalls).hasValue(4);
    // The TTL is unchanged too.
    ticker.advance(Duration.ofMinutes(5));
    assertThat(h.call(request("acme", "q")).status()).isEqualTo("miss");
  }

  @Test
  void everyAnswerIsStoredUnlessTheAdmissionSaysOtherwise() {
    Harness always = new Harness(load("""
        finops4j:
          cache: { admission: always }
          tasks:
            faq: { cache: true }
        """));
    always.call(request("acme", "q"));
    assertThat(always.call(request("acme", "q")).status()).isEqualTo("hit");
    assertThatThrownBy(() -> load("""
        finops4j:
          cache: { admission: sometimes }
          tasks:
            faq: { cache: true }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("finops4j.cache.admission: expected auto (the default: store every answer unless the"
            + " cache is full and not reused), always (store every answer) or second-request")
        .hasMessageContaining("got 'sometimes'");
  }

  @Test
  void cacheDisabledGloballyTurnsEveryTaskOff() {
    CacheInterceptor cache = load("""
        finops4j:
          cache: { enabled: false }
          tasks:
            faq: { cache: true }
        """);
    Harness h = new Harness(cache);
    h.call(request("acme", "q"));
    assertThat(h.call(request("acme", "q")).status()).isEqualTo("off");
  }

  @Test
  void aSemanticThresholdBelowTheFloorFailsWithItsPath() {
    assertThatThrownBy(() -> load("""
        finops4j:
          tasks:
            faq: { cache: { semantic: { threshold: 0.8 } } }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("finops4j.tasks.faq.cache.semantic.threshold: semantic threshold 0.8 is below the"
            + " floor of 0.9")
        .hasMessageEndingWith("(in app.yaml, line 3, column 33)")
        .extracting(e -> ((ConfigException) e).path()).isEqualTo("finops4j.tasks.faq.cache.semantic.threshold");
  }

  @Test
  void aThresholdAboveOneFails() {
    assertThatThrownBy(() -> load("""
        finops4j:
          tasks:
            faq: { cache: { semantic: { threshold: 1.5 } } }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.tasks.faq.cache.semantic.threshold: semantic threshold is a cosine"
            + " similarity, at most 1.0, got 1.5");
  }

  @Test
  void semanticTrueUsesTheDefaultThreshold() {
    CacheInterceptor cache = load("""
        finops4j:
          tasks:
            faq: { cache: { semantic: true } }
        """);
    assertThat(cache.policy("faq").semanticThreshold()).isEqualTo(0.95);
  }

  @Test
  void semanticWithoutAnEmbeddingModelFailsNamingTheTask() {
    assertThatThrownBy(() -> CacheInterceptor.fromConfig(yaml("""
        finops4j:
          tasks:
            faq: { cache: { semantic: true } }
        """), null, ticker))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.tasks: task 'faq' turns on the semantic cache, which needs an embedding model");
  }

  @Test
  void unknownKeysBadScopesBadSizesAndBadTtlsFailWithTheirPaths() {
    assertThatThrownBy(() -> load("""
        finops4j:
          tasks:
            faq: { cache: { ttl: 1h, tll: 2h } }
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.tasks.faq.cache.tll: unknown key; expected one of [enabled,"
            + " non-deterministic, scope, semantic, ttl]");
    assertThatThrownBy(() -> load("""
        finops4j:
          tasks:
            faq: { cache: { scope: tenant } }
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.tasks.faq.cache.scope: unknown cache scope 'tenant'");
    assertThatThrownBy(() -> load("""
        finops4j:
          tasks:
            faq: { cache: { scope: [global, customer] } }
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'global' cannot be combined");
    assertThatThrownBy(() -> load("""
        finops4j:
          cache: { max-size: lots }
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.cache.max-size: expected a size such as 64MB, 512KB or 1GB, got 'lots'");
    assertThatThrownBy(() -> load("""
        finops4j:
          tasks:
            faq: { cache: { ttl: forever } }
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.tasks.faq.cache.ttl: expected a duration");
    assertThatThrownBy(() -> load("""
        finops4j:
          tasks:
            faq: { cache: maybe }
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.tasks.faq.cache: expected true or false, got 'maybe'");
  }

  @Test
  void sizesUseBinaryUnits() {
    assertThat(CacheConfig.bytes(ConfigNode.root(null, "x", "64MB"))).isEqualTo(64L * 1024 * 1024);
    assertThat(CacheConfig.bytes(ConfigNode.root(null, "x", "512 KB"))).isEqualTo(512L * 1024);
    assertThat(CacheConfig.bytes(ConfigNode.root(null, "x", "1GiB"))).isEqualTo(1024L * 1024 * 1024);
    assertThat(CacheConfig.bytes(ConfigNode.root(null, "x", 1048576))).isEqualTo(1048576L);
    assertThatThrownBy(() -> CacheConfig.bytes(ConfigNode.root(null, "x", "0MB")))
        .hasMessageContaining("expected a positive size");
  }
}
