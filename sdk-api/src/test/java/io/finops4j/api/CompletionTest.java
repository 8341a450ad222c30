package io.finops4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An answer served from a cache: free, saving what it names, under the serving call's id, route and price table. */
class CompletionTest {

  private final ModelId mini = ModelId.parse("openai/gpt-5-mini");
  private final Route stored = new Route("small", List.of(mini), List.of("task triage -> small"), false);
  private final Completion fresh = Completion.builder().text("billing").model(mini).tier("small")
      .usage(Usage.builder().inputTokens(120).outputTokens(3).build()).costUsd(new BigDecimal("0.000036"))
      .finishReason("stop").callId("call-1").requestId("req-1").responseId("chatcmpl-1")
      .servedModel("gpt-5-mini-2025-08-07").priceVersion("v1").route(stored)
      .attempts(List.of(new Attempt(mini, "ok", 200, 12_000, "req-1"))).build();

  @Test
  void aServedAnswerIsFreeAndSavesWhatItNames() {
    Route now = new Route("large", List.of(mini), List.of("tier large forced by the caller"), false);
    Completion hit = fresh.servedFromCache("call-2", new BigDecimal("0.000036"), "v2", now);
    assertThat(hit.cached()).isTrue();
    assertThat(hit.costUsd()).isEqualByComparingTo("0");
    assertThat(hit.savedUsd()).isEqualByComparingTo("0.000036");
    assertThat(hit.callId()).isEqualTo("call-2");
    assertThat(hit.priceVersion()).isEqualTo("v2");
    assertThat(hit.route()).isSameAs(now);
    assertThat(hit.tier()).isEqualTo("large");
    assertThat(hit.attempts()).isEmpty();
    assertThat(hit.text()).isEqualTo("billing");
    assertThat(hit.model()).isEqualTo(mini);
    assertThat(hit.usage()).isSameAs(fresh.usage());
    assertThat(hit.finishReason()).isEqualTo("stop");
    assertThat(hit.requestId()).isEqualTo("req-1");
    assertThat(hit.servedModel()).isEqualTo("gpt-5-mini-2025-08-07");
  }

  @Test
  void withoutARouteTheStoredOneIsKept() {
    Completion hit = fresh.servedFromCache("call-3", BigDecimal.ZERO, "v1", null);
    assertThat(hit.route()).isSameAs(stored);
    assertThat(hit.tier()).isEqualTo("small");
  }
}
