package io.finops4j.budget;

import static io.finops4j.budget.Fakes.BIG;
import static io.finops4j.budget.Fakes.MINI;
import static io.finops4j.budget.Fakes.completion;
import static io.finops4j.budget.Fakes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Prompt;
import io.finops4j.api.Route;
import io.finops4j.api.spi.BudgetOvershoot;
import io.finops4j.api.spi.BudgetView.BudgetUsage;
import io.finops4j.budget.Fakes.FakeChain;
import io.finops4j.api.spi.TestCall;
import io.finops4j.budget.Fakes.MutableClock;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BudgetInterceptorTest {

  private static final Attribution ACME = Attribution.of("acme", "chat");
  private static final Attribution GLOBEX = Attribution.of("globex", "chat");

  private final MutableClock clock = new MutableClock("2026-10-24T22:30:00Z");   // 00:30 on the 25th in Berlin
  private final List<BudgetAlert> alerts = Collections.synchronizedList(new ArrayList<>());

  private BudgetInterceptor interceptor(Budget... budgets) {
    return BudgetInterceptor.builder().clock(clock).budgets(List.of(budgets)).listener(alerts::add).build();
  }

  private static Budget.Builder usd(String limit) {
    return Budget.builder().limit(new BigDecimal(limit));
  }

  /**
   * One call of {@code promptChars} tokens with at most {@code maxOut} output tokens on gpt-5-mini (1 USD / 5 USD
   * per 1M): its worst case is {@code promptChars x 0.000001 + maxOut x 0.000005} USD; it costs {@code cost}.
   */
  private static FakeChain call(BudgetInterceptor i, Attribution a, int promptChars, Integer maxOut, String cost) {
    return call(i, a, promptChars, maxOut,
        r -> completion(cost, promptChars, r.maxOutputTokens() == null ? 0 : r.maxOutputTokens()), route(MINI));
  }

  private static FakeChain call(BudgetInterceptor i, Attribution a, int promptChars, Integer maxOut,
      Function<CompletionRequest, Completion> provider, Route route) {
    CompletionRequest request = CompletionRequest.builder("chat", Prompt.of("x".repeat(promptChars)))
        .attribution(a).maxOutputTokens(maxOut).build();
    FakeChain chain = new FakeChain(request, Fakes.context(route), provider);
    i.intercept(chain);
    return chain;
  }

  private static BudgetUsage only(List<BudgetUsage> usages) {
    assertThat(usages).hasSize(1);
    return usages.get(0);
  }

  @Test
  void accountsExactlyAndRollsOverAtMidnightInTheBudgetsZoneAcrossTheClockChange() {
    BudgetInterceptor budgets = interceptor(usd("0.005").scope("customer").period(BudgetPeriod.day())
        .zone(ZoneId.of("Europe/Berlin")).build());

    call(budgets, ACME, 1000, 100, "0.0012");
    call(budgets, ACME, 1000, 100, "0.0015");
    call(budgets, ACME, 1000, 100, "0.0015");
    BudgetUsage u = only(budgets.usage(ACME));
    assertThat(u.spent()).isEqualByComparingTo("0.0042");
    assertThat(u.reserved()).isEqualByComparingTo("0");
    assertThat(u.resetsAt()).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));   // a 25-hour day

    // worst case 0.0015 on top of 0.0042 passes 0.005: refused before the provider is called
    BudgetExceededException e = catchThrowableOfType(BudgetExceededException.class, () -> call(budgets, ACME, 1000, 100, "0.001"));
    assertThat(e.budgetId()).isEqualTo("customer-day");
    assertThat(e.scope()).isEqualTo("customer");
    assertThat(e.key()).isEqualTo("acme");
    assertThat(e.unit()).isEqualTo("USD");
    assertThat(e.limit()).isEqualByComparingTo("0.005");
    assertThat(e.spent()).isEqualByComparingTo("0.0042");
    assertThat(e.reserved()).isEqualByComparingTo("0");
    assertThat(e.requested()).isEqualByComparingTo("0.0015");
    assertThat(e.resetsAt()).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
    assertThat(e.getMessage()).isEqualTo("budget customer-day (customer acme) would be exceeded: limit 0.005 USD, "
        + "spent 0.0042, reserved 0, this call needs up to 0.0015 USD; the window resets at 2026-10-25T23:00:00Z");

    // a call whose worst case lands exactly on the limit fits: 0.0042 + 0.0003 + 0.0005 = 0.005
    call(budgets, ACME, 300, 100, "0.0008");
    assertThat(only(budgets.usage(ACME)).spent()).isEqualByComparingTo("0.005");
    // another customer has its own counter
    call(budgets, GLOBEX, 1000, 100, "0.0015");
    assertThat(only(budgets.usage(GLOBEX)).spent()).isEqualByComparingTo("0.0015");

    clock.set("2026-10-25T22:59:59.999Z");   // 23:59:59.999 CET, still the 25th
    assertThatThrownBy(() -> call(budgets, ACME, 1, 1, "0.000001")).isInstanceOf(BudgetExceededException.class);

    clock.set("2026-10-25T23:00:00Z");       // midnight in Berlin: a new window
    FakeChain next = call(budgets, ACME, 1000, 100, "0.001");
    assertThat(next.proceeded).isEqualTo(1);
    u = only(budgets.usage(ACME));
    assertThat(u.spent()).isEqualByComparingTo("0.001");
    assertThat(u.resetsAt()).isEqualTo(Instant.parse("2026-10-26T23:00:00Z"));
  }

  @Test
  void aRefusedCallNeverReachesTheProviderAndHoldsNothing() {
    BudgetInterceptor budgets = interceptor(usd("0.001").scope("customer").build());

    FakeChain chain = new FakeChain(CompletionRequest.builder("chat", Prompt.of("x".repeat(1000)))
        .attribution(ACME).maxOutputTokens(100).build(), Fakes.context(route(MINI)), r -> completion("0", 0, 0));
    assertThatThrownBy(() -> budgets.intercept(chain)).isInstanceOf(BudgetExceededException.class);

    assertThat(chain.proceeded).isZero();
    // refused before anything was reserved: the refusal itself reaches listeners as callFailed
    assertThat(chain.context.eventNames()).doesNotContain("budgetReserved");
    BudgetUsage u = only(budgets.usage(ACME));
    assertThat(u.spent()).isEqualByComparingTo("0");
    assertThat(u.reserved()).isEqualByComparingTo("0");
  }

  @Test
  void everyApplicableBudgetIsChargedAndOneFullBudgetRefusesTheCallForAll() {
    BudgetInterceptor budgets = interceptor(
        usd("1.00").build(),
        usd("0.002").scope("customer", "feature").match(Map.of("customer", "acme")).build(),
        usd("1.00").scope("feature").match("chat").build(),
        usd("1.00").scope("team").build());

    call(budgets, ACME, 1000, 100, "0.0012");

    assertThat(budgets.budgets()).extracting(Budget::id)
        .containsExactly("global-month", "customer:acme-feature-month", "feature:chat-month", "team-month");
    List<BudgetUsage> acme = budgets.usage(ACME);
    assertThat(acme).extracting(BudgetUsage::budgetId)
        .containsExactly("global-month", "customer:acme-feature-month", "feature:chat-month");
    assertThat(acme).extracting(BudgetUsage::key).containsExactly(null, "acme/chat", "chat");
    assertThat(acme).extracting(BudgetUsage::spent).allSatisfy(s -> assertThat(s).isEqualByComparingTo("0.0012"));
    assertThat(acme.get(1).scope()).isEqualTo("customer x feature");
    // globex is counted by the global and feature budgets only
    call(budgets, GLOBEX, 1000, 100, "0.0010");
    assertThat(budgets.usage(GLOBEX)).extracting(BudgetUsage::budgetId)
        .containsExactly("global-month", "feature:chat-month");

    // acme x chat has 0.0008 left: a 0.0015 worst case is refused, and the other budgets hold nothing for it
    BudgetExceededException e = catchThrowableOfType(BudgetExceededException.class, () -> call(budgets, ACME, 1000, 100, "0.001"));
    assertThat(e.budgetId()).isEqualTo("customer:acme-feature-month");
    assertThat(e.key()).isEqualTo("acme/chat");
    assertThat(budgets.usage(ACME)).extracting(BudgetUsage::reserved)
        .allSatisfy(r -> assertThat(r).isEqualByComparingTo("0"));
    assertThat(budgets.usage(ACME).get(0).spent()).isEqualByComparingTo("0.0022");
  }

  @Test
  void aPerUserDailyCapForAnInternalToolIsABudget() {
    BudgetInterceptor budgets = interceptor(usd("0.002").scope("user").period(BudgetPeriod.day()).build());
    Attribution alice = Attribution.builder().user("alice").feature("sql-helper").build();

    call(budgets, alice, 1000, 100, "0.0015");
    BudgetExceededException e = catchThrowableOfType(BudgetExceededException.class, () -> call(budgets, alice, 1000, 100, "0.0015"));

    assertThat(e.budgetId()).isEqualTo("user-day");
    assertThat(e.key()).isEqualTo("alice");
    assertThat(e.resetsAt()).isEqualTo(Instant.parse("2026-10-25T00:00:00Z"));
    // a call without a user is not counted by a per-user budget
    call(budgets, ACME, 1000, 100, "0.0015");
  }

  @Test
  void tokenBudgetsReserveInputBoundPlusMaxOutputAndSettleTotalTokens() {
    BudgetInterceptor budgets = interceptor(Budget.builder().scope("customer").unit(Budget.Unit.TOKENS)
        .limit(new BigDecimal("3000")).build());

    call(budgets, ACME, 1000, 100, r -> completion("0.0012", 1000, 40), route(MINI));
    assertThat(only(budgets.usage(ACME)).spent()).isEqualByComparingTo("1040");
    call(budgets, ACME, 800, 100, r -> completion("0.0012", 800, 60), route(MINI));
    assertThat(only(budgets.usage(ACME)).spent()).isEqualByComparingTo("1900");

    BudgetExceededException e = catchThrowableOfType(BudgetExceededException.class, () -> call(budgets, ACME, 1000, 101, "0"));
    assertThat(e.budgetId()).isEqualTo("customer-month-tokens");
    assertThat(e.unit()).isEqualTo("tokens");
    assertThat(e.requested()).isEqualByComparingTo("1101");
    assertThat(e.getMessage()).contains("limit 3000 tokens", "spent 1900", "needs up to 1101 tokens");
    call(budgets, ACME, 1000, 100, r -> completion("0.0012", 1000, 100), route(MINI));
    assertThat(only(budgets.usage(ACME)).spent()).isEqualByComparingTo("3000");
  }

  @Test
  void theWorstCaseIsTheDearestCandidateOfTheRoute() {
    BudgetInterceptor budgets = interceptor(usd("0.015").scope("customer").build());

    // on claude-opus (10 / 50 USD per 1M): 1000 x 0.00001 + 100 x 0.00005 = 0.015
    call(budgets, ACME, 1000, 100, r -> completion("0.0015", 1000, 100), route(MINI, BIG));
    BudgetExceededException e = catchThrowableOfType(
        BudgetExceededException.class, () -> call(budgets, ACME, 1000, 100, r -> completion("0", 0, 0), route(MINI, BIG)));

    assertThat(e.requested()).isEqualByComparingTo("0.015");
  }

  @Test
  void withoutAMaxOutputTheModelsCeilingOr4096IsSetOnTheRequestSoTheWorstCaseBoundsIt() {
    BudgetInterceptor budgets = interceptor(usd("10").scope("customer").build());

    FakeChain plain = call(budgets, ACME, 10, null, "0.0001");
    assertThat(plain.sent.maxOutputTokens()).isEqualTo(4096);

    CompletionRequest request = CompletionRequest.builder("chat", Prompt.of("hello")).attribution(ACME).build();
    Fakes.FakePricing pricing = new Fakes.FakePricing();
    pricing.prices.put(MINI, new ModelPrice(BigDecimal.ONE, null, null, null, new BigDecimal(5), null, 0, null,
        128_000, null, null));
    TestCall ctx = Fakes.context(route(MINI, BIG), pricing);
    pricing.prices.put(BIG, new ModelPrice(BigDecimal.TEN, null, null, null, new BigDecimal(50), null, 0, null,
        32_000, null, null));
    FakeChain chain = new FakeChain(request, ctx, r -> completion("0.0001", 5, 10));
    budgets.intercept(chain);
    // the smallest ceiling: the request must be valid on every model it may fall back to
    assertThat(chain.sent.maxOutputTokens()).isEqualTo(32_000);
  }

  @Test
  void aCallThatFailsReleasesItsReservation() {
    BudgetInterceptor budgets = interceptor(usd("0.002").scope("customer").build());

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> call(budgets, ACME, 1000, 100, r -> {
        throw new ProviderException("openai", 503, "overloaded", null, true, null, null, null);
      }, route(MINI))).isInstanceOf(ProviderException.class);
    }

    BudgetUsage u = only(budgets.usage(ACME));
    assertThat(u.spent()).isEqualByComparingTo("0");
    assertThat(u.reserved()).isEqualByComparingTo("0");
    call(budgets, ACME, 1000, 100, "0.0015");   // the budget is still all there
  }

  @Test
  void aStreamBrokenAfterTextReachedTheCallerIsChargedItsEstimate() {
    BudgetInterceptor budgets = interceptor(usd("0.002").scope("customer").build());

    assertThatThrownBy(() -> call(budgets, ACME, 1000, 100, r -> {
      throw new ProviderException("openai", 0, "stream_truncated", null, true, null, null, null)
          .withPartial(io.finops4j.api.Usage.builder().inputTokens(900).outputTokens(40).estimated(true).build(),
              new BigDecimal("0.000305"));
    }, route(MINI))).isInstanceOf(ProviderException.class);

    BudgetUsage u = only(budgets.usage(ACME));
    assertThat(u.spent()).isEqualByComparingTo("0.000305");
    assertThat(u.reserved()).isEqualByComparingTo("0");
  }

  @Test
  void aProviderThatReturnsMoreThanTheWorstCaseIsChargedInFullAndReported() {
    BudgetInterceptor budgets = interceptor(usd("0.004").scope("customer").build());

    FakeChain chain = call(budgets, ACME, 1000, 100, "0.0031");

    assertThat(only(budgets.usage(ACME)).spent()).isEqualByComparingTo("0.0031");
    // what was reserved was the worst case, 0.0015; what is charged is what the provider billed
    assertThat(chain.context.events(BudgetUsage.class)).singleElement()
        .satisfies(r -> assertThat(r.reserved()).isEqualByComparingTo("0.0015"));
    // and reported as a typed event, before any threshold: reserved 0.0015 USD, charged 0.0031 USD
    assertThat(chain.context.events(BudgetOvershoot.class)).singleElement().satisfies(o -> {
      assertThat(o.worstCaseUsd()).isEqualByComparingTo("0.0015");
      assertThat(o.costUsd()).isEqualByComparingTo("0.0031");
      assertThat(o.model()).isEqualTo(MINI);
    });
    // the overshoot leaves too little for the next worst case
    assertThatThrownBy(() -> call(budgets, ACME, 1000, 100, "0.001")).isInstanceOf(BudgetExceededException.class);
  }

  @Test
  void thresholdsFireOncePerWindowOnTheCallThatCrossesThem() {
    BudgetInterceptor budgets = interceptor(usd("0.01").scope("customer").period(BudgetPeriod.day())
        .alertAt(0.5, 0.9).build());

    FakeChain first = call(budgets, ACME, 1000, 400, "0.003");                   // 0.003
    FakeChain second = call(budgets, ACME, 1000, 400, "0.003");                  // 0.006: past 0.5
    FakeChain third = call(budgets, ACME, 1000, 400, "0.003");                   // 0.009: exactly 0.9
    assertThatThrownBy(() -> call(budgets, ACME, 1000, 400, "0.003")).isInstanceOf(BudgetExceededException.class);
    call(budgets, ACME, 100, 100, "0.0006");                                      // 0.0096: nothing new

    assertThat(first.context.eventNames()).doesNotContain("thresholdCrossed");
    TestCall.Threshold half = second.context.events(TestCall.Threshold.class).get(0);
    assertThat(half.threshold()).isEqualTo(0.5);
    assertThat(half.usage().budgetId()).isEqualTo("customer-day");
    assertThat(half.usage().key()).isEqualTo("acme");
    assertThat(half.usage().spent()).isEqualByComparingTo("0.006");
    assertThat(half.usage().utilization()).isEqualTo(0.6);
    assertThat(third.context.events(TestCall.Threshold.class)).extracting(TestCall.Threshold::threshold)
        .containsExactly(0.9);
    assertThat(alerts).extracting(BudgetAlert::threshold).containsExactly(0.5, 0.9);
    BudgetAlert a = alerts.get(1);
    assertThat(a.budgetId()).isEqualTo("customer-day");
    assertThat(a.key()).isEqualTo("acme");
    assertThat(a.spent()).isEqualByComparingTo("0.009");
    assertThat(a.limit()).isEqualByComparingTo("0.01");
    assertThat(a.callId()).isEqualTo(third.context.callId());
    assertThat(a.resetsAt()).isEqualTo(Instant.parse("2026-10-25T00:00:00Z"));

    clock.set("2026-10-25T00:00:00Z");   // the next window starts from zero and alerts again
    call(budgets, ACME, 1000, 400, "0.006");
    assertThat(alerts).extracting(BudgetAlert::threshold).containsExactly(0.5, 0.9, 0.5);
  }

  @Test
  void aBudgetWithoutThresholdsLeavesTheNextBudgetsAlertsAsTheyAre() {
    // the first budget has no alert-at, so settling skips its figures; the customer budget after it still alerts,
    // with its own spend, not the global budget's
    BudgetInterceptor budgets = interceptor(usd("1").period(BudgetPeriod.day()).build(),
        usd("0.01").scope("customer").period(BudgetPeriod.day()).alertAt(0.5).build());

    call(budgets, ACME, 1000, 400, "0.003");
    call(budgets, ACME, 1000, 400, "0.003");   // 0.006 of the customer's 0.01: past 0.5

    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.budgetId()).isEqualTo("customer-day");
      assertThat(a.key()).isEqualTo("acme");
      assertThat(a.threshold()).isEqualTo(0.5);
      assertThat(a.spent()).isEqualByComparingTo("0.006");
      assertThat(a.limit()).isEqualByComparingTo("0.01");
    });
  }

  @Test
  void thresholdsFireExactlyOnceUnderContention() throws Exception {
    BudgetInterceptor budgets = interceptor(usd("0.5").scope("customer").alertAt(0.25, 0.5, 0.75).build());
    int threads = 64;
    int perThread = 200;
    AtomicInteger rejected = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        SplittableRandom random = new SplittableRandom(thread);
        start.await();
        for (int i = 0; i < perThread; i++) {
          // worst case 0.0015 USD; the actual cost is anything up to it
          String cost = BigDecimal.valueOf(random.nextLong(1501), 6).toPlainString();
          try {
            call(budgets, ACME, 1000, 100, cost);
          } catch (BudgetExceededException e) {
            rejected.incrementAndGet();
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    BudgetUsage u = only(budgets.usage(ACME));
    assertThat(u.spent()).isLessThanOrEqualTo(new BigDecimal("0.5"));
    assertThat(u.reserved()).isEqualByComparingTo("0");
    assertThat(rejected.get()).isPositive();
    assertThat(alerts).extracting(BudgetAlert::threshold).containsExactlyInAnyOrder(0.25, 0.5, 0.75);
  }

  @Test
  void aDowngradeBudgetLetsCallsThroughRecordsTheDowngradeAndTellsRouting() {
    BudgetInterceptor budgets = interceptor(
        usd("0.002").scope("feature").match("chat").onExceed(Budget.OnExceed.DOWNGRADE).build(),
        usd("0.002").id("alerting").scope("customer").onExceed(Budget.OnExceed.ALERT_ONLY).downgradeAt(0.8).build());

    FakeChain first = call(budgets, ACME, 1000, 100, "0.0015");
    FakeChain second = call(budgets, ACME, 1000, 100, "0.0015");    // 0.0015 + 0.0015 reserved > 0.002

    assertThat(first.context.events(BudgetUsage.class)).allSatisfy(r ->
        assertThat(r.spent().add(r.reserved())).isLessThanOrEqualTo(r.limit()));
    assertThat(second.proceeded).isEqualTo(1);
    // one budgetReserved per budget: both are over their limits now, and let the call through
    assertThat(second.context.events(BudgetUsage.class)).extracting(BudgetUsage::budgetId)
        .containsExactly("feature:chat-month", "alerting");
    BudgetUsage feature = second.context.events(BudgetUsage.class).get(0);
    assertThat(feature.spent()).isEqualByComparingTo("0.0015");
    assertThat(feature.reserved()).isEqualByComparingTo("0.0015");
    assertThat(feature.limit()).isEqualByComparingTo("0.002");
    List<BudgetUsage> u = budgets.usage(ACME);
    assertThat(u).extracting(BudgetUsage::downgradeAt).containsExactly(1.0, 0.8);
    assertThat(u).extracting(BudgetUsage::spent).allSatisfy(s -> assertThat(s).isEqualByComparingTo("0.003"));
    assertThat(u.get(0).utilization()).isEqualTo(1.5);
  }

  @Test
  void trackedListsEveryCounterOfTheCurrentWindowsForDashboards() {
    BudgetInterceptor budgets = interceptor(usd("1").scope("customer").period(BudgetPeriod.day()).build(),
        usd("5").build());

    call(budgets, GLOBEX, 1000, 100, "0.001");
    call(budgets, ACME, 1000, 100, "0.002");
    clock.set("2026-10-25T00:00:00Z");
    call(budgets, ACME, 1000, 100, "0.0005");

    List<BudgetUsage> all = budgets.tracked();
    assertThat(all).extracting(BudgetUsage::budgetId, BudgetUsage::key)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("customer-day", "acme"),
            org.assertj.core.groups.Tuple.tuple("global-month", null));
    assertThat(all.get(0).spent()).isEqualByComparingTo("0.0005");
    assertThat(all.get(1).spent()).isEqualByComparingTo("0.0035");
    assertThat(all.get(1).resetsAt()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
  }

  @Test
  void callsNoBudgetOrCapCountsPassThroughUntouched() {
    BudgetInterceptor budgets = interceptor(usd("0.000001").scope("customer").match("acme").build());

    FakeChain chain = call(budgets, GLOBEX, 1000, null, "0.5");

    assertThat(chain.sent).isSameAs(chain.request);
    assertThat(chain.context.events()).isEmpty(); // no cap, no budget: nothing to report
  }

  @Test
  void withoutARouteABudgetedCallIsRefusedRatherThanSentUnchecked() {
    BudgetInterceptor budgets = interceptor(usd("1").scope("customer").build());
    CompletionRequest request = CompletionRequest.builder("chat", Prompt.of("hi")).attribution(ACME).build();
    FakeChain chain = new FakeChain(request, Fakes.context(null), r -> completion("0", 0, 0));

    assertThatThrownBy(() -> budgets.intercept(chain)).hasMessageContaining("routing has not set one");
    assertThat(chain.proceeded).isZero();
  }

  @Test
  void aReservationOutlivingItsLeaseIsReleasedAndTheCallIsStillChargedWhenItEnds() {
    BudgetInterceptor budgets = BudgetInterceptor.builder().clock(clock).lease(java.time.Duration.ofMinutes(10))
        .budget(usd("0.002").scope("customer").build()).build();
    FakeChain[] inner = new FakeChain[1];

    // call A hangs for 11 minutes (as a crashed caller would, forever); meanwhile call B needs the budget
    call(budgets, ACME, 1000, 100, r -> {
      clock.advance(java.time.Duration.ofMinutes(11));
      inner[0] = call(budgets, ACME, 1000, 100, "0.0015");
      return completion("0.0004", 1000, 0);
    }, route(MINI));

    assertThat(inner[0].proceeded).isEqualTo(1);
    BudgetUsage u = only(budgets.usage(ACME));
    assertThat(u.spent()).isEqualByComparingTo("0.0019");
    assertThat(u.reserved()).isEqualByComparingTo("0");
  }
}
