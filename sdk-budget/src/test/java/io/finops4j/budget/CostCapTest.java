package io.finops4j.budget;

import static io.finops4j.budget.Fakes.BIG;
import static io.finops4j.budget.Fakes.MINI;
import static io.finops4j.budget.Fakes.completion;
import static io.finops4j.budget.Fakes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.Prompt;
import io.finops4j.api.Route;
import io.finops4j.api.spi.BudgetView.BudgetUsage;
import io.finops4j.budget.Fakes.FakeChain;
import io.finops4j.api.spi.CapCheck;
import io.finops4j.api.spi.TestCall;
import io.finops4j.budget.Fakes.MutableClock;
import io.finops4j.api.ModelPrice;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-request cost caps, on gpt-5-mini at 1 USD per 1M input and 5 USD per 1M output tokens. */
class CostCapTest {

  private final MutableClock clock = new MutableClock("2026-11-24T10:00:00Z");

  private BudgetInterceptor.Builder builder() {
    return BudgetInterceptor.builder().clock(clock).taskCap("support-reply", new BigDecimal("0.01"));
  }

  private static FakeChain chain(int promptChars, Integer maxOut, BigDecimal callCap, Route route) {
    CompletionRequest request = CompletionRequest.builder("support-reply", Prompt.of("x".repeat(promptChars)))
        .attribution(Attribution.of("acme", "support")).maxOutputTokens(maxOut).maxCostUsd(callCap).build();
    return new FakeChain(request, Fakes.context(route), r -> completion("0.001", promptChars, 1));
  }

  @Test
  void aWorstCaseOverTheCapClampsMaxOutputTokensToTheLargestThatFits() {
    BudgetInterceptor caps = builder().build();
    // input 1000 tokens = 0.001 USD; (0.01 - 0.001) / 0.000005 = 1800 output tokens fit exactly
    FakeChain chain = chain(1000, 4000, null, route(MINI));

    caps.intercept(chain);

    assertThat(chain.sent.maxOutputTokens()).isEqualTo(1800);
    assertThat(Fakes.MINI_PRICE.worstCase(1000, 1800)).isEqualByComparingTo("0.01");
    assertThat(Fakes.MINI_PRICE.worstCase(1000, 1801)).isGreaterThan(new BigDecimal("0.01"));
    assertThat(chain.context.events(CapCheck.class)).singleElement().satisfies(c -> {
      assertThat(c.cap()).isEqualTo("task support-reply");
      assertThat(c.limitUsd()).isEqualByComparingTo("0.01");
      assertThat(c.maxOutputTokensRequested()).isEqualTo(4000);
      assertThat(c.maxOutputTokens()).isEqualTo(1800);
      assertThat(c.clamped()).isTrue();
    });
  }

  @Test
  void theClampRoundsDownWhenTheRoomIsNotAWholeToken() {
    BudgetInterceptor caps = builder().build();
    // (0.01 - 0.000999) / 0.000005 = 1800.2 -> 1800
    FakeChain chain = chain(999, 4000, null, route(MINI));

    caps.intercept(chain);

    assertThat(chain.sent.maxOutputTokens()).isEqualTo(1800);
  }

  @Test
  void theSmallerOfTheTaskCapAndTheCallCapWins() {
    BudgetInterceptor caps = builder().build();

    FakeChain smallerCall = chain(1000, 4000, new BigDecimal("0.005"), route(MINI));
    caps.intercept(smallerCall);
    FakeChain largerCall = chain(1000, 4000, new BigDecimal("0.5"), route(MINI));
    caps.intercept(largerCall);

    assertThat(smallerCall.sent.maxOutputTokens()).isEqualTo(800);     // (0.005 - 0.001) / 0.000005
    assertThat(smallerCall.context.events(CapCheck.class)).extracting(CapCheck::cap).containsExactly("request");
    assertThat(largerCall.sent.maxOutputTokens()).isEqualTo(1800);
  }

  @Test
  void aCallThatFitsIsLeftAlone() {
    BudgetInterceptor caps = builder().build();
    FakeChain chain = chain(1000, 1800, null, route(MINI));

    caps.intercept(chain);

    assertThat(chain.sent.maxOutputTokens()).isEqualTo(1800);
    assertThat(chain.context.events(CapCheck.class)).singleElement().satisfies(c -> {
      assertThat(c.clamped()).isFalse();
      assertThat(c.droppedCandidates()).isZero();
    });
  }

  @Test
  void anInputAloneOverTheCapIsRefusedBeforeAnyNetworkCall() {
    BudgetInterceptor caps = builder().build();
    FakeChain chain = chain(12_000, 100, null, route(MINI));

    CostCapExceededException e = catchThrowableOfType(CostCapExceededException.class, () -> caps.intercept(chain));

    assertThat(chain.proceeded).isZero();
    assertThat(e.cap()).isEqualTo("task support-reply");
    assertThat(e.limitUsd()).isEqualByComparingTo("0.01");
    assertThat(e.requestedUsd()).isEqualByComparingTo("0.012");
    assertThat(e.spentUsd()).isEqualByComparingTo("0");
    assertThat(e.getMessage()).isEqualTo("task support-reply cost cap of 0.01 USD leaves no room for this call: on "
        + "openai/gpt-5-mini its input alone may cost up to 0.012 USD (12000 input tokens at most); shorten the "
        + "prompt, route to a cheaper model or raise the cap");
  }

  @Test
  void anInputThatLeavesNoRoomForOneOutputTokenIsRefusedToo() {
    BudgetInterceptor caps = builder().build();
    FakeChain chain = chain(9_999, 100, null, route(MINI));   // 0.009999 + 0.000005 > 0.01

    CostCapExceededException e = catchThrowableOfType(CostCapExceededException.class, () -> caps.intercept(chain));

    assertThat(e.getMessage()).contains("input plus one output token may cost up to 0.010004 USD");
    assertThat(chain.proceeded).isZero();
  }

  @Test
  void fallbackModelsThatCannotFitAreDroppedFromTheRouteAndTheRestClampedForAll() {
    BudgetInterceptor caps = builder().build();
    // opus: input alone 1000 x 0.00001 = 0.01, no room for output; mini fits with 1800
    FakeChain chain = chain(1000, 4000, null, route(MINI, BIG));

    caps.intercept(chain);

    assertThat(chain.context.route().candidates()).containsExactly(MINI);
    assertThat(chain.context.route().reason()).contains("cost cap: dropped anthropic/claude-opus-4-7");
    assertThat(chain.sent.maxOutputTokens()).isEqualTo(1800);
    assertThat(chain.context.events(CapCheck.class)).singleElement()
        .satisfies(c -> assertThat(c.droppedCandidates()).isEqualTo(1));
  }

  @Test
  void theClampAppliesToEveryCandidateSoAFallbackCannotBreakTheCap() {
    BudgetInterceptor caps = builder().build();
    // opus: (0.01 - 0.005) / 0.00005 = 100 output tokens; mini alone would allow 1500
    FakeChain chain = chain(500, 4000, null, route(MINI, BIG));

    caps.intercept(chain);

    assertThat(chain.context.route().candidates()).containsExactly(MINI, BIG);
    assertThat(chain.sent.maxOutputTokens()).isEqualTo(100);
  }

  @Test
  void theClampedWorstCaseIsWhatTheBudgetsReserve() {
    BudgetInterceptor caps = builder()
        .budget(Budget.builder().scope("customer").limit(new BigDecimal("0.015")).build()).build();
    FakeChain[] seen = new FakeChain[1];
    CompletionRequest request = CompletionRequest.builder("support-reply", Prompt.of("x".repeat(1000)))
        .attribution(Attribution.of("acme", "support")).maxOutputTokens(4000).build();
    TestCall ctx = Fakes.context(route(MINI));
    FakeChain chain = new FakeChain(request, ctx, r -> {
      BudgetUsage u = caps.usage(Attribution.of("acme", "support")).get(0);
      assertThat(u.reserved()).isEqualByComparingTo("0.01");   // not 0.021 for 4000 output tokens
      return completion("0.004", 1000, 600);
    });
    seen[0] = chain;

    caps.intercept(chain);

    assertThat(caps.usage(Attribution.of("acme", "support")).get(0).spent()).isEqualByComparingTo("0.004");
  }

  @Test
  void theLongArithmeticAgreesExactlyWithModelPriceWorstCase() {
    ModelPrice longContext = new ModelPrice(new BigDecimal("6.00"), new BigDecimal("0.60"), new BigDecimal("7.50"),
        new BigDecimal("12.00"), new BigDecimal("22.50"), null, 0, null, 0, null, null);
    List<ModelPrice> prices = List.of(Fakes.MINI_PRICE, Fakes.BIG_PRICE, ModelPrice.of("0.0375", "0.15"),
        ModelPrice.of("0.000000001", "0.000000003"),
        new ModelPrice(new BigDecimal("3.00"), new BigDecimal("0.30"), new BigDecimal("3.75"), new BigDecimal("6.00"),
            new BigDecimal("15.00"), null, 200_000, longContext, 64_000, null, null));
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (ModelPrice price : prices) {
      for (int i = 0; i < 2000; i++) {
        long in = random.nextLong(1_000_000);
        long out = random.nextLong(200_000);
        long[] r = CallEstimate.rates(price.tierFor(in));
        long femto = CallEstimate.femto(in, r[0], out, r[1]);
        assertThat(BigDecimal.valueOf(femto, 15)).as("%s in=%d out=%d", price, in, out)
            .isEqualByComparingTo(price.worstCase(in, out));
      }
    }
  }
}
