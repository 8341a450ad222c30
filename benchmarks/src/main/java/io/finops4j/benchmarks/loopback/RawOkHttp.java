package io.finops4j.benchmarks.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The baseline: what an application does with no library at all. One OkHttp POST of a Jackson-built body and a
 * Jackson parse of the answer, on a client whose per-host limits are lifted as finops4j's are.
 */
public final class RawOkHttp implements ChatClient {

  private static final MediaType JSON = MediaType.get("application/json");

  private final ObjectMapper mapper = new ObjectMapper();
  private final OkHttpClient http;
  private final String url;
  private final java.util.Map<String, String> headers;

  private final String name;

  /** Which of OkHttp's timeouts the client has. */
  public enum Timeouts {
    /** OkHttp's defaults: 10 s read and write timeouts, no call timeout. */
    DEFAULT,
    /** The defaults plus finops4j's default call timeout (10 min): an okio timeout per call. */
    CALL,
    /** None: no okio timeout at all, as the client finops4j calls through (its own watchdog times calls). */
    NONE
  }

  public RawOkHttp(String baseUrl) {
    this(baseUrl, Timeouts.DEFAULT);
  }

  public RawOkHttp(String baseUrl, Timeouts timeouts) {
    this(switch (timeouts) {
      case DEFAULT -> "raw OkHttp + Jackson";
      case CALL -> "raw OkHttp + Jackson, call timeout";
      case NONE -> "raw OkHttp + Jackson, no timeouts";
    }, baseUrl, timeouts, java.util.Map.of());
  }

  /** The same calls under another {@code name}, to {@code baseUrl} with extra request {@code headers}. */
  RawOkHttp(String name, String baseUrl, Timeouts timeouts, java.util.Map<String, String> headers) {
    this.name = name;
    this.headers = headers;
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(256);
    dispatcher.setMaxRequestsPerHost(64);
    OkHttpClient.Builder b = new OkHttpClient.Builder().dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES));
    if (timeouts == Timeouts.CALL) {
      b.callTimeout(java.time.Duration.ofMinutes(10));
    } else if (timeouts == Timeouts.NONE) {
      b.readTimeout(java.time.Duration.ZERO).writeTimeout(java.time.Duration.ZERO);
    }
    this.http = b.build();
    this.url = baseUrl + "/chat/completions";
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String complete(String user) throws IOException {
    ObjectNode body = mapper.createObjectNode();
    body.put("model", "gpt-5-mini");
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", SYSTEM);
    messages.addObject().put("role", "user").put("content", user);
    body.put("max_completion_tokens", 50);
    body.put("temperature", 0.0);
    Request.Builder request = new Request.Builder().url(url).header("Authorization", "Bearer sk-loopback")
        .post(RequestBody.create(mapper.writeValueAsBytes(body), JSON));
    headers.forEach(request::header);
    try (Response response = http.newCall(request.build()).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("HTTP " + response.code());
      }
      JsonNode root = mapper.readTree(response.body().byteStream());
      return root.path("choices").path(0).path("message").path("content").asText();
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
