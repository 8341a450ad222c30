package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.UnknownTaskException;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.routing.RoutingPolicy;
import io.finops4j.routing.TaskPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class EngineTest {

  private final ScriptedProvider openai = new ScriptedProvider("openai");
  private final ScriptedProvider anthropic = new ScriptedProvider("anthropic");
  private final List<Duration> pauses = new ArrayList<>();
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();

  private Llm llm() {
    return Finops4j.builder()
        .provider(openai)
        .provider(anthropic)
        .policy(RoutingPolicy.builder()
            .tier("small", "openai/gpt-5-mini", "anthropic/claude-haiku-4-5")
            .tier("large", "anthropic/claude-opus-4-7")
            .task(new TaskPolicy("classification", "small", 50, null)) // gpt-5-mini takes no temperature
            .task("debugging", "large")
            .build())
        .sleeper(pauses::add)
        .listener(records::add)
        .build();
  }

  @Test
  void routesTheTaskToItsTierAndPricesTheReportedUsageExactly() {
    openai.then(() -> ScriptedProvider.ok("billing", Usage.builder().inputTokens(1000).cachedInputTokens(200)
        .outputTokens(10).build()));
    try (Llm llm = llm()) {
      Completion c = llm.complete("classification", Prompt.of("Where is my invoice?"), Attribution.of("acme", "chat"));
      assertThat(c.text()).isEqualTo("billing");
      assertThat(c.model()).isEqualTo(ModelId.parse("openai/gpt-5-mini"));
      assertThat(c.tier()).isEqualTo("small");
      // 800 x 0.25 + 200 x 0.025 + 10 x 2.00 = 200 + 5 + 20 = 225 per 1M
      assertThat(c.costUsd()).isEqualByComparingTo("0.000225");
      assertThat(c.route().reason()).isEqualTo("task classification -> small");
      assertThat(c.priceVersion()).isEqualTo("2026-12-03");
      assertThat(c.callId()).isNotBlank();
    }
    // the task's defaults reach the provider, and the customer is the end-user id
    assertThat(openai.requests.get(0).maxOutputTokens()).isEqualTo(50);
    assertThat(openai.requests.get(0).temperature()).isNull();
    assertThat(openai.requests.get(0).user()).isEqualTo("acme");
    assertThat(openai.requests.get(0).model()).isEqualTo("gpt-5-mini");

    assertThat(records).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(CallRecord.OK);
      assertThat(r.costUsd()).isEqualByComparingTo("0.000225");
      assertThat(r.attribution().customer()).isEqualTo("acme");
      assertThat(r.taskType()).isEqualTo("classification");
      assertThat(r.model()).isEqualTo(ModelId.parse("openai/gpt-5-mini"));
    });
  }

  @Test
  void unknownTaskTypeListsTheKnownOnes() {
    try (Llm llm = llm()) {
      assertThatThrownBy(() -> llm.complete("summarize", Prompt.of("x"), Attribution.NONE))
          .isInstanceOf(UnknownTaskException.class)
          .hasMessageContaining("unknown task type 'summarize'")
          .hasMessageContaining("[classification, debugging]");
    }
    assertThat(openai.requests).isEmpty();
    assertThat(records).singleElement().extracting(CallRecord::outcome).isEqualTo(CallRecord.ERROR);
  }

  @Test
  void retriesA429AfterTheDelayTheProviderAskedFor() {
    openai.thenFail(429, true, Duration.ofSeconds(2));
    try (Llm llm = llm()) {
      Completion c = llm.complete("classification", Prompt.of("x"), Attribution.NONE);
      assertThat(c.model().provider()).isEqualTo("openai");
      assertThat(c.attempts()).extracting(a -> a.outcome()).containsExactly("http_429", "ok");
    }
    assertThat(pauses).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void fallsBackToTheNextCandidateAfterRetriesAreExhausted() {
    openai.thenFail(500, true, null).thenFail(503, true, null).thenFail(500, true, null);
    try (Llm llm = llm()) {
      Completion c = llm.complete("classification", Prompt.of("x"), Attribution.NONE);
      assertThat(c.model()).isEqualTo(ModelId.parse("anthropic/claude-haiku-4-5"));
      assertThat(c.attempts()).extracting(a -> a.outcome()).containsExactly("http_500", "http_503", "http_500", "ok");
    }
    assertThat(pauses).hasSize(2).allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(375), Duration.ofMillis(1000)));
    assertThat(pauses.get(0)).isLessThanOrEqualTo(Duration.ofMillis(500));
  }

  @Test
  void nonRetryableFailuresAreNeitherRetriedNorFallenBackFrom() {
    openai.thenFail(401, false, null);
    try (Llm llm = llm()) {
      assertThatThrownBy(() -> llm.complete("classification", Prompt.of("x"), Attribution.NONE))
          .isInstanceOf(ProviderException.class)
          .hasMessage("openai returned HTTP 401 (code_401) [request id req-401]");
    }
    assertThat(anthropic.requests).isEmpty();
    assertThat(pauses).isEmpty();
    assertThat(records).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(CallRecord.ERROR);
      assertThat(r.errorType()).isEqualTo("code_401");
      assertThat(r.attempts()).isEqualTo(1);
    });
  }

  @Test
  void aCallWithoutReportedUsageIsEstimatedNeverFree() {
    openai.then(() -> ScriptedProvider.ok("Hello world", null));
    try (Llm llm = llm()) {
      Completion c = llm.complete("classification", Prompt.of("Hello world"), Attribution.NONE);
      assertThat(c.usage().estimated()).isTrue();
      // o200k: prompt 2 + 4 + 3 = 9 input tokens, "Hello world" = 2 output tokens: 9 x 0.25 + 2 x 2.00 = 6.25 per 1M
      assertThat(c.usage().inputTokens()).isEqualTo(9);
      assertThat(c.usage().outputTokens()).isEqualTo(2);
      assertThat(c.costUsd()).isEqualByComparingTo("0.00000625");
    }
  }

  @Test
  void aForcedModelBypassesTheTier() {
    try (Llm llm = llm()) {
      Completion c = llm.complete(CompletionRequest.builder("classification", Prompt.of("x"))
          .model("anthropic/claude-opus-4-7").build());
      assertThat(c.model()).isEqualTo(ModelId.parse("anthropic/claude-opus-4-7"));
      assertThat(c.tier()).isNull();
    }
  }

  @Test
  void asyncCompletesWithTheSameResultAndFailsWithTheSameException() throws Exception {
    openai.thenFail(400, false, null);
    try (Llm llm = llm()) {
      var failed = llm.completeAsync("classification", Prompt.of("x"), Attribution.NONE);
      assertThatThrownBy(failed::get).hasCauseInstanceOf(ProviderException.class);
      Completion c = llm.completeAsync("debugging", Prompt.of("x"), Attribution.NONE).get();
      assertThat(c.model()).isEqualTo(ModelId.parse("anthropic/claude-opus-4-7"));
    }
  }

  @Test
  void streamHandsDeltasToTheCallerAndNeverFallsBackAfterTheFirstOne() {
    openai.then(() -> ScriptedProvider.ok("one two three", Usage.of(10, 3)));
    List<String> deltas = new ArrayList<>();
    try (Llm llm = llm()) {
      Completion c = llm.stream(CompletionRequest.builder("classification", Prompt.of("x")).build(), deltas::add);
      assertThat(String.join("", deltas)).isEqualTo("one two three").isEqualTo(c.text());
      assertThat(c.costUsd()).isEqualByComparingTo("0.0000085");
    }
    ScriptedProvider cut = new ScriptedProvider("openai") {
      @Override
      public io.finops4j.api.spi.ProviderResponse stream(io.finops4j.api.spi.ProviderRequest r,
          Llm.TextListener listener) {
        listener.onText("partial ");
        throw failure("openai", 0, true, null);
      }
    };
    try (Llm llm = Finops4j.builder().provider(cut).provider(anthropic).sleeper(pauses::add)
        .policy(RoutingPolicy.builder().tier("small", "openai/gpt-5-mini", "anthropic/claude-haiku-4-5")
            .task("t", "small").build()).build()) {
      assertThatThrownBy(() -> llm.stream(CompletionRequest.builder("t", Prompt.of("x")).build(), d -> { }))
          .isInstanceOf(ProviderException.class);
    }
    assertThat(anthropic.requests).isEmpty();
  }

  @Test
  void skipsAModelWhoseCircuitIsOpenAndSaysSoInTheRoute() {
    openai.fallback = () -> {
      throw ScriptedProvider.failure("openai", 503, true, null);
    };
    var clock = new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-11-24T10:00:00Z"));
    java.time.Clock ticking = new java.time.Clock() {
      @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
      @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public java.time.Instant instant() { return clock.get(); }
    };
    try (Llm llm = Finops4j.builder().provider(openai).provider(anthropic).sleeper(pauses::add).clock(ticking)
        .config(io.finops4j.core.ConfigLoader.of(Map.of("routing", Map.of("failure-threshold", 3, "max-retries", 0)), "test"))
        .policy(RoutingPolicy.builder().tier("small", "openai/gpt-5-mini", "anthropic/claude-haiku-4-5")
            .task("t", "small").build()).build()) {
      for (int i = 0; i < 3; i++) {
        Completion c = llm.complete("t", Prompt.of("x"), Attribution.NONE);
        assertThat(c.route().reasons()).contains("fallback to anthropic/claude-haiku-4-5: openai HTTP 503 code_503");
      }
      int before = openai.requests.size();
      Completion skipped = llm.complete("t", Prompt.of("x"), Attribution.NONE);
      assertThat(openai.requests).hasSize(before);
      assertThat(skipped.route().reasons())
          .contains("skipped openai/gpt-5-mini: circuit open after repeated failures");
      assertThat(skipped.attempts()).hasSize(1);

      clock.set(clock.get().plusSeconds(30)); // half-open: one trial goes to openai again
      openai.fallback = () -> ScriptedProvider.ok("back", Usage.of(1, 1));
      assertThat(llm.complete("t", Prompt.of("x"), Attribution.NONE).model()).isEqualTo(ModelId.parse("openai/gpt-5-mini"));
      assertThat(llm.complete("t", Prompt.of("x"), Attribution.NONE).model()).isEqualTo(ModelId.parse("openai/gpt-5-mini"));
    }
  }

  @Test
  void listenerFailuresNeverFailTheCall() {
    try (Llm llm = Finops4j.builder().provider(openai).listener(r -> { throw new IllegalStateException("boom"); })
        .policy(RoutingPolicy.builder().tier("small", "openai/gpt-5-mini").task("t", "small").build()).build()) {
      assertThat(llm.complete("t", Prompt.of("x"), Attribution.NONE).text()).isEqualTo("fine");
    }
  }

  @Test
  void callIdsAreUniqueAcrossCalls() {
    try (Llm llm = llm()) {
      var ids = new java.util.HashSet<String>();
      for (int i = 0; i < 1000; i++) {
        ids.add(llm.complete("classification", Prompt.of("x"), Attribution.NONE).callId());
      }
      assertThat(ids).hasSize(1000);
    }
  }

  @Test
  void callIdsAreTheInstancePartAndTheSequenceInBase36() {
    try (Llm llm = llm()) {
      java.util.List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ids.add(llm.complete("classification", Prompt.of("x"), Attribution.NONE).callId());
      }
      String prefix = ids.get(0).substring(0, 13);
      assertThat(prefix).matches("[0-9a-f]{12}-");
      // one thread's calls take every 16th number of the sequence (it is striped by thread), written in base 36
      long first = Long.parseLong(ids.get(0).substring(13), 36);
      for (int i = 0; i < ids.size(); i++) {
        assertThat(ids.get(i)).startsWith(prefix).isEqualTo(prefix + Long.toString(first + 16L * i, 36));
      }
      assertThat(ids.get(ids.size() - 1).length() - 13).as("past 36 * 36: three digits").isEqualTo(3);
    }
  }

  @Test
  void callIdsAreUniqueAcrossThreads() throws Exception {
    try (Llm llm = llm()) {
      java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(40);
      try {
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < 40; t++) {
          done.add(pool.submit(() -> {
            for (int i = 0; i < 500; i++) {
              ids.add(llm.complete("classification", Prompt.of("x"), Attribution.NONE).callId());
            }
          }));
        }
        for (java.util.concurrent.Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(ids).hasSize(40 * 500);
    }
  }

  @Test
  void attributionDimensionsAreNamed() {
    Attribution a = Attribution.builder().customer("acme").feature("chat").tag("region", "eu").build();
    assertThat(Map.of("customer", a.dimension("customer"), "tag", a.dimension("tag.region")))
        .containsEntry("customer", "acme").containsEntry("tag", "eu");
  }
}
