package io.finops4j.springai;

import static io.finops4j.springai.ChatClientThroughFinops4jTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;

/** {@code ChatClient.stream()} through {@link Finops4jAdvisor} and {@link Finops4jChatModel} on {@code OpenAiChatModel}. */
class StreamingThroughFinops4jTest {

  private static final Attribution ACME = Attribution.builder().customer("acme").workflow("run-3").build();

  private final MockWebServer server = new MockWebServer();
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();
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

  private ChatClient client(String yaml) {
    llm = Finops4j.builder()
        .config(ConfigLoader.load(new ByteArrayInputStream(("finops4j:\n" + yaml).getBytes(StandardCharsets.UTF_8)),
            "test.yaml"))
        .listener(records::add)
        .build();
    // streamUsage: OpenAI sends the usage chunk only when asked (stream_options.include_usage)
    ChatModel model = Finops4jChatModel.wrap(OpenAiChatModel.builder()
        .openAiApi(OpenAiApi.builder().baseUrl(server.url("/").toString()).apiKey("test-key").build())
        .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o").streamUsage(true).build())
        .build(), llm);
    return ChatClient.builder(model).defaultAdvisors(new Finops4jAdvisor()).build();
  }

  @Test
  void aStreamIsOnePricedCallOfTheAdvisorsAttributionRecordedBeforeItCompletes() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-answer.txt")).build());
    ChatClient chat = client("  tasks: {}\n");

    List<String> deltas = chat.prompt().user("What is the weather in Shanghai?")
        .advisors(Finops4jAdvisor.spend("weather-stream", ACME))
        .stream().content()
        .doOnComplete(() -> assertThat(records).as("the row is written before the stream completes").hasSize(1))
        .collectList().block(Duration.ofSeconds(30));

    assertThat(String.join("", deltas)).isEqualTo("It is 24 degrees in Shanghai.");
    CallRecord r = records.get(0);
    assertThat(r.taskType()).isEqualTo("weather-stream");
    assertThat(r.attribution()).isEqualTo(ACME);
    assertThat(r.model()).isEqualTo(ModelId.parse("openai/gpt-4o"));
    assertThat(r.estimated()).isFalse();
    // 23 x 2.50 + 14 x 10.00 = 57.5 + 140 = 197.5 per 1M
    assertThat(r.costUsd()).isEqualByComparingTo("0.0001975");
    assertThat(server.takeRequest().getBody().utf8()).contains("include_usage");
  }

  @Test
  void aStreamedToolLoopIsOneCallPerRoundTrip() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-tool-call.txt")).build());
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-answer.txt")).build());
    ChatClientThroughFinops4jTest.WeatherTools tools = new ChatClientThroughFinops4jTest.WeatherTools();
    ChatClient chat = client("  tasks: {}\n");

    List<String> deltas = chat.prompt().user("What is the weather in Shanghai?").tools(tools)
        .advisors(Finops4jAdvisor.spend("weather-stream", ACME))
        .stream().content().collectList().block(Duration.ofSeconds(30));

    assertThat(String.join("", deltas)).isEqualTo("It is 24 degrees in Shanghai.");
    assertThat(tools.calls).hasValue(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
    server.takeRequest();
    assertThat(server.takeRequest().getBody().utf8()).contains("\"role\":\"tool\"");
    assertThat(records).extracting(CallRecord::attribution).containsExactly(ACME, ACME);
    // 91 x 2.50 + 14 x 10.00 = 367.5 per 1M; then 23 x 2.50 + 14 x 10.00 = 197.5 per 1M
    assertThat(records).extracting(CallRecord::costUsd).usingElementComparator(java.math.BigDecimal::compareTo)
        .containsExactly(new java.math.BigDecimal("0.0003675"), new java.math.BigDecimal("0.0001975"));
  }

  @Test
  void aRefusedStreamFailsWithTheBudgetsExceptionAndSendsNothing() {
    ChatClient chat = client("  budgets:\n    - { id: customer-day, scope: customer, limit: 0.05, period: day }\n");

    assertThatThrownBy(() -> chat.prompt().user("What is the weather in Shanghai?")
        .advisors(Finops4jAdvisor.spend(null, ACME)).stream().content().collectList().block(Duration.ofSeconds(30)))
        .isInstanceOf(BudgetExceededException.class).hasMessageContaining("customer-day");

    assertThat(server.getRequestCount()).isZero();
    assertThat(records).singleElement().extracting(CallRecord::outcome).isEqualTo(CallRecord.REJECTED_BUDGET);
  }
}
