package io.finops4j.examples.frameworks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A stand-in for OpenAI's Chat Completions on 127.0.0.1, so that the framework examples run offline: it asks for the
 * {@code get_weather} tool first, and answers once the request carries the tool's result. The responses have the
 * shape and usage objects of real {@code gpt-4o} responses (see {@code sdk-langchain4j/src/test/resources/openai}).
 * With {@code OPENAI_API_KEY} set, the examples call OpenAI instead.
 */
final class FakeOpenAi implements AutoCloseable {

  private static final Pattern TOOL_RESULT = Pattern.compile("\"role\"\\s*:\\s*\"tool\"");

  private static final String TOOL_CALL = """
      {"id":"chatcmpl-1","object":"chat.completion","created":1748496646,"model":"gpt-4o-2024-08-06",
       "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
         "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"Shanghai\\"}"}}]}}],
       "usage":{"prompt_tokens":91,"completion_tokens":14,"total_tokens":105,"prompt_tokens_details":{"cached_tokens":0}}}""";

  private static final String ANSWER = """
      {"id":"chatcmpl-2","object":"chat.completion","created":1748496648,"model":"gpt-4o-2024-08-06",
       "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"It is 24 degrees and sunny in Shanghai."}}],
       "usage":{"prompt_tokens":132,"completion_tokens":12,"total_tokens":144,"prompt_tokens_details":{"cached_tokens":0}}}""";

  private final HttpServer server;

  FakeOpenAi() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      byte[] answer = (TOOL_RESULT.matcher(body).find() ? ANSWER : TOOL_CALL).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
  }

  /** The base URL of the API, {@code http://127.0.0.1:PORT/v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
