package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.api.spi.EmbeddingModel;
import io.finops4j.core.ConfigLoader;
import io.finops4j.routing.RoutingPolicy;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The caches as wired by the builder: exact hits, semantic hits, scope per customer, and the ledger's status. */
class CachingThroughTheEngineTest {

  /** Bag of words over a tiny vocabulary: paraphrases share words, unrelated questions do not. */
  static final class WordsEmbedding implements EmbeddingModel {
    private static final List<String> VOCAB = List.of("refund", "money", "back", "return", "order", "password",
        "reset", "login", "invoice", "how", "get", "my", "i", "can");

    @Override public String id() { return "test/words"; }

    @Override
    public float[] embed(String text) {
      float[] v = new float[VOCAB.size()];
      for (String w : text.toLowerCase(Locale.ROOT).split("\\W+")) {
        int i = VOCAB.indexOf(w);
        if (i >= 0) {
          v[i] += 1;
        }
      }
      return v;
    }

    @Override public BigDecimal costUsd(String text) { return new BigDecimal("0.000001"); }
  }

  private final ScriptedProvider openai = new ScriptedProvider("openai");
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  private Llm llm() {
    openai.fallback = () -> ScriptedProvider.ok("answer", Usage.of(1000, 500));
    return Finops4j.builder().provider(openai).listener(records::add).embeddingModel(new WordsEmbedding())
        .config(ConfigLoader.of(Map.of("tasks", Map.of(
            // gpt-5-mini takes no temperature: the task's cache setting is the opt-in
            "faq", Map.of("tier", "small", "cache", Map.of("ttl", "1h",
                "semantic", Map.of("threshold", 0.95))),
            "chat", Map.of("tier", "small", "cache", Map.of("ttl", "1h")))), "test"))
        .policy(RoutingPolicy.builder().tier("small", "openai/gpt-5-mini")
            .task(new io.finops4j.routing.TaskPolicy("faq", "small", null, null))
            .task(new io.finops4j.routing.TaskPolicy("chat", "small", null, null)).build())
        .build();
  }

  @Test
  void anExactRepeatIsFreeAndSavesWhatTheCallWouldHaveCostPerCustomer() {
    try (Llm llm = llm()) {
      Completion first = llm.complete("chat", Prompt.of("Where is my invoice?"), Attribution.of("acme", "help"));
      Completion again = llm.complete("chat", Prompt.of("Where is my invoice?"), Attribution.of("acme", "help"));
      Completion other = llm.complete("chat", Prompt.of("Where is my invoice?"), Attribution.of("globex", "help"));

      assertThat(first.cached()).isFalse();
      assertThat(again.cached()).isTrue();
      assertThat(again.costUsd()).isEqualByComparingTo("0");
      // 1000 x 0.25 + 500 x 2.00 = 1250 per 1M
      assertThat(again.savedUsd()).isEqualByComparingTo("0.00125");
      assertThat(other.cached()).as("another customer never gets acme's answer").isFalse();
    }
    assertThat(openai.requests).hasSize(2);
    assertThat(records).extracting(CallRecord::cacheStatus).containsExactly("miss", "hit", "miss");
  }

  @Test
  void aParaphraseHitsTheSemanticCacheAndAnUnrelatedQuestionDoesNot() {
    try (Llm llm = llm()) {
      llm.complete("faq", Prompt.of("How can I get my money back?"), Attribution.of("acme", "help"));
      Completion paraphrase = llm.complete("faq", Prompt.of("how can i get my money back"),
          Attribution.of("acme", "help"));
      Completion unrelated = llm.complete("faq", Prompt.of("How do I reset my password?"),
          Attribution.of("acme", "help"));

      assertThat(paraphrase.cached()).isTrue();
      // the saving is the avoided call less the embedding call the lookup made
      assertThat(paraphrase.savedUsd()).isEqualByComparingTo("0.001249");
      assertThat(unrelated.cached()).isFalse();
    }
    assertThat(openai.requests).hasSize(2);
  }
}
