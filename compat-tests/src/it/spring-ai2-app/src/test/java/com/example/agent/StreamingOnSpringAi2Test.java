package com.example.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * Spring AI 2.0's {@code ChatClient} streaming through {@link Finops4jChatModel} on its {@code OpenAiChatModel},
 * against a MockWebServer sending OpenAI's {@code chat.completion.chunk} events. Fixtures: {@code
 * src/test/resources/openai} (sources in its README).
 */
class StreamingOnSpringAi2Test {

  private static final Attribution ACME = Attribution.builder().customer("acme").build();

  private final MockWebServer server = new MockWebServer();
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();
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

  private ChatClient client(String yaml) {
    llm = Finops4j.builder()
        .config(ConfigLoader.load(new ByteArrayInputStream(("finops4j:\n" + yaml).getBytes(StandardCharsets.UTF_8)),
            "test.yaml"))
        .listener(records::add)
        .build();
    // streamUsage: OpenAI sends the usage chunk only when asked (stream_options.include_usage)
    OpenAiChatModel openAi = OpenAiChatModel.builder()
        .options(OpenAiChatOptions.builder().model("gpt-4o").streamUsage(true).baseUrl(server.url("/v1").toString())
            .apiKey("test-key").build())
        .build();
    return ChatClient.builder(Finops4jChatModel.wrap(openAi, llm)).defaultAdvisors(new Finops4jAdvisor()).build();
  }

  @Test
  void aStreamedToolLoopIsOnePricedCallPerRoundTrip() throws Exception {
    server.enqueue(sse("stream-tool-call.txt"));
    server.enqueue(sse("stream-answer.txt"));
    ChatClientOnSpringAi2Test.WeatherTools tools = new ChatClientOnSpringAi2Test.WeatherTools();
    ChatClient chat = client("  tasks: {}\n");

    List<String> deltas = chat.prompt().user("What is the weather in Shanghai?").tools(tools)
        .advisors(Finops4jAdvisor.spend("weather-stream", ACME))
        .stream().content().collectList().block();

    assertThat(String.join("", deltas)).isEqualTo("It is 24 degrees in Shanghai.");
    assertThat(tools.calls).hasValue(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(server.takeRequest().getBody().utf8()).contains("include_usage");
    assertThat(server.takeRequest().getBody().utf8()).contains("\"role\":\"tool\"");
    assertThat(records).allSatisfy(r -> {
      assertThat(r.outcome()).isEqualTo(CallRecord.OK);
      assertThat(r.taskType()).isEqualTo("weather-stream");
      assertThat(r.attribution()).isEqualTo(ACME);
      assertThat(r.model()).isEqualTo(ModelId.parse("openai/gpt-4o"));
      assertThat(r.estimated()).isFalse();
    });
    // 91 x 2.50 + 14 x 10.00 = 367.5 per 1M; then 23 x 2.50 + 14 x 10.00 = 197.5 per 1M
    assertThat(records).extracting(CallRecord::costUsd).usingElementComparator(BigDecimal::compareTo)
        .containsExactly(new BigDecimal("0.0003675"), new BigDecimal("0.0001975"));
  }

  @Test
  void aRefusedStreamFailsWithTheBudgetsExceptionAndSendsNothing() {
    server.enqueue(sse("stream-answer.txt"));
    ChatClient chat = client("  budgets:\n    - { id: customer-day, scope: customer, limit: 0.05, period: day }\n");

    assertThatThrownBy(() -> chat.prompt().user("What is the weather in Shanghai?")
        .advisors(Finops4jAdvisor.spend(null, ACME)).stream().content().collectList().block())
        .isInstanceOf(BudgetExceededException.class);

    assertThat(server.getRequestCount()).isZero();
    assertThat(records).singleElement().extracting(CallRecord::outcome).isEqualTo(CallRecord.REJECTED_BUDGET);
  }

  static MockResponse sse(String fixture) {
    try (InputStream in = StreamingOnSpringAi2Test.class.getResourceAsStream("/openai/" + fixture)) {
      return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
          .body(new String(in.readAllBytes(), StandardCharsets.UTF_8)).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
