package com.example.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.core.ConfigLoader;
import io.finops4j.springai.Finops4jAdvisor;
import io.finops4j.springai.Finops4jChatModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.tool.annotation.Tool;

/**
 * Spring AI 2.0's {@code ChatClient} with a tool and {@link Finops4jAdvisor}, on its {@code OpenAiChatModel} (the
 * OpenAI Java SDK underneath) against a MockWebServer that speaks OpenAI's Chat Completions, the model wrapped by
 * {@link Finops4jChatModel}. On 2.0 the client's {@code ToolCallingAdvisor} runs the tool loop, calling the model once
 * per round trip. Fixtures: {@code src/test/resources/openai} (sources in its README).
 */
class ChatClientOnSpringAi2Test {

  static final class WeatherTools {
    final AtomicInteger calls = new AtomicInteger();

    @Tool(description = "Get current temperature for a given location.")
    String get_weather(String location) {
      calls.incrementAndGet();
      return "{\"location\":\"" + location + "\",\"temperature_c\":24,\"sky\":\"sunny\"}";
    }
  }

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
  void stop() {
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

  private OpenAiChatModel openAi() {
    return OpenAiChatModel.builder()
        .options(OpenAiChatOptions.builder().model("gpt-4o").baseUrl(server.url("/v1").toString()).apiKey("test-key")
            .build())
        .build();
  }

  private String ask(ChatModel model) {
    return ChatClient.builder(model).defaultAdvisors(new Finops4jAdvisor()).build()
        .prompt().user("What is the weather in Shanghai?").tools(tools)
        .advisors(Finops4jAdvisor.spend("weather-agent", RUN))
        .call().content();
  }

  @Test
  void eachRoundTripOfTheToolLoopIsOnePricedLedgerRowOfTheAdvisorsAttribution() throws Exception {
    server.enqueue(json("tool-call.json"));
    server.enqueue(json("final-answer.json"));
    ChatModel model = Finops4jChatModel.builder(openAi(), llm("  tasks: {}\n"))
        .attribution(Attribution.builder().feature("weather").build()).build();

    String answer = ask(model);

    assertThat(answer).isEqualTo("It is 24 degrees and sunny in Shanghai.");
    assertThat(tools.calls).hasValue(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
    String first = server.takeRequest().getBody().utf8();
    assertThat(first).contains("\"get_weather\"").doesNotContain("max_tokens");   // the request is Spring AI's own
    assertThat(server.takeRequest().getBody().utf8())
        .contains("\"role\":\"tool\"").contains("call_qOfTGgDrItLORNfC6VwUbyLL");

    assertThat(records).hasSize(2).allSatisfy(r -> {
      assertThat(r.outcome()).isEqualTo(CallRecord.OK);
      assertThat(r.taskType()).isEqualTo("weather-agent");          // from the advisor
      assertThat(r.attribution()).isEqualTo(Attribution.builder().customer("acme").feature("weather")
          .workflow("run-1").build());                              // the advisor's, the decorator's feature
      assertThat(r.model()).isEqualTo(ModelId.parse("openai/gpt-4o"));
      assertThat(r.estimated()).isFalse();
    });
    // round 1 (tool call): 91 x 2.50 + 14 x 10.00 = 227.5 + 140 = 367.5 per 1M
    assertThat(records.get(0).costUsd()).isEqualByComparingTo("0.0003675");
    // round 2 (answer): (1180 - 1024) x 2.50 + 1024 x 1.25 + 25 x 10.00 = 390 + 1280 + 250 = 1920 per 1M
    assertThat(records.get(1).costUsd()).isEqualByComparingTo("0.00192");
    assertThat(records.get(1).usage().cachedInputTokens()).isEqualTo(1024);
  }

  @Test
  void aWorkflowCapOfThreeCallsStopsAToolLoopThatWouldMakeTen() {
    for (int i = 0; i < 9; i++) {
      server.enqueue(json("tool-call.json"));
    }
    server.enqueue(json("final-answer.json"));
    ChatModel model = Finops4jChatModel.wrap(openAi(), llm("  workflow-caps: { max-calls: 3 }\n"));

    assertThatThrownBy(() -> ask(model))
        .isInstanceOf(CostCapExceededException.class)
        .hasMessageContaining("workflow run-1 reached its cap of 3 calls");

    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(tools.calls).hasValue(3);
    assertThat(records).extracting(CallRecord::outcome)
        .containsExactly(CallRecord.OK, CallRecord.OK, CallRecord.OK, CallRecord.REJECTED_CAP);
  }

  @Test
  void aBudgetRefusalSurfacesFromTheChatClientBeforeAnyRequest() {
    server.enqueue(json("final-answer.json"));
    // a gpt-4o call may cost up to 16384 output tokens x 10.00 per 1M = 0.16 USD: more than the day's 0.05
    ChatModel model = Finops4jChatModel.wrap(openAi(),
        llm("  budgets:\n    - { id: customer-day, scope: customer, limit: 0.05, period: day }\n"));

    assertThatThrownBy(() -> ask(model))
        .isInstanceOfSatisfying(BudgetExceededException.class, e -> assertThat(e.getMessage())
            .contains("customer-day").contains("acme"));

    assertThat(server.getRequestCount()).isZero();
    assertThat(records).singleElement().extracting(CallRecord::outcome).isEqualTo(CallRecord.REJECTED_BUDGET);
  }

  @Test
  void aCostCapClampsTheMaxTokensTheWrappedModelSends() throws Exception {
    server.enqueue(json("final-answer.json"));
    ChatModel model = Finops4jChatModel.builder(openAi(), llm("  tasks: {}\n"))
        .maxCostPerCall(new java.math.BigDecimal("0.01")).build();

    ask(model);

    // 0.01 USD at 10.00 per 1M output tokens is at most 1000 tokens, less the input's share: Spring AI 2.0's
    // OpenAI model sends the ceiling as max_completion_tokens or max_tokens
    String body = server.takeRequest().getBody().utf8();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"max_(?:completion_)?tokens\":(\\d+)").matcher(body);
    assertThat(m.find()).as(body).isTrue();
    assertThat(Integer.parseInt(m.group(1))).isPositive().isLessThan(1000);
  }

  static MockResponse json(String fixture) {
    try (InputStream in = ChatClientOnSpringAi2Test.class.getResourceAsStream("/openai/" + fixture)) {
      return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
          .body(new String(in.readAllBytes(), StandardCharsets.UTF_8)).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
