package io.finops4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** A task's defaults filled into a request without a builder: unset options take them, set ones win, the rest is kept. */
class CompletionRequestTest {

  private final CompletionRequest bare = CompletionRequest.builder("triage", Prompt.of("hello"))
      .attribution(Attribution.of("acme", "chat")).maxCostUsd(new BigDecimal("0.02")).tier("small").build();

  @Test
  void unsetOptionsTakeTheDefaultsAndEverythingElseIsKept() {
    CompletionRequest filled = bare.withDefaults(50, 0.2, "low", 1024);
    assertThat(filled.maxOutputTokens()).isEqualTo(50);
    assertThat(filled.temperature()).isEqualTo(0.2);
    assertThat(filled.reasoningEffort()).isEqualTo("low");
    assertThat(filled.thinkingBudget()).isEqualTo(1024);
    assertThat(filled.taskType()).isEqualTo("triage");
    assertThat(filled.prompt()).isSameAs(bare.prompt());
    assertThat(filled.attribution()).isSameAs(bare.attribution());
    assertThat(filled.maxCostUsd()).isEqualByComparingTo("0.02");
    assertThat(filled.tier()).isEqualTo("small");
    assertThat(filled.cacheEnabled()).isTrue();
  }

  @Test
  void theCallersOwnOptionsWinAndNoDefaultsMeansTheSameRequest() {
    CompletionRequest own = bare.toBuilder().maxOutputTokens(7).temperature(0.9).reasoningEffort("high")
        .thinkingBudget(0).build();
    assertThat(own.withDefaults(50, 0.2, "low", 1024)).isSameAs(own);
    assertThat(bare.withDefaults(null, null, null, null)).isSameAs(bare);
    CompletionRequest partly = bare.toBuilder().maxOutputTokens(7).build().withDefaults(50, 0.2, null, null);
    assertThat(partly.maxOutputTokens()).isEqualTo(7);
    assertThat(partly.temperature()).isEqualTo(0.2);
  }

  @Test
  void theOutputCeilingIsReplacedOnlyWhenItDiffers() {
    CompletionRequest fifty = bare.withMaxOutputTokens(50);
    assertThat(fifty.maxOutputTokens()).isEqualTo(50);
    assertThat(fifty.withMaxOutputTokens(50)).isSameAs(fifty);
    assertThat(fifty.withMaxOutputTokens(300).maxOutputTokens()).isEqualTo(300);
  }

  @Test
  void defaultsAreCheckedAsTheBuilderChecksThem() {
    assertThatThrownBy(() -> bare.withDefaults(0, null, null, null))
        .hasMessage("maxOutputTokens must be positive, got 0");
    assertThatThrownBy(() -> bare.withDefaults(null, null, "extreme", null))
        .hasMessageStartingWith("reasoningEffort must be one of [none, minimal, low, medium, high, xhigh, max], got 'extreme'");
    assertThatThrownBy(() -> bare.withDefaults(null, null, null, -1))
        .hasMessage("thinkingBudget cannot be negative, got -1");
  }
}
