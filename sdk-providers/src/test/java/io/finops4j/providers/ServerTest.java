package io.finops4j.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
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
}
