package io.finops4j.reports;

import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A generated ledger, 2026-11-01..2026-11-28, whose answers are known by construction:
 * <ul>
 *   <li>support-reply (medium, anthropic/claude-sonnet-4-6 at 3/15, 2000 in / 300 out = 0.0105 USD): acme 10 calls
 *       a day, 20 a day from 2026-11-20 (cost doubles); globex 10 a day throughout. Workflows of 2 calls.</li>
 *   <li>classification (small, openai/gpt-5-mini at 0.25/2.00, 1000 in / 100 out = 0.00045 USD; 1600 in =
 *       0.0006 USD from 2026-11-22, prompt +60%): acme 10 a day, every 5th a cache hit (cost 0, saved the call's
 *       price). One workflow per call.</li>
 *   <li>tiny-co, the long tail: one classification call on 2026-11-10, 0.00045 USD.</li>
 *   <li>agent (large, anthropic/claude-opus-4-7 at 5/25, 4000 in / 1000 out = 0.045 USD): one runaway workflow
 *       wf-runaway of 200 calls on 2026-11-15 = 9.000 USD.</li>
 * </ul>
 */
public final class TestLedger {

  static final LocalDate START = LocalDate.parse("2026-11-01");
  static final LocalDate END = LocalDate.parse("2026-11-28");
  static final LocalDate DOUBLING = LocalDate.parse("2026-11-20");
  static final LocalDate PROMPT_GROWTH = LocalDate.parse("2026-11-22");
  static final LocalDate RUNAWAY_DAY = LocalDate.parse("2026-11-15");

  static final ModelId SONNET = ModelId.parse("anthropic/claude-sonnet-4-6");
  static final ModelId MINI = ModelId.parse("openai/gpt-5-mini");
  static final ModelId OPUS = ModelId.parse("anthropic/claude-opus-4-7");
  static final ModelId HAIKU = ModelId.parse("anthropic/claude-haiku-4-5");

  static final Map<ModelId, ModelPrice> PRICES = Map.of(
      SONNET, ModelPrice.of("3", "15"),
      MINI, ModelPrice.of("0.25", "2.00"),
      OPUS, ModelPrice.of("5", "25"),
      HAIKU, ModelPrice.of("1", "5"));

  private TestLedger() {}

  public static List<CallRecord> records() {
    List<CallRecord> out = new ArrayList<>();
    int[] seq = {0};
    for (LocalDate d = START; !d.isAfter(END); d = d.plusDays(1)) {
      int acme = d.isBefore(DOUBLING) ? 10 : 20;
      for (int i = 0; i < acme; i++) {
        out.add(call(seq, d, i, "acme", "support-reply", "sr-acme-" + d + "-" + i / 2, "medium", SONNET,
            Usage.of(2000, 300), false));
      }
      for (int i = 0; i < 10; i++) {
        out.add(call(seq, d, 100 + i, "globex", "support-reply", "sr-globex-" + d + "-" + i / 2, "medium", SONNET,
            Usage.of(2000, 300), false));
      }
      long input = d.isBefore(PROMPT_GROWTH) ? 1000 : 1600;
      for (int i = 0; i < 10; i++) {
        out.add(call(seq, d, 200 + i, "acme", "classification", "cl-" + d + "-" + i, "small", MINI,
            Usage.of(input, 100), i % 5 == 4));
      }
      if (d.equals(LocalDate.parse("2026-11-10"))) {
        out.add(call(seq, d, 300, "tiny-co", "classification", "tiny-1", "small", MINI, Usage.of(1000, 100), false));
      }
      if (d.equals(RUNAWAY_DAY)) {
        for (int i = 0; i < 200; i++) {
          out.add(call(seq, d, 400 + i, "acme", "agent", "wf-runaway", "large", OPUS, Usage.of(4000, 1000), false));
        }
      }
    }
    return out;
  }

  /**
   * {@code n} random rows over 2026-10-20..2026-12-05 (before, in and after November), with what real ledgers have:
   * missing customer, feature, workflow, model and tier; errors and rejections; cache hits; timestamps at second,
   * milli, micro and nano precision; costs to the nano-USD. Oldest first, as a ledger is written. For comparing report paths, not for known answers.
   */
  public static List<CallRecord> mixed(int n, long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    ModelId[] models = {SONNET, MINI, OPUS, HAIKU, null};
    String[] tiers = {"medium", "small", "large", "small", null};
    String[] outcomes = {CallRecord.OK, CallRecord.OK, CallRecord.OK, CallRecord.OK, CallRecord.ERROR,
        CallRecord.REJECTED_BUDGET};
    Instant start = Instant.parse("2026-10-20T00:00:00Z");
    long[] fractions = {1_000_000_000L, 1_000_000L, 1000L, 1L}; // whole seconds, millis, micros, nanos
    List<CallRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int m = rnd.nextInt(models.length);
      long nanos = (long) (rnd.nextDouble() * 46 * 86_400) * 1_000_000_000L + rnd.nextInt(1_000_000_000);
      long unit = fractions[rnd.nextInt(fractions.length)];
      boolean hit = rnd.nextInt(8) == 0;
      Usage usage = hit ? Usage.ZERO : Usage.of(100 + rnd.nextInt(40) * 50, 10 + rnd.nextInt(30) * 10);
      Attribution.Builder a = Attribution.builder();
      if (rnd.nextInt(10) > 0) {
        a.customer("cust-" + rnd.nextInt(40));
      }
      if (rnd.nextInt(10) > 0) {
        a.feature("feature-" + rnd.nextInt(6));
      }
      if (rnd.nextInt(4) > 0) {
        a.workflow("wf-" + rnd.nextInt(n / 4 + 1));
      }
      out.add(CallRecord.builder().timestamp(start.plusNanos(nanos / unit * unit)).callId("m" + i)
          .attribution(a.build()).taskType("chat").tier(tiers[m]).model(models[m]).usage(usage)
          .costUsd(hit ? BigDecimal.ZERO : BigDecimal.valueOf(rnd.nextInt(50_000_000), 9))
          .savedUsd(hit ? BigDecimal.valueOf(rnd.nextInt(5_000_000), 9) : BigDecimal.ZERO)
          .cacheStatus(hit ? "hit" : rnd.nextBoolean() ? "miss" : "off").attempts(1).latencyNanos(1000)
          .outcome(outcomes[rnd.nextInt(outcomes.length)]).priceVersion("2026-11-01").build());
    }
    out.sort(java.util.Comparator.comparing(CallRecord::timestamp)); // as a ledger is written
    return out;
  }

  private static CallRecord call(int[] seq, LocalDate day, int minute, String customer, String feature,
      String workflow, String tier, ModelId model, Usage usage, boolean cacheHit) {
    BigDecimal price = PRICES.get(model).cost(usage);
    Instant ts = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(minute * 60L);
    return CallRecord.builder().timestamp(ts).callId("c" + (++seq[0]))
        .attribution(Attribution.builder().customer(customer).feature(feature).workflow(workflow).team("t1")
            .environment("prod").build())
        .taskType(feature).tier(tier).model(model).usage(cacheHit ? Usage.ZERO : usage)
        .costUsd(cacheHit ? BigDecimal.ZERO : price).savedUsd(cacheHit ? price : BigDecimal.ZERO)
        .cacheStatus(cacheHit ? "hit" : "miss").routeReason("tier").attempts(cacheHit ? 0 : 1)
        .latencyNanos(12_500_000).outcome(CallRecord.OK).priceVersion("2026-11-01").build();
  }
}
