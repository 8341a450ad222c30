package io.finops4j.core.cache;

import static io.finops4j.core.cache.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Prompt;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SemanticCacheTest {

  private static final String QUESTION = "how do I reset the password for my account on the mobile app";
  /**
   * The question plus one word. The question's word counts are eleven 1s and "the" twice (squared norm 15), so with
   * the bag-of-words embedding the similarity is 15 / sqrt(15 x 16) = 0.968.
   */
  private static final String PARAPHRASE = "Please, how do I reset the password for my account on the mobile app?";
  /** Two words changed, a different question: 13 / 15 = 0.867. */
  private static final String NEAR_MISS = "how do I reset the password for my account on the desktop site";
  /** Two extra words: 15 / sqrt(15 x 17) = 0.939, between the floor and the default threshold. */
  private static final String LOOSE = "Quickly: how do I reset the password for my account on the mobile app, please";
  private static final String UNRELATED = "what does shipping to Canada cost";

  private final FakeTicker ticker = new FakeTicker();
  private final HashedBagOfWords embeddings = new HashedBagOfWords();

  private Harness harness(double threshold) {
    return new Harness(CacheInterceptor.builder().ticker(ticker).executor(Runnable::run).embeddingModel(embeddings)
        .task("faq", CachePolicy.DEFAULT.withSemantic(threshold)).build());
  }

  private static CompletionRequest ask(String customer, String system, String question) {
    return request("faq", Prompt.builder().system(system).user(question).build(), customer).build();
  }

  @Test
  void theTestEmbeddingScoresAsDocumented() {
    assertThat(embeddings.similarity(QUESTION, PARAPHRASE)).isBetween(0.96, 0.97);
    assertThat(embeddings.similarity(QUESTION, NEAR_MISS)).isBetween(0.86, 0.87);
    assertThat(embeddings.similarity(QUESTION, UNRELATED)).isLessThan(0.3);
    assertThat(embeddings.similarity(QUESTION, LOOSE)).isBetween(0.90, 0.95);
  }

  @Test
  void aParaphraseAboveTheThresholdHitsAndItsSavingsAreNetOfTheEmbeddingCall() {
    Harness h = harness(0.95);
    h.call(ask("acme", "Support bot.", QUESTION));
    Harness.Result hit = h.call(ask("acme", "Support bot.", PARAPHRASE));

    assertThat(hit.status()).isEqualTo("hit");
    assertThat(hit.lookup().match()).isEqualTo("semantic");
    assertThat(hit.text()).isEqualTo("answer-1");
    assertThat(hit.completion().costUsd()).isEqualByComparingTo("0");
    // 0.00125 avoided (1000 in / 500 out on gpt-5-mini) minus this lookup's embedding call, 0.00001
    assertThat(hit.completion().savedUsd()).isEqualByComparingTo("0.00124");
    assertThat(hit.lookup().embeddingCostUsd()).isEqualByComparingTo("0.00001");
    assertThat(h.downstreamCalls).hasValue(1);

    CacheStats stats = ((CacheInterceptor) h.cache).stats();
    assertThat(stats.semanticHits()).isEqualTo(1);
    assertThat(stats.embeddingCostUsd()).isEqualByComparingTo("0.00002"); // the miss embedded too
    assertThat(stats.netSavedUsd()).isEqualByComparingTo("0.00123");
  }

  @Test
  void belowTheThresholdOrUnrelatedMisses() {
    Harness h = harness(0.95);
    h.call(ask("acme", "Support bot.", QUESTION));
    assertThat(h.call(ask("acme", "Support bot.", NEAR_MISS)).status()).isEqualTo("miss");
    assertThat(h.call(ask("acme", "Support bot.", UNRELATED)).status()).isEqualTo("miss");
    assertThat(h.downstreamCalls).hasValue(3);
  }

  @Test
  void theDefaultThresholdRejectsWhatTheFloorWouldAccept() {
    Harness byDefault = harness(CachePolicy.SEMANTIC_DEFAULT);
    byDefault.call(ask("acme", "Support bot.", QUESTION));
    assertThat(byDefault.call(ask("acme", "Support bot.", LOOSE)).status()).isEqualTo("miss");

    Harness atFloor = harness(CachePolicy.SEMANTIC_FLOOR);
    atFloor.call(ask("acme", "Support bot.", QUESTION));
    assertThat(atFloor.call(ask("acme", "Support bot.", LOOSE)).status()).isEqualTo("hit");
  }

  @Test
  void aRaisedThresholdRejectsTheLooserParaphrase() {
    Harness strict = harness(0.97);
    strict.call(ask("acme", "Support bot.", QUESTION));
    assertThat(strict.call(ask("acme", "Support bot.", PARAPHRASE)).status()).isEqualTo("miss");
    // Same words, another order and case: similarity 1.0.
    assertThat(strict.call(ask("acme", "Support bot.", "On the mobile app, how do I reset the password for my"
        + " account")).status()).isEqualTo("hit");
  }

  @Test
  void scopeSystemPromptModelAndEarlierTurnsIsolateSemanticEntries() {
    Harness h = harness(0.95);
    h.call(ask("acme", "Support bot.", QUESTION));

    assertThat(h.call(ask("globex", "Support bot.", PARAPHRASE)).status()).isEqualTo("miss");
    assertThat(h.call(ask("acme", "Answer as a pirate.", PARAPHRASE)).status()).isEqualTo("miss");
    assertThat(h.call(ask("acme", "Support bot.", PARAPHRASE), FakeContext.GPT5, null).status()).isEqualTo("miss");
    CompletionRequest withHistory = request("faq", Prompt.builder().system("Support bot.").user("I use Android.")
        .assistant("Noted.").user(PARAPHRASE).build(), "acme").build();
    assertThat(h.call(withHistory).status()).isEqualTo("miss");
    assertThat(h.call(ask("acme", "Support bot.", PARAPHRASE)).status()).isEqualTo("hit");
  }

  @Test
  void anExactHitMakesNoEmbeddingCall() {
    Harness h = harness(0.95);
    h.call(ask("acme", "Support bot.", QUESTION));
    int before = embeddings.calls.get();
    Harness.Result again = h.call(ask("acme", "Support bot.", QUESTION));
    assertThat(again.lookup().match()).isEqualTo("exact");
    assertThat(embeddings.calls.get()).isEqualTo(before);
    assertThat(again.completion().savedUsd()).isEqualByComparingTo("0.00125");
  }

  @Test
  void semanticEntriesExpireWithTheTaskTtl() {
    Harness h = harness(0.95);
    h.call(ask("acme", "Support bot.", QUESTION));
    ticker.advance(Duration.ofHours(1));
    assertThat(h.call(ask("acme", "Support bot.", PARAPHRASE)).status()).isEqualTo("miss");
  }

  @Test
  void aFailingEmbeddingModelCostsTheLookupNotTheCall() {
    HashedBagOfWords broken = new HashedBagOfWords() {
      @Override
      public float[] embed(String text) {
        throw new IllegalStateException("embedding endpoint down");
      }
    };
    Harness h = new Harness(CacheInterceptor.builder().embeddingModel(broken)
        .task("faq", CachePolicy.DEFAULT.withSemantic(0.95)).build());
    assertThat(h.call(ask("acme", "s", QUESTION)).text()).isEqualTo("answer-1");
    assertThat(h.call(ask("acme", "s", QUESTION)).status()).isEqualTo("hit"); // the exact cache still works
  }

  @Test
  void semanticWithoutAnEmbeddingModelFailsAtBuildTime() {
    assertThatThrownBy(() -> CacheInterceptor.builder().task("faq", CachePolicy.DEFAULT.withSemantic(0.95)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("task 'faq'")
        .hasMessageContaining("embedding model");
  }

  @Test
  void thePolicyRefusesAThresholdBelowTheFloor() {
    assertThatThrownBy(() -> CachePolicy.DEFAULT.withSemantic(0.85))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 0.9 and 1.0, got 0.85");
  }
}
