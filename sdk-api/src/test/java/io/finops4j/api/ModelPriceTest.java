package io.finops4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A call's cost, exact to the last digit and with the same scale, whichever arithmetic computes it. */
class ModelPriceTest {

  private static ModelPrice price(String in, String cached, String write, String write1h, String out,
      long threshold, ModelPrice longContext, Map<String, BigDecimal> multipliers) {
    return new ModelPrice(new BigDecimal(in), cached == null ? null : new BigDecimal(cached),
        write == null ? null : new BigDecimal(write), write1h == null ? null : new BigDecimal(write1h),
        new BigDecimal(out), null, threshold, longContext, 0, null, null, multipliers, null);
  }

  @Test
  void knownPricesAndUsagesCostTheKnownAmounts() {
    ModelPrice mini = ModelPrice.of("0.25", "2.00");
    assertThat(mini.cost(Usage.of(1_000, 500)).toPlainString()).isEqualTo("0.00125000");
    assertThat(mini.cost(Usage.ZERO).toPlainString()).isEqualTo("0.00000000");
    ModelPrice sonnet = price("3", "0.30", "3.75", "6", "15", 0, null, Map.of());
    Usage cachedCall = Usage.builder().inputTokens(10_000).cachedInputTokens(6_000).cacheWriteTokens(2_000)
        .cacheWrite1hTokens(500).outputTokens(800).build();
    // 2000 x 3 + 6000 x 0.30 + 1500 x 3.75 + 500 x 6 + 800 x 15 = 28425 USD per 1M tokens
    assertThat(sonnet.cost(cachedCall).toPlainString()).isEqualTo("0.02842500");
    ModelPrice gemini = price("1.25", "0.125", null, null, "10", 200_000,
        price("2.50", "0.25", null, null, "15", 0, null, Map.of()), Map.of());
    assertThat(gemini.cost(Usage.of(300_000, 1_000)).toPlainString()).isEqualTo("0.76500000");
    assertThat(gemini.cost(Usage.of(100_000, 1_000)).toPlainString()).isEqualTo("0.135000000");
  }

  @Test
  void aMultiplierThatAppliesScalesTheWholeCall() {
    ModelPrice flexible = price("0.25", null, null, null, "2.00", 0, null,
        Map.of("service_tier=priority", new BigDecimal("2.0"), "service_tier=flex", new BigDecimal("0.5")));
    Usage priority = Usage.builder().inputTokens(1_000).outputTokens(500).raw(Map.of("service_tier=priority", 1L))
        .build();
    Usage other = Usage.builder().inputTokens(1_000).outputTokens(500).raw(Map.of("completion_tokens", 500L)).build();
    assertThat(flexible.cost(priority).toPlainString()).isEqualTo("0.002500000");
    assertThat(flexible.cost(other).toPlainString()).isEqualTo("0.00125000");
  }

  @Test
  void ratesTooLongForALongAndHugeUsagesStayExact() {
    ModelPrice odd = price("0.12345678901234567890123", null, null, null, "1", 0, null, Map.of());
    assertThat(odd.cost(Usage.of(3, 1))).isEqualTo(decimalCost(odd, Usage.of(3, 1)));
    ModelPrice dear = ModelPrice.of("9223372036.854775807", "1");
    Usage huge = Usage.of(Long.MAX_VALUE / 4, 0);
    assertThat(dear.cost(huge)).isEqualTo(decimalCost(dear, huge));
  }

  @Test
  void randomPricesAndUsagesMatchTheDecimalArithmeticDigitForDigit() {
    Random random = new Random(24);
    String[] rates = {"0", "0.01", "0.05", "0.075", "0.1", "0.15", "0.25", "0.3", "1.10", "1.25", "2", "2.00",
        "3", "3.75", "4.4", "10", "15", "60", "75", "150", "0.000001", "12.345678"};
    for (int i = 0; i < 5_000; i++) {
      ModelPrice p = price(pick(random, rates), random.nextBoolean() ? null : pick(random, rates),
          random.nextBoolean() ? null : pick(random, rates), random.nextBoolean() ? null : pick(random, rates),
          pick(random, rates), 0, null, Map.of());
      long input = random.nextInt(2_000_000);
      long cached = random.nextInt((int) input + 1);
      long write = random.nextInt((int) (input - cached) + 1);
      long write1h = random.nextInt((int) write + 1);
      Usage u = Usage.builder().inputTokens(input).cachedInputTokens(cached).cacheWriteTokens(write)
          .cacheWrite1hTokens(write1h).outputTokens(random.nextInt(200_000)).build();
      assertThat(p.cost(u)).as("%s at %s", u, p).isEqualTo(decimalCost(p, u)); // equals: value and scale
    }
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** Every token kind times its rate, summed at the largest rate scale, per 1M tokens: the definition. */
  private static BigDecimal decimalCost(ModelPrice price, Usage u) {
    ModelPrice p = price.tierFor(u.inputTokens());
    BigDecimal sum = p.input().multiply(BigDecimal.valueOf(u.uncachedInputTokens()))
        .add(p.cachedInputRate().multiply(BigDecimal.valueOf(u.cachedInputTokens())))
        .add(p.cacheWriteRate().multiply(BigDecimal.valueOf(u.cacheWriteTokens() - u.cacheWrite1hTokens())))
        .add(p.cacheWrite1hRate().multiply(BigDecimal.valueOf(u.cacheWrite1hTokens())))
        .add(p.output().multiply(BigDecimal.valueOf(u.outputTokens())));
    int scale = Math.max(Math.max(p.input().scale(), p.output().scale()), Math.max(p.cachedInputRate().scale(),
        Math.max(p.cacheWriteRate().scale(), p.cacheWrite1hRate().scale())));
    return sum.setScale(scale).movePointLeft(6);
  }
}
