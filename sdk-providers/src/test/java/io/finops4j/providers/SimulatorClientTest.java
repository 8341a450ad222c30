package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.JsonSchema;
import io.finops4j.api.Prompt;
import io.finops4j.api.Tool;
import io.finops4j.api.ToolCall;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SimulatorClientTest {

  static ProviderRequest request(String model, Prompt prompt, Integer maxOutputTokens) {
    return new ProviderRequest(model, prompt, maxOutputTokens, null, null, false);
  }

  static ProviderRequest request(String text) {
    return request("gpt-5-mini", Prompt.of(text), 200);
  }

  @Test
  void sameSeedPromptAndModelGiveTheSameAnswer() {
    ProviderResponse a = SimulatorClient.builder().seed(7).build().complete(request("Summarize the incident."));
    ProviderResponse b = SimulatorClient.builder().seed(7).build().complete(request("Summarize the incident."));

    assertThat(a.text()).isEqualTo(b.text()).isNotBlank();
    assertThat(a.usage()).isEqualTo(b.usage());
    assertThat(a.model()).isEqualTo("gpt-5-mini");
  }

  @Test
  void anotherSeedModelOrPromptGivesAnotherAnswer() {
    String base = SimulatorClient.builder().seed(7).build().complete(request("Summarize the incident.")).text();

    assertThat(SimulatorClient.builder().seed(8).build().complete(request("Summarize the incident.")).text())
        .isNotEqualTo(base);
    assertThat(SimulatorClient.builder().seed(7).build().complete(request("Summarize the outage.")).text())
        .isNotEqualTo(base);
    assertThat(SimulatorClient.builder().seed(7).build()
        .complete(request("gpt-5", Prompt.of("Summarize the incident."), 200)).text()).isNotEqualTo(base);
  }

  @Test
  void aClassificationPromptIsAnsweredWithOneOfItsLabels() {
    SimulatorClient sim = SimulatorClient.create();
    java.util.Set<String> seen = new java.util.TreeSet<>();
    for (String ticket : new String[] {"I was charged twice.", "The export button does nothing.",
        "Add my colleague.", "Why is my invoice higher?", "The app crashes on start.", "Reset my password."}) {
      Prompt p = Prompt.builder().system("Classify the ticket as billing, bug, account or other. Answer with one word.")
          .user(ticket).build();
      ProviderResponse r = sim.complete(request("gpt-5-mini", p, 50));
      assertThat(r.text()).isIn("billing", "bug", "account", "other");
      assertThat(r.usage().outputTokens()).isBetween(1L, 3L);
      assertThat(sim.complete(request("gpt-5-mini", p, 50)).text()).isEqualTo(r.text()); // seeded
      seen.add(r.text());
    }
    assertThat(seen).hasSizeGreaterThan(1);
    assertThat(SimulatedText.labels("Classify the support ticket as one of: billing, bug, account, other."))
        .containsExactly("billing", "bug", "account", "other");
    assertThat(SimulatedText.labels("Answer yes or no.")).containsExactly("yes", "no");
    assertThat(SimulatedText.labels("You are a friendly support agent. Be concise.")).isEmpty();
  }

  @Test
  void textIsPlausibleEnglish() {
    String text = SimulatorClient.create().complete(request("Explain the bill.")).text();

    assertThat(text).matches("[A-Z][a-z]+( [a-zA-Z]+[.]?)+[.]");
  }

  @Test
  void inputTokensFollowThePromptAndGrowWithIt() {
    SimulatorClient sim = SimulatorClient.create();
    Prompt small = Prompt.of("x".repeat(400));
    Prompt large = Prompt.builder().system("y".repeat(800)).user("x".repeat(4000)).build();

    // chars / 4 + 4 per message
    assertThat(sim.complete(request("m", small, 100)).usage().inputTokens()).isEqualTo(104);
    assertThat(sim.complete(request("m", large, 100)).usage().inputTokens()).isEqualTo(200 + 4 + 1000 + 4);
  }

  @Test
  void outputTokensStayBetween30And100PercentOfTheCeiling() {
    SimulatorClient sim = SimulatorClient.create();
    for (int i = 0; i < 200; i++) {
      Usage u = sim.complete(request("gpt-5-mini", Prompt.of("question " + i), 100)).usage();
      assertThat(u.outputTokens()).isBetween(30L, 100L);
      assertThat(u.reasoningTokens()).isZero();
      assertThat(u.estimated()).isFalse();
    }
    Usage noCeiling = sim.complete(request("gpt-5-mini", Prompt.of("q"), null)).usage();
    assertThat(noCeiling.outputTokens()).isBetween(77L, 256L);
  }

  @Test
  void textLengthMatchesTheVisibleOutputTokens() {
    ProviderResponse r = SimulatorClient.create().complete(request("gpt-5-mini", Prompt.of("q"), 400));
    long words = r.text().split(" ").length;

    assertThat(words).isEqualTo(Math.round(r.usage().outputTokens() * SimulatedText.WORDS_PER_TOKEN));
  }

  @Test
  void reasoningModelsSpendPartOfTheirOutputOnReasoning() {
    SimulatorClient sim = SimulatorClient.create();
    for (String model : List.of("o4-mini", "deepseek-reasoner")) {
      Usage u = sim.complete(request(model, Prompt.of("prove it"), 1000)).usage();
      assertThat(u.reasoningTokens()).as(model).isPositive().isLessThan(u.outputTokens());
    }
    assertThat(sim.complete(request("gpt-5-mini", Prompt.of("prove it"), 1000)).usage().reasoningTokens()).isZero();
  }

  @Test
  void aRepeatedSystemPromptIsReportedAsCachedInput() {
    SimulatorClient sim = SimulatorClient.create();
    String system = "You are a support assistant. ".repeat(40);
    Prompt first = Prompt.builder().system(system).user("Where is my order?").build();
    Prompt second = Prompt.builder().system(system).user("Cancel it please").build();

    Usage u1 = sim.complete(request("gpt-5-mini", first, 100)).usage();
    Usage u2 = sim.complete(request("gpt-5-mini", second, 100)).usage();
    Usage otherModel = sim.complete(request("gpt-5", second, 100)).usage();

    assertThat(u1.cachedInputTokens()).isZero();
    assertThat(u2.cachedInputTokens()).isEqualTo(SimulatorClient.messageTokens(system));
    assertThat(u2.cachedInputTokens()).isLessThan(u2.inputTokens());
    assertThat(otherModel.cachedInputTokens()).isZero();
  }

  @Test
  void streamingDeliversWordsAndEqualsTheNonStreamingAnswer() {
    ProviderRequest req = request("Write a status update.");
    ProviderResponse whole = SimulatorClient.builder().seed(3).build().complete(req);
    List<String> deltas = new ArrayList<>();

    ProviderResponse streamed = SimulatorClient.builder().seed(3).build().stream(req, deltas::add);

    assertThat(String.join("", deltas)).isEqualTo(whole.text()).isEqualTo(streamed.text());
    assertThat(deltas).hasSizeGreaterThan(5);
    assertThat(deltas.get(1)).startsWith(" ");
    assertThat(streamed.usage()).isEqualTo(whole.usage());
  }

  @Test
  void latencyGoesThroughTheSleeper() {
    List<Duration> slept = new ArrayList<>();
    SimulatorClient sim = SimulatorClient.builder().latency(Duration.ofMillis(250)).sleeper(slept::add).build();

    sim.complete(request("a"));
    sim.stream(request("b"), d -> { });

    assertThat(slept).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
  }

  @Test
  void failureInjectionFollowsTheRateAndReplaysForASeed() {
    List<Integer> first = failures(SimulatorClient.builder().seed(11).failureRate(0.2).build());
    List<Integer> second = failures(SimulatorClient.builder().seed(11).failureRate(0.2).build());
    List<Integer> otherSeed = failures(SimulatorClient.builder().seed(12).failureRate(0.2).build());

    assertThat(first).isEqualTo(second);
    assertThat(first).isNotEqualTo(otherSeed);
    long failed = first.stream().filter(s -> s != 200).count();
    assertThat(failed).isBetween(150L, 250L); // 20% of 1000, within a wide margin
    assertThat(first).contains(429, 500);
    assertThat(failures(SimulatorClient.create())).containsOnly(200);
  }

  private static List<Integer> failures(SimulatorClient sim) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      try {
        sim.complete(request("q"));
        statuses.add(200);
      } catch (ProviderException e) {
        assertThat(e.retryable()).isTrue();
        assertThat(e.provider()).isEqualTo("simulator");
        statuses.add(e.status());
      }
    }
    return statuses;
  }

  @Test
  void isSafeToShareAcrossThreads() throws Exception {
    SimulatorClient sim = SimulatorClient.builder().seed(5).build();
    String expected = SimulatorClient.builder().seed(5).build().complete(request("shared")).text();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(pool.submit(() -> sim.complete(request("shared")).text()));
      }
      for (Future<String> f : results) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badSettingsFail() {
    assertThatThrownBy(() -> SimulatorClient.builder().failureRate(1.5)).hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> SimulatorClient.builder().latency(Duration.ofMillis(-1))).hasMessageContaining("latency");
  }

  private static final Tool WEATHER = Tool.of("get_weather", "Current weather in a city", """
      {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}""");
  private static final Tool TIME = Tool.of("get_time", "Local time in a city", """
      {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

  private static ProviderRequest withTools(Prompt prompt, String choice) {
    return request("gpt-5-mini", prompt, 200).with(List.of(WEATHER, TIME), choice, null, null, null);
  }

  @Test
  void offeredToolsAreCalledWithArgumentsOfTheirSchemaUntilAResultComesBack() throws Exception {
    SimulatorClient sim = SimulatorClient.create();
    Prompt prompt = Prompt.of("Weather in Oslo?");

    ProviderResponse first = sim.complete(withTools(prompt, "get_weather"));

    assertThat(first.toolCalls()).hasSize(1);
    ToolCall call = first.toolCalls().get(0);
    assertThat(call.name()).isEqualTo("get_weather");
    JsonNode args = new ObjectMapper().readTree(call.arguments());
    assertThat(args.get("city").isTextual()).isTrue();
    assertThat(args.get("days").isInt()).isTrue();
    assertThat(first.finishReason()).isEqualTo("tool_calls");
    assertThat(first.text()).isEmpty();
    assertThat(first.usage().outputTokens()).isPositive();
    // deterministic for a seed: the same request gets the same call
    assertThat(SimulatorClient.create().complete(withTools(prompt, "get_weather")).toolCalls()).containsExactly(call);

    ProviderResponse answer = sim.complete(withTools(prompt.toBuilder().assistant("", first.toolCalls())
        .toolResult(call, "{\"celsius\": 4}").build(), null));

    assertThat(answer.toolCalls()).isEmpty();
    assertThat(answer.text()).isNotEmpty();
    assertThat(answer.finishReason()).isNotEqualTo("tool_calls");
  }

  @Test
  void toolChoiceNoneAnswersInText() {
    ProviderResponse r = SimulatorClient.create().complete(withTools(Prompt.of("Weather in Oslo?"), "none"));

    assertThat(r.toolCalls()).isEmpty();
    assertThat(r.text()).isNotEmpty();
  }

  @Test
  void aJsonSchemaIsAnsweredWithJsonOfThatSchema() throws Exception {
    ProviderRequest r = request("gpt-5-mini", Prompt.of("Extract the invoice."), 200).with(List.of(), null,
        JsonSchema.of("invoice", """
            {"type":"object","properties":{"total":{"type":"number"},"currency":{"type":"string","enum":["EUR","USD"]},
             "lines":{"type":"array","items":{"type":"string"}}},"required":["total","currency","lines"]}"""),
        null, null);

    JsonNode answer = new ObjectMapper().readTree(SimulatorClient.create().complete(r).text());

    assertThat(answer.get("total").isNumber()).isTrue();
    assertThat(answer.get("currency").asText()).isEqualTo("EUR");
    assertThat(answer.get("lines").get(0).isTextual()).isTrue();
  }
}
