package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.Llm;
import io.finops4j.api.ProviderException;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * A Gemini API client ({@code POST {base-url}/v1beta/models/{model}:generateContent}, streaming with
 * {@code :streamGenerateContent?alt=sse}).
 *
 * <p>One HTTP attempt per call. The key travels only in the {@code x-goog-api-key} header, never as
 * {@code ?key=} in the URL. Gemini streams have no terminal event: the server closes the connection after the
 * last chunk, which carries a {@code finishReason} (or, for a blocked prompt, {@code promptFeedback.blockReason})
 * and the final {@code usageMetadata}. So a stream is complete when it ends cleanly after a chunk with a finish
 * reason; a stream that ends (or is cut) before one is {@code stream_truncated}.
 *
 * <pre>{@code
 * GeminiClient gemini = GeminiClient.builder().apiKey(System.getenv("GEMINI_API_KEY")).build();
 * }</pre>
 */
public final class GeminiClient implements ProviderClient {

  public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
  public static final String DEFAULT_VERSION = "v1beta";
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final String name;
  private final HttpUrl base;
  private final String version;
  private final ApiKey apiKey;
  private final OkHttpClient http;
  private final boolean ownsHttp;
  private final Clock clock;

  private GeminiClient(Builder b) {
    this.name = b.name;
    this.base = Urls.join(b.baseUrl, "/");
    this.version = b.version;
    this.apiKey = b.apiKey;
    this.ownsHttp = b.httpClient == null;
    OkHttpClient shared = ownsHttp ? HttpClients.newShared() : b.httpClient;
    this.http = shared.newBuilder().connectTimeout(b.connectTimeout).readTimeout(b.readTimeout)
        .callTimeout(b.callTimeout).build();
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** The URL of {@code operation} ({@code generateContent}, {@code embedContent}...) on {@code model}. */
  HttpUrl url(String model, String operation) {
    // the model id is one path segment, so a '/' or '?' in it cannot reach another path or the query
    return base.newBuilder().addPathSegment(version).addPathSegment("models").addPathSegment(model + ":" + operation)
        .build();
  }

  @Override
  public ProviderResponse complete(ProviderRequest request) {
    Exchange exchange = Exchange.open(http, httpRequest(url(request.model(), "generateContent"), request), name,
        apiKey);
    Response response = exchange.response;
    try (exchange) {
      if (!response.isSuccessful()) {
        throw error(response, name, clock, apiKey);
      }
      return parse(response.body(), response.code());
    } catch (IOException e) {
      throw ProviderErrors.fromIo(name, e, 0, null, apiKey);
    }
  }

  @Override
  public ProviderResponse stream(ProviderRequest request, Llm.TextListener listener) {
    Objects.requireNonNull(listener, "listener");
    HttpUrl url = url(request.model(), "streamGenerateContent").newBuilder().addQueryParameter("alt", "sse").build();
    Exchange exchange = Exchange.open(http, httpRequest(url, request), name, apiKey);
    Response response = exchange.response;
    int status = response.code();
    GeminiWire.StreamState state = new GeminiWire.StreamState();
    try (exchange) {
      if (!response.isSuccessful()) {
        throw error(response, name, clock, apiKey);
      }
      SseReader events = new SseReader(response.body().source());
      String data;
      while ((data = events.next()) != null) {
        String delta = chunk(data, state, status);
        if (state.error != null) {
          throw ProviderErrors.fromStreamError(name, status, state.error, state.responseId, apiKey);
        }
        if (delta != null) {
          exchange.deliver(listener, delta);
        }
      }
      if (state.finishReason == null) {
        throw ProviderErrors.truncated(name, status, state.responseId,
            "stream ended before a chunk with a finishReason");
      }
      return state.response(OpenAiClient.JSON);
    } catch (IOException e) {
      throw ProviderErrors.fromIo(name, e, status, state.responseId, apiKey);
    }
  }

  private String chunk(String data, GeminiWire.StreamState state, int status) throws IOException {
    try {
      return GeminiWire.chunk(OpenAiClient.JSON, data, state);
    } catch (JsonProcessingException e) {
      throw ProviderErrors.malformed(name, status, state.responseId, "stream chunk is not JSON", null);
    } catch (OpenAiWire.MalformedException e) {
      throw ProviderErrors.malformed(name, status, state.responseId, e.getMessage(), null);
    }
  }

  private ProviderResponse parse(ResponseBody body, int status) throws IOException {
    JsonNode root;
    try {
      root = OpenAiClient.JSON.readTree(body.byteStream());
    } catch (JsonProcessingException e) {
      throw ProviderErrors.malformed(name, status, null, "response body is not JSON", null);
    }
    try {
      return GeminiWire.response(root);
    } catch (OpenAiWire.MalformedException e) {
      throw ProviderErrors.malformed(name, status, null, e.getMessage(), null);
    }
  }

  /** Gemini errors are {@code {error: {code, message, status}}}; the code is the textual status. */
  static ProviderException error(Response response, String name, Clock clock, ApiKey apiKey) {
    String body;
    try {
      body = response.peekBody(64 * 1024).string();
    } catch (IOException e) {
      body = null;
    }
    return ProviderErrors.fromHttp(name, response.code(), response.headers(), "x-request-id", body,
        OpenAiClient.JSON, clock, apiKey);
  }

  Request httpRequest(HttpUrl url, ProviderRequest request) {
    byte[] json = GeminiWire.requestBody(OpenAiClient.JSON.getFactory(), request);
    return post(url, json);
  }

  Request post(HttpUrl url, byte[] json) {
    Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(json, JSON_TYPE));
    if (apiKey != null) {
      b.header("x-goog-api-key", apiKey.reveal());
    }
    return b.build();
  }

  OkHttpClient http() {
    return http;
  }

  Clock clock() {
    return clock;
  }

  ApiKey apiKey() {
    return apiKey;
  }

  /** Shuts down the HTTP client when this client created it; a shared one is closed by its owner. */
  @Override
  public void close() {
    if (ownsHttp) {
      HttpClients.shutdown(http);
    }
  }

  @Override
  public String toString() {
    return "GeminiClient[" + name + ", " + base + "]";
  }

  /** Builds a {@link GeminiClient}; only the API key is needed. */
  public static final class Builder {
    private String name = "gemini";
    private String baseUrl = DEFAULT_BASE_URL;
    private String version = DEFAULT_VERSION;
    private ApiKey apiKey;
    private Duration connectTimeout = OpenAiClient.DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = OpenAiClient.DEFAULT_READ_TIMEOUT;
    private Duration callTimeout = OpenAiClient.DEFAULT_CALL_TIMEOUT;
    private OkHttpClient httpClient;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The provider name in model ids and errors; default {@code gemini}. */
    public Builder name(String v) { name = Objects.requireNonNull(v, "name"); return this; }
    /** Everything before {@code /v1beta/models/...}; default {@value #DEFAULT_BASE_URL}. */
    public Builder baseUrl(String v) { baseUrl = Objects.requireNonNull(v, "baseUrl"); return this; }
    /** The API version path segment; default {@value #DEFAULT_VERSION}. */
    public Builder version(String v) { version = Objects.requireNonNull(v, "version"); return this; }
    public Builder apiKey(ApiKey v) { apiKey = v; return this; }
    public Builder apiKey(String v) { apiKey = v == null ? null : ApiKey.of(v); return this; }
    public Builder connectTimeout(Duration v) { connectTimeout = Objects.requireNonNull(v); return this; }
    public Builder readTimeout(Duration v) { readTimeout = Objects.requireNonNull(v); return this; }
    /** The whole call, streaming included. */
    public Builder callTimeout(Duration v) { callTimeout = Objects.requireNonNull(v); return this; }
    /** A client to share (its pool and dispatcher are reused); without one this client creates and owns its own. */
    public Builder httpClient(OkHttpClient v) { httpClient = v; return this; }
    /** The clock that turns a {@code Retry-After} date into a delay. */
    public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }

    public GeminiClient build() {
      return new GeminiClient(this);
    }
  }
}
