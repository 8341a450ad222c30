package io.finops4j.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Completion;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaffeineResponseCacheTest {

  private final FakeTicker ticker = new FakeTicker();
  private final CaffeineResponseCache cache = new CaffeineResponseCache(1 << 20, ticker, Runnable::run);

  @Test
  void eachEntryExpiresAfterItsOwnTtl() {
    cache.put("faq", answer("short-lived"), Duration.ofMinutes(1));
    cache.put("policy", answer("long-lived"), Duration.ofHours(1));

    ticker.advance(Duration.ofSeconds(59));
    assertThat(cache.get("faq").text()).isEqualTo("short-lived");
    ticker.advance(Duration.ofSeconds(1));
    assertThat(cache.get("faq")).isNull();
    assertThat(cache.get("policy").text()).isEqualTo("long-lived");
    ticker.advance(Duration.ofMinutes(59));
    assertThat(cache.get("policy")).isNull();
  }

  @Test
  void aStoredAgainAnswerLivesForItsNewTtlAndReadsDoNotExtendIt() {
    cache.put("faq", answer("first"), Duration.ofMinutes(1));
    ticker.advance(Duration.ofSeconds(50));
    cache.put("faq", answer("second"), Duration.ofMinutes(10));
    ticker.advance(Duration.ofMinutes(9));
    assertThat(cache.get("faq").text()).isEqualTo("second"); // 9 minutes into its new 10: the first TTL would have ended
    ticker.advance(Duration.ofSeconds(70));
    assertThat(cache.get("faq")).isNull();
  }

  private static Completion answer(String text) {
    return Completion.builder().text(text).model(new ModelId("openai", "gpt-5-mini")).usage(Usage.of(10, 2))
        .costUsd(new BigDecimal("0.000006500")).build();
  }
}
