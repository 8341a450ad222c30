package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * finops4j inside a stock Spring Boot application: Boot's dependency management decides every shared library's
 * version (OpenTelemetry, Micrometer, Jackson, Caffeine), the provider is OpenAI's wire format on MockWebServer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShopApplicationTest {

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

  static final MockWebServer OPENAI = start();
  static final ObjectMapper JSON = new ObjectMapper(); // finops4j's Jackson 2, present on Boot 3.5 and 4.0 alike

  @DynamicPropertySource
  static void openAi(DynamicPropertyRegistry registry) {
    registry.add("finops4j.providers.openai.base-url", () -> OPENAI.url("/v1").toString());
  }

  @AfterAll
  static void stop() {
    OPENAI.close();
  }

  @Autowired Llm llm;
  @Value("${local.server.port}") int port;

  @Test
  void aCallIsPricedExactlyAndShowsInTheActuator() throws Exception {
    OPENAI.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .addHeader("x-request-id", "req_boot").body(RECORDED).build());

    Completion c = llm.complete("classification", Prompt.of("My invoice is wrong"),
        Attribution.of("acme", "support"));

    // gpt-4o-mini: 0.15 USD per 1M input, 0.60 per 1M output.
    // 54 x 0.15 / 1e6 = 0.0000081; 79 x 0.60 / 1e6 = 0.0000474; total 0.0000555 USD
    assertThat(c.text()).isEqualTo("billing");
    assertThat(c.model().qualified()).isEqualTo("openai/gpt-4o-mini");
    assertThat(c.costUsd()).isEqualByComparingTo(new BigDecimal("0.0000555"));

    JsonNode finops4j = JSON.readTree(get("/actuator/health")).path("components").path("finops4j");
    assertThat(finops4j.path("status").asText()).isEqualTo("UP");
    assertThat(finops4j.path("details").path("telemetry").path("status").asText()).isEqualTo("UP");
    JsonNode endpoint = JSON.readTree(get("/actuator/finops4j"));
    assertThat(endpoint.path("budgets").get(0).path("id").asText()).isEqualTo("capped-customer");
    assertThat(endpoint.path("spendToday").path("byModel").toString()).contains("openai/gpt-4o-mini");
    String prometheus = get("/actuator/prometheus");
    assertThat(prometheus).contains("finops4j_calls_total").contains("task=\"classification\"");
    // the call is one Micrometer Observation named as Spring AI names its chat calls: GenAI dashboards see it
    assertThat(prometheus).contains("gen_ai_client_operation_seconds_count").contains("gen_ai_client_token_usage");
  }

  @Test
  void aBudgetRefusesBeforeAnyNetworkCallAndSaysWhich() {
    int before = OPENAI.getRequestCount();
    assertThatThrownBy(() -> llm.complete("classification", Prompt.of("Where is my order?"),
        Attribution.of("capped", "support")))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("capped-customer").hasMessageContaining("limit 0.000010 USD")
        .hasMessageContaining("resets at");
    assertThat(OPENAI.getRequestCount()).isEqualTo(before);
  }

  @Test
  void aRequestsTenantHeaderIsWhoItsCallsAreSpentOn() throws Exception {
    int before = OPENAI.getRequestCount();
    HttpResponse<String> refused = post("/triage", "capped", "Where is my order?");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("capped-customer");
    assertThat(OPENAI.getRequestCount()).isEqualTo(before); // refused before the network

    OPENAI.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(RECORDED).build());
    HttpResponse<String> answered = post("/triage", "acme", "My invoice is wrong");
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(answered.body()).contains("\"label\":\"billing\"").contains("0.0000555");
  }

  private HttpResponse<String> post(String path, String tenant, String body) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("X-Tenant-Id", tenant)
            .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  private static MockWebServer start() {
    MockWebServer server = new MockWebServer();
    try {
      server.start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return server;
  }
}
