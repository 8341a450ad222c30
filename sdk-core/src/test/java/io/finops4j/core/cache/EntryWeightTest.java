package io.finops4j.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Completion;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The cache's byte bound is only as good as the weigher's estimate of what an entry keeps alive: measured here on
 * the heap (a class histogram of live objects, before and after storing a few thousand answers shaped as the
 * OpenAI client makes them).
 */
class EntryWeightTest {

  private static final int ENTRIES = 20_000;

  @Test
  void theWeigherEstimatesWhatAnEntryKeepsOnTheHeap() throws Exception {
    CaffeineResponseCache cache = new CaffeineResponseCache(1L << 30);
    long estimated = 0;
    long before = liveHeapBytes();
    for (int i = 0; i < ENTRIES; i++) {
      String key = "tenant\u0000classification\u0000openai/gpt-5-mini\u0000" + "k".repeat(43 - digits(i)) + i;
      Completion c = answer(i);
      estimated += CaffeineResponseCache.weigh(key, c);
      cache.put(key, c, Duration.ofMinutes(10));
    }
    cache.nativeCache().cleanUp();
    long measured = liveHeapBytes() - before;
    assertThat(cache.nativeCache().estimatedSize()).isEqualTo(ENTRIES);
    // within 5% either way: the bound a user sets is the memory the entries take (a usage's raw counts moving from
    // a hashed map to two arrays put the estimate 8% over, unnoticed under a bound of 10%)
    assertThat((double) estimated / measured).as("estimated %d B against %d B measured per entry",
        estimated / ENTRIES, measured / ENTRIES).isBetween(0.95, 1.05);
  }

  /**
   * A short answer as {@code OpenAiClient} returns it and the cache stores it: fresh text and ids per call, ten raw
   * usage counts, the finish reason and served model shared; no attempts, call id or route (a hit serves its own).
   */
  private static Completion answer(int i) {
    Map<String, Long> raw = new LinkedHashMap<>();
    raw.put("prompt_tokens", 260L + i % 7);
    raw.put("completion_tokens", 2L);
    raw.put("total_tokens", 262L + i % 7);
    raw.put("prompt_tokens_details.cached_tokens", 0L);
    raw.put("prompt_tokens_details.audio_tokens", 0L);
    raw.put("completion_tokens_details.reasoning_tokens", 0L);
    raw.put("completion_tokens_details.audio_tokens", 0L);
    raw.put("completion_tokens_details.accepted_prediction_tokens", 0L);
    raw.put("completion_tokens_details.rejected_prediction_tokens", 0L);
    raw.put("service_tier=default", 1L);
    Usage usage = Usage.builder().inputTokens(260 + i % 7).outputTokens(2).raw(raw).build();
    ModelId model = new ModelId("openai", "gpt-5-mini");
    String requestId = new String("req_" + Integer.toHexString(0x5f3a9c00 + i) + "0a1b2c3d4e5f6a7b8c9d");
    return Completion.builder().text(new String("billing")).model(model).tier("small").usage(usage)
        .costUsd(new BigDecimal("0.000069000")).finishReason("stop")
        .requestId(requestId).responseId("chatcmpl-" + Integer.toHexString(0x7a000000 + i) + "BvGk2wQ9mXn4")
        .servedModel("gpt-5-mini-2025-08-07").priceVersion("2026-12-03").build();
  }

  private static int digits(int i) {
    return Integer.toString(i).length();
  }

  /** Bytes of live objects: the JVM's class histogram (it collects first), as {@code jcmd GC.class_histogram}. */
  private static long liveHeapBytes() throws Exception {
    String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    String[] lines = histogram.strip().split("\n");
    String[] total = lines[lines.length - 1].trim().split("\\s+"); // "Total <instances> <bytes>"
    assertThat(total[0]).isEqualTo("Total");
    return Long.parseLong(total[2]);
  }
}
