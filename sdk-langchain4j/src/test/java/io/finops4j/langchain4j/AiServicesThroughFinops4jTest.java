package io.finops4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's {@code AiServices} with a tool, on {@code OpenAiChatModel} against a MockWebServer that speaks OpenAI's
 * Chat Completions, with the model wrapped by {@link Finops4jChatModel}: as a team that already uses LangChain4j would
 * adopt finops4j. Fixtures: {@code src/test/resources/openai} (sources in its README).
 */
class AiServicesThroughFinops4jTest {

  interface Assistant {
    String chat(String message);
  }

  static final class WeatherTools {
    final AtomicInteger calls = new AtomicInteger();

    @Tool("Get current temperature for a given location.")
    String get_weather(String location) {
      calls.incrementAndGet();
      return "{\"location\":\"" + location + "\",\"temperature_c\":24,\"sky\":\"sunny\"}";
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Attribution RUN = Attribution.builder().customer("acme").workflow("run-1").build();

  private final MockWebServer server = new MockWebServer();
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();
  private final WeatherTools tools = new WeatherTools();
  private Llm llm;

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    if (llm != null) {
      llm.close();
    }
    server.close();
  }

  private Llm llm(String yaml) {
    llm = Finops4j.builder()
        .config(ConfigLoader.load(new ByteArrayInputStream(("finops4j:\n" + yaml).getBytes(StandardCharsets.UTF_8)),
            "test.yaml"))
        .listener(records::add)
        .build();
    return llm;
  }

  private ChatModel openAi() {
    return OpenAiChatModel.builder().baseUrl(server.url("/v1").toString()).apiKey("test-key").modelName("gpt-4o")
        .maxRetries(0).build();
  }

  private Assistant assistant(ChatModel model) {
    return AiServices.builder(Assistant.class).chatModel(model).tools(tools)
        .chatMemory(MessageWindowChatMemory.withMaxMessages(50)).build();
  }

  @Test
  void eachRoundTripOfTheToolLoopIsOnePricedLedgerRowOfTheScope() throws Exception {
    server.enqueue(json("tool-call.json"));
    server.enqueue(json("final-answer.json"));
    ChatModel model = Finops4jChatModel.builder(openAi(), llm("  tasks: {}\n"))
        .taskType("weather-agent").attribution(Attribution.builder().feature("weather").build()).build();

    String answer;
    try (Attribution.Scope s = RUN.makeCurrent()) {
      answer = assistant(model).chat("What is the weather in Shanghai?");
    }

    assertThat(answer).isEqualTo("It is 24 degrees and sunny in Shanghai.");
    assertThat(tools.calls).hasValue(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
    // without budgets or caps, the request is the framework's own: no output ceiling added
    assertThat(JSON.readTree(server.takeRequest().getBody().utf8()).has("max_tokens")).isFalse();
    JsonNode second = JSON.readTree(server.takeRequest().getBody().utf8());
    JsonNode toolResult = second.get("messages").get(2);
    assertThat(toolResult.get("role").asText()).isEqualTo("tool");
    assertThat(toolResult.get("tool_call_id").asText()).isEqualTo("call_qOfTGgDrItLORNfC6VwUbyLL");
    assertThat(toolResult.get("content").asText()).contains("sunny");

    assertThat(records).hasSize(2).allSatisfy(r -> {
      assertThat(r.outcome()).isEqualTo(CallRecord.OK);
      assertThat(r.taskType()).isEqualTo("weather-agent");
      // the scope's customer and workflow, the decorator's default feature
      assertThat(r.attribution()).isEqualTo(Attribution.builder().customer("acme").feature("weather")
          .workflow("run-1").build());
      // gpt-4o-2024-08-06, as the response names it, is priced as openai/gpt-4o: 2.50 in, 1.25 cached, 10.00 out
      assertThat(r.model()).isEqualTo(ModelId.parse("openai/gpt-4o"));
      assertThat(r.estimated()).isFalse();
    });
    // round 1 (tool call): 91 x 2.50 + 14 x 10.00 = 227.5 + 140 = 367.5 per 1M
    assertThat(records.get(0).costUsd()).isEqualByComparingTo("0.0003675");
    assertThat(records.get(0).usage().inputTokens()).isEqualTo(91);
    // round 2 (answer): (1180 - 1024) x 2.50 + 1024 x 1.25 + 25 x 10.00 = 390 + 1280 + 250 = 1920 per 1M
    assertThat(records.get(1).costUsd()).isEqualByComparingTo("0.00192");
    assertThat(records.get(1).usage().cachedInputTokens()).isEqualTo(1024);
  }

  @Test
  void aWorkflowCapOfThreeCallsStopsAnAgentLoopThatWouldMakeTen() {
    for (int i = 0; i < 9; i++) {
      server.enqueue(json("tool-call.json"));   // the model keeps asking for the tool: a runaway loop
    }
    server.enqueue(json("final-answer.json"));
    ChatModel model = Finops4jChatModel.wrap(openAi(), llm("  workflow-caps: { max-calls: 3 }\n"));

    try (Attribution.Scope s = RUN.makeCurrent()) {
      Assistant assistant = assistant(model);
      assertThatThrownBy(() -> assistant.chat("What is the weather in Shanghai?"))
          .isInstanceOf(CostCapExceededException.class)
          .hasMessageContaining("workflow run-1 reached its cap of 3 calls");
    }

    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(tools.calls).hasValue(3);
    assertThat(records).extracting(CallRecord::outcome)
        .containsExactly(CallRecord.OK, CallRecord.OK, CallRecord.OK, CallRecord.REJECTED_CAP);
  }

  @Test
  void aBudgetRefusalSurfacesFromTheAiServiceBeforeAnyRequest() {
    server.enqueue(json("final-answer.json"));
    // a gpt-4o call may cost up to 16384 output tokens x 10.00 per 1M = 0.16 USD: more than the day's 0.05
    ChatModel model = Finops4jChatModel.wrap(openAi(),
        llm("  budgets:\n    - { id: customer-day, scope: customer, limit: 0.05, period: day }\n"));

    try (Attribution.Scope s = RUN.makeCurrent()) {
      Assistant assistant = assistant(model);
      assertThatThrownBy(() -> assistant.chat("What is the weather in Shanghai?"))
          .isInstanceOfSatisfying(BudgetExceededException.class, e -> assertThat(e.getMessage())
              .contains("customer-day").contains("acme"));
    }

    assertThat(server.getRequestCount()).isZero();
    assertThat(records).singleElement().extracting(CallRecord::outcome).isEqualTo(CallRecord.REJECTED_BUDGET);
  }

  @Test
  void aBudgetAloneSendsNoCeilingTheModelDoesNotAlreadyHave() throws Exception {
    server.enqueue(json("final-answer.json"));
    // the budget reserves for gpt-4o's own ceiling (16384 output tokens): the request needs no max_tokens for that,
    // and OpenAI's reasoning models would refuse one
    ChatModel model = Finops4jChatModel.wrap(openAi(),
        llm("  budgets:\n    - { id: customer-day, scope: customer, limit: 5.00, period: day }\n"));

    try (Attribution.Scope s = RUN.makeCurrent()) {
      assistant(model).chat("What is the weather in Shanghai?");
    }

    assertThat(JSON.readTree(server.takeRequest().getBody().utf8()).has("max_tokens")).isFalse();
    assertThat(llm.budgets().usage(RUN)).singleElement()
        .satisfies(u -> assertThat(u.spent()).isEqualByComparingTo("0.00192"));
  }

  @Test
  void aCostCapClampsTheOutputCeilingTheWrappedModelSends() throws Exception {
    server.enqueue(json("final-answer.json"));
    // the worst case must fit 0.01 USD: the output ceiling is clamped below gpt-4o's 16384 and sent as max_tokens
    ChatModel model = Finops4jChatModel.builder(openAi(), llm("  tasks: {}\n"))
        .maxCostPerCall(new BigDecimal("0.01")).build();

    assistant(model).chat("What is the weather in Shanghai?");

    int maxTokens = JSON.readTree(server.takeRequest().getBody().utf8()).get("max_tokens").asInt();
    // 0.01 USD at 10.00 per 1M output tokens is at most 1000 tokens, less the input's share
    assertThat(maxTokens).isPositive().isLessThan(1000);
    assertThat(records).singleElement().extracting(CallRecord::outcome).isEqualTo(CallRecord.OK);
  }

  static MockResponse json(String fixture) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(fixture(fixture)).build();
  }

  static String fixture(String name) {
    // a bare name is one of the OpenAI fixtures; else a path under the test resources
    String path = name.contains("/") ? "/" + name : "/openai/" + name;
    try (InputStream in = AiServicesThroughFinops4jTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
