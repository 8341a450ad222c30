package io.finops4j.core.cache;

import static io.finops4j.core.cache.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Completion;
import io.finops4j.api.spi.ResponseCache;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The default admission, {@code auto}: every answer is stored while the cache has room or is reused; a full cache
 * whose answers are not reused stores an answer on its second request, until reuse comes back.
 */
class CacheAdmissionTest {

  private final FakeTicker ticker = new FakeTicker();

  /** A cache of 256 KB (about 1,000 answers fill it), its maintenance on the caller so that its size is exact. */
  private CacheInterceptor cache(long maxBytes) {
    return CacheInterceptor.builder().ticker(ticker).executor(Runnable::run).maxBytes(maxBytes)
        .task("faq", CachePolicy.DEFAULT).build();
  }

  /** {@code n} calls, each with a prompt of its own; every {@code repeatEvery}-th repeats the one before it. */
  private static void traffic(Harness h, String name, int n, int repeatEvery) {
    for (int i = 0; i < n; i++) {
      int prompt = repeatEvery > 0 && i % repeatEvery == repeatEvery - 1 ? i - 1 : i;
      h.call(request("acme", name + " " + prompt));
    }
  }

  /** Ends the second: the next miss looks back on it. */
  private void nextSecond() {
    ticker.advance(Duration.ofSeconds(1));
  }

  /** A new prompt twice: the second request is a hit when every answer is stored. */
  private static void assertStoresEveryAnswer(Harness h, CacheInterceptor cache) {
    h.call(request("acme", "q"));
    assertThat(h.call(request("acme", "q")).status()).isEqualTo("hit");
    assertThat(cache.storingOnSecondRequest()).isFalse();
  }

  /** Fills a 256 KB cache with a second of one-off prompts; after it, answers are stored on the second request. */
  private void storeOnSecondRequest(Harness h, CacheInterceptor cache) {
    traffic(h, "one-off", 1_000, 0);
    nextSecond();
    h.call(request("acme", "start"));
    assertThat(cache.storingOnSecondRequest()).isTrue();
  }

  @Test
  void aFullCacheWhoseAnswersAreNotReusedStoresAnAnswerOnItsSecondRequest() {
    CacheInterceptor cache = cache(256 * 1024);
    Harness h = new Harness(cache);
    traffic(h, "one-off", 1_000, 0);
    // within the first second nothing has been decided: the first repeat is a hit
    h.call(request("acme", "early"));
    assertThat(h.call(request("acme", "early")).status()).isEqualTo("hit");

    nextSecond();
    assertThat(h.call(request("acme", "q")).status()).isEqualTo("miss");   // 1,003 lookups, 1 hit: under 1%
    assertThat(cache.storingOnSecondRequest()).isTrue();
    assertThat(h.call(request("acme", "q")).status()).isEqualTo("miss");   // seen before: stored now
    Harness.Result third = h.call(request("acme", "q"));
    assertThat(third.status()).isEqualTo("hit");
    assertThat(third.text()).isEqualTo("answer-1003");
  }

  @Test
  void aCacheWithRoomStoresEveryAnswer() {
    CacheInterceptor cache = cache(64L * 1024 * 1024);
    Harness h = new Harness(cache);
    traffic(h, "one-off", 1_000, 0);
    nextSecond();
    assertStoresEveryAnswer(h, cache);
  }

  @Test
  void fewerThanAThousandLookupsASecondStoreEveryAnswer() {
    CacheInterceptor cache = cache(256 * 1024);
    Harness h = new Harness(cache);
    traffic(h, "one-off", 998, 0);
    nextSecond();
    assertStoresEveryAnswer(h, cache);                                       // its first call is lookup 999
  }

  @Test
  void reuseOfOneLookupInAHundredKeepsEveryAnswer() {
    CacheInterceptor cache = cache(256 * 1024);
    Harness h = new Harness(cache);
    traffic(h, "mostly new", 1_000, 50);                                    // 20 hits in 1,000 lookups: 2%
    nextSecond();
    assertStoresEveryAnswer(h, cache);
  }

  @Test
  void everyAnswerIsStoredAgainOnceRequestsRepeat() {
    CacheInterceptor cache = cache(256 * 1024);
    Harness h = new Harness(cache);
    storeOnSecondRequest(h, cache);
    // every prompt twice in a row: the second request of each is a repeat the doorkeeper recognizes (and stores)
    traffic(h, "pairs", 1_000, 2);
    nextSecond();
    assertStoresEveryAnswer(h, cache);
  }

  @Test
  void reuseBetweenOneAndTwoInAHundredKeepsStoringOnTheSecondRequest() {
    CacheInterceptor cache = cache(256 * 1024);
    Harness h = new Harness(cache);
    storeOnSecondRequest(h, cache);
    traffic(h, "a few repeats", 1_000, 67);                                 // 14 repeats in 1,000 lookups: 1.4%
    nextSecond();
    h.call(request("acme", "q"));
    assertThat(cache.storingOnSecondRequest()).isTrue();
    assertThat(h.call(request("acme", "q")).status()).isEqualTo("miss");
  }

  @Test
  void aStoreOfYourOwnStoresEveryAnswer() {
    Map<String, Completion> map = new ConcurrentHashMap<>();
    ResponseCache own = new ResponseCache() {
      @Override
      public Completion get(String key) {
        return map.get(key);
      }

      @Override
      public void put(String key, Completion value, Duration ttl) {
        map.put(key, value);
      }

      @Override
      public void invalidate(String key) {
        map.remove(key);
      }
    };
    CacheInterceptor cache = CacheInterceptor.builder().ticker(ticker).store(own).task("faq", CachePolicy.DEFAULT)
        .build();
    Harness h = new Harness(cache);
    traffic(h, "one-off", 1_000, 0);
    nextSecond();
    assertStoresEveryAnswer(h, cache);
    assertThat(map).hasSize(1_001);
  }

  @Test
  void alwaysStoresEveryAnswerOfAFullCache() {
    CacheInterceptor cache = CacheInterceptor.builder().ticker(ticker).executor(Runnable::run).maxBytes(256 * 1024)
        .admission(CacheAdmission.ALWAYS).task("faq", CachePolicy.DEFAULT).build();
    Harness h = new Harness(cache);
    traffic(h, "one-off", 1_000, 0);
    nextSecond();
    assertStoresEveryAnswer(h, cache);
  }
}
