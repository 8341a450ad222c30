package io.finops4j.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Llm;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import io.finops4j.spring.Finops4jBuilderCustomizer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/** The example over real HTTP: both endpoints, then the actuator's view of what they spent. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SupportApplicationTest {

  @LocalServerPort
  int port;

  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void classifiesRepliesAndReportsTheSpend() throws Exception {
    HttpResponse<String> classified = post("/tickets/classify", "{\"customer\":\"acme\",\"text\":\"I was charged twice\"}");
    assertThat(classified.statusCode()).isEqualTo(200);
    // 100 input x 0.25 USD/M + 20 output x 2.00 USD/M on the small tier's first model
    assertThat(classified.body()).contains("\"category\":\"billing\"", "\"model\":\"simulator/gpt-5-mini\"",
        "\"costUsd\":\"0.000065\"");

    HttpResponse<String> reply = post("/support/reply",
        "{\"customer\":\"acme\",\"user\":\"u-42\",\"message\":\"How do I export my data?\"}");
    assertThat(reply.statusCode()).isEqualTo(200);
    // claude-sonnet-4-6: 100 x 3.00 USD/M + 20 x 15.00 USD/M
    assertThat(reply.body()).contains("\"model\":\"simulator/claude-sonnet-4-6\"", "\"tier\":\"medium\"",
        "\"costUsd\":\"0.0006\"");

    HttpResponse<String> report = get("/actuator/finops4j");
    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(report.body())
        .contains("\"priceTableVersion\":\"2026-12-03\"")
        .contains("\"providers\":[\"simulator\"]")
        .contains("\"classification\":{\"tier\":\"small\"")
        .contains("{\"name\":\"support-chat\",\"calls\":1,\"costUsd\":\"0.0006\"}")
        .contains("{\"name\":\"ticket-triage\",\"calls\":1,\"costUsd\":\"0.000065\"}")
        .contains("{\"name\":\"simulator/gpt-5-mini\",\"calls\":1,\"costUsd\":\"0.000065\"}");

    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"finops4j\":{\"details\":{\"providers\":[\"simulator\"],"
        + "\"tiers\":[\"small\",\"medium\",\"large\"],\"tasks\":[\"classification\",\"support-reply\"],\"telemetry\":{\"status\":\"UP\"}},\"status\":\"UP\"}");
  }

  @Test
  void aRequestWithoutARequiredFieldIsA400ThatNamesIt() throws Exception {
    HttpResponse<String> r = post("/tickets/classify", "{\"customer\":\"acme\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("field 'text' is required");
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A scripted "simulator" so the test does not depend on the simulator's wording: the builder's
   * {@code provider(..)} replaces the configured provider of the same name.
   */
  @TestConfiguration(proxyBeanMethods = false)
  static class ScriptedSimulator {
    @Bean
    Finops4jBuilderCustomizer scriptedSimulator() {
      return builder -> builder.provider(new ProviderClient() {
        @Override
        public String name() {
          return "simulator";
        }

        @Override
        public ProviderResponse complete(ProviderRequest request) {
          String text = request.model().equals("gpt-5-mini") ? "billing" : "Open Settings, then Export.";
          return new ProviderResponse(text, request.model(), Usage.of(100, 20), "stop", "req-1");
        }

        @Override
        public ProviderResponse stream(ProviderRequest request, Llm.TextListener listener) {
          ProviderResponse r = complete(request);
          listener.onText(r.text());
          return r;
        }
      }).clock(Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC));
    }
  }
}
