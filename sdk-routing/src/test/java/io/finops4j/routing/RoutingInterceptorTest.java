package io.finops4j.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.Completion;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.Interceptor;
import io.finops4j.api.spi.TestCall;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingInterceptorTest {

  private static final ModelId MINI = ModelId.parse("openai/gpt-5-mini");
  private static final ModelId HAIKU = ModelId.parse("anthropic/claude-haiku-4-5");

  private final RoutingPolicy policy = RoutingPolicy.builder()
      .tier("small", "openai/gpt-5-mini", "anthropic/claude-haiku-4-5")
      .tier("medium", "anthropic/claude-sonnet-4-6")
      .tier("large", "anthropic/claude-opus-4-7")
      .task(new TaskPolicy("support-reply", "medium", 400, null, true, true, Map.of()))
      .task(new TaskPolicy("classification", "small", 50, 0.0))
      .build();
  private final RoutingInterceptor routing = new RoutingInterceptor(policy);
  private final TestCall call = TestCall.create();
  /** The request that reached the end of the chain. */
  private CompletionRequest proceeded;

  private void run(Interceptor interceptor, CompletionRequest request) {
    call.run(interceptor, request, (next, c) -> {
      proceeded = next;
      return Completion.builder().text("ok").model(c.route().primary()).usage(Usage.ZERO).costUsd(BigDecimal.ZERO)
          .build();
    });
  }

  private CompletionRequest request(String task, String text) {
    return CompletionRequest.builder(task, Prompt.of(text)).attribution(Attribution.of("acme", "chat")).build();
  }

  @Test
  void routesTheTaskToItsTierAndFillsItsDefaults() {
    run(routing, request("classification", "Is this billing?"));
    assertThat(call.route().tier()).isEqualTo("small");
    assertThat(call.route().candidates()).containsExactly(MINI, HAIKU);
    assertThat(call.route().reason()).isEqualTo("task classification -> small");
    assertThat(proceeded.maxOutputTokens()).isEqualTo(50);
    assertThat(proceeded.temperature()).isEqualTo(0.0);
  }

  @Test
  void aCallersOwnSettingsWinOverTheTasksDefaults() {
    run(routing, request("classification", "x").toBuilder().maxOutputTokens(7).build());
    assertThat(proceeded.maxOutputTokens()).isEqualTo(7);
  }

  @Test
  void escalatesAComplexPromptAndSaysWhy() {
    run(routing, request("support-reply",
        "Why does the sync fail? First check the token, then the clock, next the proxy and finally the logs."));
    assertThat(call.route().tier()).isEqualTo("large");
    assertThat(call.route().reason()).isEqualTo("task support-reply -> medium; escalated to large: prompt has 3 steps,"
        + " 1 reasoning marker");
    // one routeSelected event, fired with the final route: listeners read the decision and its reasons from it
    assertThat(call.events(Route.class)).singleElement().isEqualTo(call.route());
  }

  @Test
  void deescalatesASimplePrompt() {
    run(routing, request("support-reply", "Thanks!"));
    assertThat(call.route().tier()).isEqualTo("small");
    assertThat(call.route().reasons().get(1)).startsWith("de-escalated to small: prompt is short");
  }

  @Test
  void downgradesWhenABudgetIsPastItsDowngradeFraction() {
    call.budgets(a -> List.of(new BudgetView.BudgetUsage("feature-month", "feature", "support-reply", "USD",
        new BigDecimal("2000"), new BigDecimal("1660"), BigDecimal.ZERO, null, 0.8)));
    run(routing, request("support-reply",
        "Please write a friendly reply to a customer who wants to know when the new reporting feature ships; keep it "
            + "under 100 words and mention the beta programme they could join in the meantime, which has open seats."));
    assertThat(call.route().tier()).isEqualTo("small");
    assertThat(call.route().reasons().get(1))
        .isEqualTo("downgraded to small: feature support-reply at 83% of budget feature-month");
  }

  @Test
  void noDowngradeBelowTheFraction() {
    call.budgets(a -> List.of(new BudgetView.BudgetUsage("feature-month", "feature", "support-reply", "USD",
        new BigDecimal("2000"), new BigDecimal("1500"), BigDecimal.ZERO, null, 0.8)));
    run(routing, request("classification", "x"));
    assertThat(call.route().tier()).isEqualTo("small");
    assertThat(call.route().reasons()).hasSize(1);
  }

  @Test
  void aForcedModelOrTierWins() {
    run(routing, request("classification", "x").toBuilder().model("anthropic/claude-opus-4-7").build());
    assertThat(call.route().primary()).isEqualTo(ModelId.parse("anthropic/claude-opus-4-7"));
    run(routing, request("classification", "x").toBuilder().tier("medium").build());
    assertThat(call.route().reason()).isEqualTo("tier medium forced by the caller");
    assertThatThrownBy(() -> run(routing, request("classification", "x").toBuilder().tier("huge").build()))
        .hasMessage("unknown tier 'huge'; tiers are [small, medium, large]");
  }

  @Test
  void splitHoldsItsRatioAndIsStickyPerWorkflow() {
    Map<ModelId, Integer> weights = new LinkedHashMap<>();
    weights.put(MINI, 90);
    weights.put(HAIKU, 10);
    RoutingInterceptor split = new RoutingInterceptor(RoutingPolicy.builder()
        .tier("small", "openai/gpt-5-mini", "anthropic/claude-haiku-4-5")
        .task(new TaskPolicy("classification", "small", null, null, false, false, weights)).build());
    Map<ModelId, Integer> counts = new HashMap<>();
    Map<String, ModelId> firstChoice = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      String workflow = "run-" + i;
      CompletionRequest r = CompletionRequest.builder("classification", Prompt.of("x"))
          .attribution(Attribution.builder().workflow(workflow).build()).build();
      run(split, r);
      counts.merge(call.route().primary(), 1, Integer::sum);
      firstChoice.put(workflow, call.route().primary());
      assertThat(call.route().candidates()).hasSize(2).doesNotHaveDuplicates();
    }
    // Binomial(10000, 0.1): sd = 30; 5 sd either side
    assertThat(counts.get(HAIKU)).isBetween(850, 1150);
    // the same workflow gets the same model every time
    for (int i = 0; i < 200; i++) {
      String workflow = "run-" + i;
      run(split, CompletionRequest.builder("classification", Prompt.of("y"))
          .attribution(Attribution.builder().workflow(workflow).build()).build());
      assertThat(call.route().primary()).isEqualTo(firstChoice.get(workflow));
    }
    assertThat(call.route().reasons().get(1)).endsWith(", sticky for workflow");
  }
}
