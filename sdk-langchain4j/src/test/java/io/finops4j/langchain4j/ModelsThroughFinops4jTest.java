package io.finops4j.langchain4j;

import static io.finops4j.langchain4j.AiServicesThroughFinops4jTest.fixture;
import static io.finops4j.langchain4j.AiServicesThroughFinops4jTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The streaming decorator on {@code OpenAiStreamingChatModel}, and Anthropic's cache usage on {@code AnthropicChatModel}. */
class ModelsThroughFinops4jTest {

  private static final Attribution ACME = Attribution.of("acme", "support-chat");

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

  private Llm llm(String yaml) {
    llm = Finops4j.builder()
        .config(ConfigLoader.load(new ByteArrayInputStream(("finops4j:\n" + yaml).getBytes(StandardCharsets.UTF_8)),
            "test.yaml"))
        .listener(records::add)
        .build();
    return llm;
  }

  private StreamingChatModel openAiStreaming() {
    return OpenAiStreamingChatModel.builder().baseUrl(server.url("/v1").toString()).apiKey("test-key")
        .modelName("gpt-4o").build();
  }

  /** Collects what a caller's handler sees. */
  static final class Collector implements StreamingChatResponseHandler {
    final List<String> partials = new CopyOnWriteArrayList<>();
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    /** The ledger rows written when onCompleteResponse was called. */
    volatile int rowsAtCompletion = -1;
    private final List<CallRecord> records;

    Collector(List<CallRecord> records) {
      this.records = records;
    }

    @Override public void onPartialResponse(String partial) { partials.add(partial); }
    @Override public void onCompleteResponse(ChatResponse response) {
      rowsAtCompletion = records.size();
      done.complete(response);
    }
    @Override public void onError(Throwable error) { done.completeExceptionally(error); }
  }

  @Test
  void aStreamedCallHandsOverEveryDeltaAndIsPricedFromTheFinalUsageChunk() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-answer.txt")).build());
    StreamingChatModel model = Finops4jStreamingChatModel.wrap(openAiStreaming(), llm("  tasks: {}\n"));
    Collector handler = new Collector(records);

    try (Attribution.Scope s = ACME.makeCurrent()) {
      model.chat("What is the weather in Shanghai?", handler);
    }
    ChatResponse response = handler.done.get(30, TimeUnit.SECONDS);

    assertThat(String.join("", handler.partials)).isEqualTo("It is 24 degrees in Shanghai.");
    assertThat(response.aiMessage().text()).isEqualTo("It is 24 degrees in Shanghai.");
    assertThat(response.metadata().tokenUsage().inputTokenCount()).isEqualTo(23);
    // the row is written before the caller hears the end
    assertThat(handler.rowsAtCompletion).isEqualTo(1);
    CallRecord r = records.get(0);
    assertThat(r.attribution()).isEqualTo(ACME);    // the scope of the caller, captured when chat() was called
    assertThat(r.model()).isEqualTo(ModelId.parse("openai/gpt-4o"));
    // 23 x 2.50 + 14 x 10.00 = 57.5 + 140 = 197.5 per 1M
    assertThat(r.costUsd()).isEqualByComparingTo("0.0001975");
    assertThat(server.takeRequest().getBody().utf8()).contains("include_usage");
  }

  interface StreamingAssistant {
    dev.langchain4j.service.TokenStream chat(String message);
  }

  @Test
  void aStreamingAiServiceToolLoopIsOneCallPerRoundTripAllSpentOnTheCallersScope() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-tool-call.txt")).build());
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-answer.txt")).build());
    AiServicesThroughFinops4jTest.WeatherTools tools = new AiServicesThroughFinops4jTest.WeatherTools();
    StreamingAssistant assistant = dev.langchain4j.service.AiServices.builder(StreamingAssistant.class)
        .streamingChatModel(Finops4jStreamingChatModel.wrap(openAiStreaming(), llm("  tasks: {}\n")))
        .tools(tools).build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    try (Attribution.Scope s = ACME.makeCurrent()) {
      assistant.chat("What is the weather in Shanghai?")
          .onPartialResponse(p -> { })
          .onCompleteResponse(done::complete)
          .onError(done::completeExceptionally)
          .start();
    }
    ChatResponse response = done.get(30, TimeUnit.SECONDS);

    assertThat(response.aiMessage().text()).isEqualTo("It is 24 degrees in Shanghai.");
    assertThat(tools.calls).hasValue(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
    // the second round trip starts on finops4j's thread, inside the first call's scope: the same attribution
    assertThat(records).extracting(CallRecord::attribution).containsExactly(ACME, ACME);
    // 91 x 2.50 + 14 x 10.00 = 367.5 per 1M; then 23 x 2.50 + 14 x 10.00 = 197.5 per 1M
    assertThat(records).extracting(CallRecord::costUsd)
        .usingElementComparator(java.math.BigDecimal::compareTo)
        .containsExactly(new java.math.BigDecimal("0.0003675"), new java.math.BigDecimal("0.0001975"));
  }

  @Test
  void aRefusedStreamedCallReachesOnErrorWithoutARequest() throws Exception {
    StreamingChatModel model = Finops4jStreamingChatModel.builder(openAiStreaming(),
        llm("  budgets:\n    - { id: customer-day, scope: customer, limit: 0.05, period: day }\n"))
        .attribution(ACME).build();
    Collector handler = new Collector(records);

    model.chat("What is the weather in Shanghai?", handler);
    Throwable error = handler.done.handle((ok, e) -> e).get(30, TimeUnit.SECONDS);

    assertThat(error).isInstanceOf(BudgetExceededException.class).hasMessageContaining("customer-day");
    assertThat(server.getRequestCount()).isZero();
    assertThat(records).singleElement().extracting(CallRecord::outcome).isEqualTo(CallRecord.REJECTED_BUDGET);
  }

  @Test
  void anthropicCacheReadsArePricedAtTheCacheRate() {
    server.enqueue(json("anthropic/message-cache-read.json"));
    ChatModel model = Finops4jChatModel.wrap(AnthropicChatModel.builder().baseUrl(server.url("/v1/").toString())
        .apiKey("test-key").modelName("claude-haiku-4-5").maxRetries(0).build(), llm("  tasks: {}\n"));

    ChatResponse response = model.chat(dev.langchain4j.model.chat.request.ChatRequest.builder()
        .messages(dev.langchain4j.data.message.UserMessage.from("I was charged twice")).build());

    assertThat(response.aiMessage().text()).isEqualTo("Billing: double charge.");
    CallRecord r = records.get(0);
    assertThat(r.model()).isEqualTo(ModelId.parse("anthropic/claude-haiku-4-5"));
    // Anthropic's input_tokens exclude cache reads: 25 + 4100 = 4125 input tokens, 4100 of them read from the cache
    assertThat(r.usage().inputTokens()).isEqualTo(4125);
    assertThat(r.usage().cachedInputTokens()).isEqualTo(4100);
    // 25 x 1.00 + 4100 x 0.10 + 15 x 5.00 = 25 + 410 + 75 = 510 per 1M
    assertThat(r.costUsd()).isEqualByComparingTo("0.000510");
  }
}
