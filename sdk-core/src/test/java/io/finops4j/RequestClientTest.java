package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.api.spi.ProviderResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code CompletionRequest.client}: the seam through which framework adapters make their own provider call. */
class RequestClientTest {

  private static final Attribution ACME = Attribution.of("acme", "chat");

  private final ScriptedProvider configured = new ScriptedProvider("openai");
  private final ScriptedProvider framework = new ScriptedProvider("openai");
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  @Test
  void theRequestsClientMakesTheCallPricedAsTheModelItReportsAndNeverFromTheCache() {
    framework.fallback = () -> new ProviderResponse("hi", "gpt-4o-mini-2024-07-18", Usage.of(1000, 100), "stop", "r1");
    try (Llm llm = Finops4j.builder()
        .provider(configured)
        .config(io.finops4j.core.ConfigLoader.of(Map.of("tiers", Map.of("small", List.of("openai/gpt-5-mini")),
            "tasks", Map.of("chat", Map.of("tier", "small", "cache", Map.of("ttl", "1h")))), "test"))
        .listener(records::add)
        .build()) {
      for (int i = 0; i < 2; i++) {
        Completion c = llm.complete(CompletionRequest.builder("chat", Prompt.of("same prompt"))
            .attribution(ACME).model("openai/gpt-4o-mini").client(framework).build());
        // 1000 x 0.15 + 100 x 0.60 = 150 + 60 = 210 per 1M
        assertThat(c.costUsd()).isEqualByComparingTo("0.00021");
        assertThat(c.model()).isEqualTo(ModelId.parse("openai/gpt-4o-mini"));
        assertThat(c.cached()).isFalse();
      }
      // the control: the same task without a client of its own is cached, so the cache was on
      llm.complete("chat", Prompt.of("same prompt"), ACME);
      assertThat(llm.complete("chat", Prompt.of("same prompt"), ACME).cached()).isTrue();
    }
    assertThat(configured.requests).hasSize(1);
    assertThat(framework.requests).hasSize(2).allSatisfy(r -> assertThat(r.model()).isEqualTo("gpt-4o-mini"));
    assertThat(records.subList(0, 2)).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(CallRecord.OK));
  }

  @Test
  void theFacadeSaysWhatThePriceTableKnowsOfAModel() {
    try (Llm llm = Finops4j.builder().provider(configured).build()) {
      // dated snapshots resolve to their base model
      assertThat(llm.price(ModelId.parse("openai/gpt-4o-2024-08-06"))).hasValueSatisfying(p -> {
        assertThat(p.maxOutputTokens()).isEqualTo(16384);
        assertThat(p.output()).isEqualByComparingTo("10.00");
      });
      assertThat(llm.price(ModelId.parse("openai/no-such-model"))).isEmpty();
    }
  }
}
