package io.finops4j.budget;

import static io.finops4j.budget.Fakes.MINI;
import static io.finops4j.budget.Fakes.completion;
import static io.finops4j.budget.Fakes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Prompt;
import io.finops4j.budget.Fakes.FakeChain;
import io.finops4j.api.spi.TestCall;
import io.finops4j.budget.Fakes.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkflowCapTest {

  private final MutableClock clock = new MutableClock("2026-11-24T10:00:00Z");

  private BudgetInterceptor caps(long maxCalls, String maxCost) {
    return BudgetInterceptor.builder().clock(clock)
        .workflowCaps(maxCalls, maxCost == null ? null : new BigDecimal(maxCost), Duration.ofHours(1)).build();
  }

  private static FakeChain call(BudgetInterceptor caps, String workflow, String cost) {
    CompletionRequest request = CompletionRequest.builder("agent-step", Prompt.of("x".repeat(1000)))
        .attribution(Attribution.builder().customer("acme").workflow(workflow).build()).maxOutputTokens(100).build();
    FakeChain chain = new FakeChain(request, Fakes.context(route(MINI)), r -> completion(cost, 1000, 100));
    caps.intercept(chain);
    return chain;
  }

  @Test
  void aRunawayLoopIsStoppedAtThe41stCall() {
    BudgetInterceptor caps = caps(40, "20.00");
    for (int i = 0; i < 40; i++) {
      call(caps, "run-42", "0.001");
    }

    CostCapExceededException e = catchThrowableOfType(CostCapExceededException.class, () -> call(caps, "run-42", "0.001"));

    assertThat(e.cap()).isEqualTo("workflow run-42");
    assertThat(e.calls()).isEqualTo(40);
    assertThat(e.spentUsd()).isEqualByComparingTo("0.04");
    assertThat(e.limitUsd()).isEqualByComparingTo("20.00");
    assertThat(e.getMessage()).isEqualTo("workflow run-42 reached its cap of 40 calls (40 calls so far, 0.040000000 "
        + "USD spent); a runaway agent loop? Raise workflow-caps.max-calls or start a new workflow id");
    // other workflows, and calls without a workflow, are not affected
    call(caps, "run-43", "0.001");
    CompletionRequest plain = CompletionRequest.builder("agent-step", Prompt.of("hi")).maxOutputTokens(10).build();
    FakeChain chain = new FakeChain(plain, Fakes.context(route(MINI)), r -> completion("0", 2, 1));
    caps.intercept(chain);
    assertThat(chain.proceeded).isEqualTo(1);
  }

  @Test
  void theCostCapHoldsTheWorstCaseAndStopsTheCallThatWouldPassIt() {
    BudgetInterceptor caps = caps(0, "0.005");   // worst case per call 0.0015
    call(caps, "run-1", "0.0015");
    call(caps, "run-1", "0.0015");
    call(caps, "run-1", "0.0015");   // 0.0045 spent

    CostCapExceededException e = catchThrowableOfType(CostCapExceededException.class, () -> call(caps, "run-1", "0.001"));

    assertThat(e.cap()).isEqualTo("workflow run-1");
    assertThat(e.calls()).isEqualTo(3);
    assertThat(e.spentUsd()).isEqualByComparingTo("0.0045");
    assertThat(e.requestedUsd()).isEqualByComparingTo("0.0015");
    assertThat(e.getMessage()).startsWith("workflow run-1 would pass its cost cap of 0.005 USD: 0.004500000 USD spent");
  }

  @Test
  void failedCallsCountAsCallsButCostNothing() {
    BudgetInterceptor caps = caps(3, "0.004");
    for (int i = 0; i < 2; i++) {
      CompletionRequest request = CompletionRequest.builder("agent-step", Prompt.of("x".repeat(1000)))
          .attribution(Attribution.builder().workflow("run-7").build()).maxOutputTokens(100).build();
      FakeChain chain = new FakeChain(request, Fakes.context(route(MINI)), r -> {
        throw new ProviderException("openai", 500, null, null, true, null, null, null);
      });
      assertThatThrownBy(() -> caps.intercept(chain)).isInstanceOf(ProviderException.class);
    }

    call(caps, "run-7", "0.0015");   // the third call: the cost cap still has its whole 0.004

    assertThat(catchThrowableOfType(CostCapExceededException.class, () -> call(caps, "run-7", "0.001")).calls())
        .isEqualTo(3);
  }

  @Test
  void anIdleWorkflowIsForgottenSoMemoryStaysBounded() {
    WorkflowCaps caps = new WorkflowCaps(2, null, Duration.ofHours(1));
    long t0 = clock.millis();
    caps.settle(caps.admit("run-1", 0, t0), 0, 0, t0);
    caps.settle(caps.admit("run-2", 0, t0), 0, 0, t0);
    caps.settle(caps.admit("run-2", 0, t0 + 1), 0, 0, t0 + 1);
    assertThat(caps.size()).isEqualTo(2);

    long later = t0 + Duration.ofMinutes(59).toMillis();
    caps.settle(caps.admit("run-3", 0, later), 0, 0, later);
    assertThat(caps.size()).isEqualTo(3);

    // the sweep runs at most every tenth of the idle expiry: forgotten within 66 minutes
    long afterIdle = t0 + Duration.ofMinutes(66).toMillis();
    caps.settle(caps.admit("run-4", 0, afterIdle), 0, 0, afterIdle);
    assertThat(caps.size()).isEqualTo(2);   // run-1 and run-2 idle for an hour: gone
    assertThat(caps.usage("run-2")).isNull();
    assertThat(caps.usage("run-3")).containsExactly(1, 0, 0);
    // run-2 starts over
    caps.admit("run-2", 0, afterIdle);
    assertThat(caps.usage("run-2")[0]).isEqualTo(1);
  }
}
