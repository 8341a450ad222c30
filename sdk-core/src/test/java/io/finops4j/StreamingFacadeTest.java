package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionStream;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.providers.AnthropicClient;
import io.finops4j.routing.RoutingPolicy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pull-stream facade end to end: the engine, a real Anthropic client, real HTTP. */
class StreamingFacadeTest {

  static final ModelPrice HAIKU = new ModelPrice(new BigDecimal("1.00"), new BigDecimal("0.10"),
      new BigDecimal("1.25"), new BigDecimal("2.00"), new BigDecimal("5.00"), null, 0, null, 64000, null, null);

  MockWebServer server;
  OkHttpClient http;
  final List<CallRecord> records = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    server = new MockWebServer();
    server.start();
    http = new OkHttpClient();
  }

  @AfterEach
  void stop() {
    server.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  Llm llm() {
    return Finops4j.builder()
        .provider(AnthropicClient.builder().apiKey("sk-ant-test").baseUrl(server.url("/").toString())
            .httpClient(http).build())
        .policy(RoutingPolicy.builder().tier("small", "anthropic/claude-haiku-4-5").task("chat", "small").build())
        .price("anthropic/claude-haiku-4-5", HAIKU)
        .maxRetries(0)
        .listener(records::add)
        .build();
  }

  static String event(String type, String data) {
    return "event: " + type + "\ndata: " + data + "\n\n";
  }

  static String start() {
    return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-haiku-4-5-20251001\",\"stop_reason\":null,"
        + "\"usage\":{\"input_tokens\":30,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":2000,"
        + "\"output_tokens\":1}}}")
        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"text\",\"text\":\"\"}}");
  }

  static String delta(String text) {
    return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
        + "\"text_delta\",\"text\":\"" + text + "\"}}");
  }

  static String end(int outputTokens) {
    return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
        + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
        + "\"usage\":{\"output_tokens\":" + outputTokens + "}}")
        + event("message_stop", "{\"type\":\"message_stop\"}");
  }

  static MockResponse sse(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
  }

  @Test
  void deltasArriveInOrderAndTheCompletionHasExactUsageAndCost() {
    server.enqueue(sse(start() + delta("Your ") + delta("refund ") + delta("is on its way.") + end(12)));
    List<String> deltas = new ArrayList<>();
    Completion c;

    try (Llm llm = llm();
        CompletionStream s = llm.stream("chat", Prompt.of("Where is my refund?"), Attribution.of("acme", "chat"))) {
      for (String d : s) {
        deltas.add(d);
      }
      c = s.completion();
    }

    assertThat(deltas).containsExactly("Your ", "refund ", "is on its way.");
    assertThat(c.text()).isEqualTo("Your refund is on its way.");
    assertThat(c.usage().inputTokens()).isEqualTo(2030);
    assertThat(c.usage().cachedInputTokens()).isEqualTo(2000);
    assertThat(c.usage().outputTokens()).isEqualTo(12);
    assertThat(c.usage().estimated()).isFalse();
    assertThat(c.costUsd()).isEqualByComparingTo("0.000290"); // 30 x 1 + 2000 x 0.10 + 12 x 5 per 1M
    assertThat(records).singleElement().satisfies(r -> assertThat(r.costUsd()).isEqualByComparingTo("0.000290"));
    // a completed stream leaves its connection in the pool for reuse
    assertThat(http.connectionPool().connectionCount()).isEqualTo(1);
  }

  @Test
  void closingMidStreamCutsTheConnectionAndChargesAnEstimate() {
    StringBuilder body = new StringBuilder(start());
    for (int i = 0; i < 40; i++) {
      body.append(delta("word" + i + " "));
    }
    body.append(end(80));
    // slow enough that the whole answer cannot have arrived when the reader closes after the first delta
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(body.toString()).throttleBody(256, 20, TimeUnit.MILLISECONDS).build());
    String first;
    CompletionStream s;

    try (Llm llm = llm()) {
      s = llm.stream("chat", Prompt.of("Tell me a long story"), Attribution.of("acme", "chat"));
      Iterator<String> it = s.iterator();
      first = it.next();
      s.close();
      assertThat(it.hasNext()).isFalse();
      ProviderException e = catchThrowableOfType(ProviderException.class, s::completion);

      assertThat(e.errorCode()).isEqualTo("cancelled");
      assertThat(e.retryable()).isFalse();
      Usage partial = e.partialUsage();
      assertThat(partial.estimated()).isTrue();
      assertThat(partial.outputTokens()).isPositive();
      assertThat(partial.inputTokens()).isPositive();
      assertThat(e.partialCostUsd()).isEqualByComparingTo(HAIKU.cost(partial)).isPositive();
      assertThat(records).singleElement().satisfies(r -> {
        assertThat(r.outcome()).isEqualTo(CallRecord.ERROR);
        assertThat(r.errorType()).isEqualTo("cancelled");
        assertThat(r.estimated()).isTrue();
        assertThat(r.costUsd()).isEqualByComparingTo(e.partialCostUsd());
      });
    }
    assertThat(first).isEqualTo("word0 ");
    // the cancelled connection was closed, not returned to the pool
    assertThat(http.connectionPool().connectionCount()).isZero();
  }

  @Test
  void streamCutAfterDeltasFailsAndIsChargedAnEstimate() {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(start() + delta("Half an ") + delta("answer")).onResponseEnd(new SocketEffect.CloseSocket()).build());
    List<String> deltas = new ArrayList<>();

    try (Llm llm = llm();
        CompletionStream s = llm.stream("chat", Prompt.of("q"), Attribution.of("acme", "chat"))) {
      assertThatThrownBy(() -> s.forEach(deltas::add)).isInstanceOf(ProviderException.class)
          .hasMessageContaining("stream_truncated");
      ProviderException e = catchThrowableOfType(ProviderException.class, s::completion);
      assertThat(e.partialUsage().estimated()).isTrue();
      assertThat(e.partialCostUsd()).isPositive();
    }
    assertThat(deltas).containsExactly("Half an ", "answer");
    assertThat(records).singleElement().satisfies(r -> assertThat(r.estimated()).isTrue());
  }

  @Test
  void failureBeforeAnyDeltaSurfacesFromTheIterationWithNothingCharged() {
    server.enqueue(new MockResponse.Builder().code(400).addHeader("Content-Type", "application/json")
        .body("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"}}").build());

    try (Llm llm = llm();
        CompletionStream s = llm.stream("chat", Prompt.of("q"), Attribution.of("acme", "chat"))) {
      ProviderException e = catchThrowableOfType(ProviderException.class, () -> s.iterator().hasNext());
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.partialUsage()).isNull();
    }
    assertThat(records).singleElement().satisfies(r -> assertThat(r.costUsd()).isZero());
  }
}
