package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ConfigException;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelRules;
import io.finops4j.api.Prompt;
import io.finops4j.api.UnsupportedParameterException;
import io.finops4j.core.ConfigLoader;
import io.finops4j.core.ModelRulesCatalog;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The model rules, checked before the network: a task or request asking a model for a parameter its API rejects
 * (OpenAI answers temperature 0 on gpt-5-mini with a 400, "Only the default (1) value is supported") fails at
 * start-up or before the call, or, when asked, is left out.
 */
class ModelRulesTest {

  /**
   * A real gpt-4o-mini Chat Completions response, recorded by rileyeaton-ubc/SkySage
   * (app/config/ai_generation_sample.py), content shortened.
   */
  static final String RECORDED = """
      {"id":"chatcmpl-AZvnAqepiNWh0HdS4B023X7hpoGzU","object":"chat.completion","created":1733126996,
       "model":"gpt-4o-mini-2024-07-18",
       "choices":[{"index":0,"message":{"role":"assistant","content":"billing","refusal":null},
                   "logprobs":null,"finish_reason":"stop"}],
       "usage":{"prompt_tokens":54,"completion_tokens":79,"total_tokens":133,
                "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
                "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,
                                             "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
       "system_fingerprint":"fp_0705bf87c0"}
      """;

  final MockWebServer openai = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    openai.start();
  }

  @AfterEach
  void stop() {
    openai.close();
  }

  private Llm llm(String tasks, String routing) {
    String yaml = """
        finops4j:
          providers:
            openai:    { api-key: sk-test-0000, base-url: %s }
            simulator: { seed: 1 }
          tiers:
            small: [openai/gpt-5-mini]
            mini:  [openai/gpt-4.1-mini]
            sim:   [simulator/gpt-5-mini]
          tasks:
        %s
        %s
        """.formatted(openai.url("/v1"), tasks.indent(4).stripTrailing(), routing);
    return Finops4j.builder()
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
        .build();
  }

  private void answer() {
    openai.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(RECORDED).build());
  }

  @Test
  void theRulesKnowWhichModelsTakeATemperature() {
    ModelRulesCatalog rules = ModelRulesCatalog.bundled();
    for (String model : new String[] {"openai/gpt-5-mini", "openai/gpt-5.6-sol", "openai/o3-pro",
        "openai/gpt-5-mini-2025-08-07", "anthropic/claude-opus-4-7", "simulator/gpt-5"}) {
      assertThat(rules.rules(ModelId.parse(model)).accepts(ModelRules.TEMPERATURE)).as(model).isFalse();
      assertThat(rules.rules(ModelId.parse(model)).reasoning()).as(model).isTrue();
    }
    for (String model : new String[] {"openai/gpt-4.1-mini", "openai/gpt-4o", "openai/gpt-5-chat-latest",
        "anthropic/claude-sonnet-4-6", "anthropic/claude-haiku-4-5", "gemini/gemini-2.5-flash",
        "groq/llama-3.3-70b-versatile"}) {
      assertThat(rules.rules(ModelId.parse(model)).accepts(ModelRules.TEMPERATURE)).as(model).isTrue();
    }
    assertThat(rules.rules(ModelId.parse("openai/gpt-5-mini")).source()).startsWith("https://");
  }

  @Test
  void aTemperatureOnAModelThatTakesNoneFailsAtStartUpNamingTheTaskTheModelAndTheFix() {
    assertThatThrownBy(() -> llm("classification: { tier: small, max-output-tokens: 1024, temperature: 0 }", ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.tasks.classification.temperature")
        .hasMessageContaining("openai/gpt-5-mini takes no temperature")
        .hasMessageContaining("unsupported-parameters: drop")
        .hasMessageContaining("test.yaml");
    // the simulator follows the rules of the real model: what starts offline starts in production
    assertThatThrownBy(() -> llm("classification: { tier: sim, max-output-tokens: 1024, temperature: 0 }", ""))
        .isInstanceOf(ConfigException.class).hasMessageContaining("simulator/gpt-5-mini takes no temperature");
    assertThat(openai.getRequestCount()).isZero();
  }

  @Test
  void dropLeavesTheTemperatureOutOfTheRequestBodyOfSuchModelsOnly() throws Exception {
    answer();
    answer();
    try (Llm llm = llm("""
        classification: { tier: small, max-output-tokens: 1024, temperature: 0 }
        faq:            { tier: mini, max-output-tokens: 200, temperature: 0 }""",
        "  routing: { unsupported-parameters: drop }")) {
      llm.complete("classification", Prompt.of("Where is my invoice?"), Attribution.of("acme", "triage"));
      llm.complete("faq", Prompt.of("Where is my invoice?"), Attribution.of("acme", "faq"));
    }
    RecordedRequest toGpt5 = openai.takeRequest();
    RecordedRequest toGpt41 = openai.takeRequest();
    assertThat(toGpt5.getBody().utf8()).contains("\"model\":\"gpt-5-mini\"").doesNotContain("temperature");
    assertThat(toGpt41.getBody().utf8()).contains("\"model\":\"gpt-4.1-mini\"").contains("\"temperature\":0.0");
  }

  @Test
  void aRequestAskingForATemperatureIsRefusedBeforeTheNetworkAndReservesNothing() {
    try (Llm llm = llm("classification: { tier: small, max-output-tokens: 1024 }",
        "  budgets:\n    - { scope: customer, limit: 1.00, period: day }")) {
      CompletionRequest request = CompletionRequest.builder("classification", Prompt.of("Where is my invoice?"))
          .attribution(Attribution.of("acme", "triage")).temperature(0.2).build();
      assertThatThrownBy(() -> llm.complete(request))
          .isInstanceOf(UnsupportedParameterException.class)
          .hasMessageContaining("openai/gpt-5-mini takes no temperature")
          .satisfies(e -> {
            assertThat(((UnsupportedParameterException) e).model()).isEqualTo(ModelId.parse("openai/gpt-5-mini"));
            assertThat(((UnsupportedParameterException) e).parameter()).isEqualTo("temperature");
          });
      assertThat(openai.getRequestCount()).isZero();
      assertThat(llm.budgets().usage(Attribution.of("acme", "triage"))).hasSize(1)
          .allSatisfy(u -> assertThat(u.reserved()).isZero());
    }
  }

  @Test
  void onAModelWithoutSamplingControlTheTasksCacheIsTheOptIn() {
    answer();
    try (Llm llm = llm("classification: { tier: small, max-output-tokens: 1024, cache: { ttl: 1h } }", "")) {
      Prompt p = Prompt.of("Where is my invoice?");
      assertThat(llm.complete("classification", p, Attribution.of("acme", "triage")).cached()).isFalse();
      assertThat(llm.complete("classification", p, Attribution.of("acme", "triage")).cached()).isTrue();
    }
    assertThat(openai.getRequestCount()).isEqualTo(1);
  }
}
