package io.finops4j.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.spi.ProviderClient;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh {@link MockWebServer} per test for the provider client tests. A subclass's own {@code @BeforeEach} runs
 * after the server started and its {@code @AfterEach} (closing its client) before the server stops.
 */
abstract class ServerTest {

  static final String SSE = "text/event-stream; charset=utf-8";

  MockWebServer server;
  final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void startServer() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** An answer of {@code contentType}, with {@code header: value} when the header is not null. */
  static MockResponse answer(int code, String contentType, String header, String value, String body) {
    MockResponse.Builder b = new MockResponse.Builder().code(code).addHeader("Content-Type", contentType);
    if (header != null) {
      b.addHeader(header, value);
    }
    return b.body(body).build();
  }

  /** A client builder of {@code provider} (openai, anthropic, gemini, azure) pointed at the server. */
  ClientBuilder<?> clientBuilder(String provider) {
    String base = server.url("/").toString();
    return switch (provider) {
      case "openai" -> OpenAiClient.builder().apiKey(OpenAiClientTest.KEY).baseUrl(base + "v1");
      case "anthropic" -> AnthropicClient.builder().apiKey(AnthropicClientTest.KEY).baseUrl(base);
      case "gemini" -> GeminiClient.builder().apiKey(GeminiClientTest.KEY).baseUrl(base);
      default -> AzureOpenAiClient.builder().endpoint(base).apiKey(AzureOpenAiClientTest.KEY)
          .deployment("gpt-5-mini", "gpt-5-mini");
    };
  }

  /** Builds whichever client {@code b} builds. */
  static ProviderClient build(ClientBuilder<?> b) {
    if (b instanceof OpenAiClient.Builder o) {
      return o.build();
    }
    if (b instanceof AnthropicClient.Builder a) {
      return a.build();
    }
    return b instanceof GeminiClient.Builder g ? g.build() : ((AzureOpenAiClient.Builder) b).build();
  }
}
