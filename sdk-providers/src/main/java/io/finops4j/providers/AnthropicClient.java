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
 * An Anthropic Messages API client ({@code POST {base-url}/v1/messages}).
 *
 * <p>One HTTP attempt per call: retries and fallback are the engine's. The key travels only in the
 * {@code x-api-key} header. {@code max_tokens} is required by the API: without one in the request,
 * {@value #DEFAULT_MAX_TOKENS} is sent. With {@link ProviderRequest#cachePrompt()} the system prompt carries
 * {@code cache_control: {type: ephemeral}} when it is long enough to be cached (see
 * {@link AnthropicWire#minCacheableTokens(String)}). A stream that ends without {@code message_stop} fails with
 * {@code stream_truncated}; its usage is cumulative (message_start, then message_delta) and is replaced, never
 * added.
 *
 * <pre>{@code
 * AnthropicClient claude = AnthropicClient.builder().apiKey(System.getenv("ANTHROPIC_API_KEY")).build();
 * }</pre>
 */
public final class AnthropicClient implements ProviderClient {

  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
  public static final String DEFAULT_VERSION = "2023-06-01";
  /** Sent as {@code max_tokens} when the request has no ceiling (the API requires one). */
  public static final int DEFAULT_MAX_TOKENS = 4096;
  static final String REQUEST_ID = "request-id";
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final String name;
  private final HttpUrl url;
  private final ApiKey apiKey;
  private final String version;
  private final int defaultMaxTokens;
  private final OkHttpClient http;
  private final boolean ownsHttp;
  private final Clock clock;
  private final String baseUrl;

  private AnthropicClient(Builder b) {
    this.name = b.name;
    this.url = Urls.join(b.baseUrl, "/v1/messages");
    this.baseUrl = b.baseUrl;
    this.apiKey = b.apiKey;
    this.version = b.version;
    this.defaultMaxTokens = b.defaultMaxTokens;
    this.ownsHttp = b.httpClient == null;
    OkHttpClient base = ownsHttp ? HttpClients.newShared() : b.httpClient;
    this.http = base.newBuilder().connectTimeout(b.connectTimeout).readTimeout(b.readTimeout)
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

  /** The endpoint this client posts to. */
  public String endpoint() {
    return url.toString();
  }

  @Override
  public ProviderResponse complete(ProviderRequest request) {
    Exchange exchange = Exchange.open(http, httpRequest(request, false), name, apiKey);
    Response response = exchange.response;
    String requestId = response.header(REQUEST_ID);
    try (exchange) {
      if (!response.isSuccessful()) {
        throw error(response);
      }
      return parseMessage(response.body(), response.code(), requestId);
    } catch (IOException e) {
      throw ProviderErrors.fromIo(name, e, 0, requestId, apiKey);
    }
  }

  @Override
  public ProviderResponse stream(ProviderRequest request, Llm.TextListener listener) {
    Objects.requireNonNull(listener, "listener");
    Exchange exchange = Exchange.open(http, httpRequest(request, true), name, apiKey);
    Response response = exchange.response;
    String requestId = response.header(REQUEST_ID);
    int status = response.code();
    try (exchange) {
      if (!response.isSuccessful()) {
        throw error(response);
      }
      SseReader events = new SseReader(response.body().source());
      AnthropicWire.StreamState state = new AnthropicWire.StreamState();
      String data;
      while ((data = events.next()) != null) {
        String delta = event(data, state, status, requestId);
        if (state.error != null) {
          throw ProviderErrors.fromStreamError(name, status, state.error, requestId, apiKey);
        }
        if (delta != null) {
          exchange.deliver(listener, delta);
        }
        if (state.stopped) {
          return state.response(requestId);
        }
      }
      throw ProviderErrors.truncated(name, status, requestId, "stream ended before its message_stop event");
    } catch (IOException e) {
      throw ProviderErrors.fromIo(name, e, status, requestId, apiKey);
    }
  }

  private String event(String data, AnthropicWire.StreamState state, int status, String requestId)
      throws IOException {
    try {
      return AnthropicWire.event(OpenAiClient.JSON, data, state);
    } catch (JsonProcessingException e) {
      throw ProviderErrors.malformed(name, status, requestId, "stream event is not JSON", null);
    } catch (OpenAiWire.MalformedException e) {
      throw ProviderErrors.malformed(name, status, requestId, e.getMessage(), null);
    }
  }

  private ProviderResponse parseMessage(ResponseBody body, int status, String requestId) throws IOException {
    JsonNode root;
    try {
      root = OpenAiClient.JSON.readTree(body.byteStream());
    } catch (JsonProcessingException e) {
      // no cause: Jackson's message quotes the body, which may echo the prompt
      throw ProviderErrors.malformed(name, status, requestId, "response body is not JSON", null);
    }
    try {
      return AnthropicWire.message(root, requestId);
    } catch (OpenAiWire.MalformedException e) {
      throw ProviderErrors.malformed(name, status, requestId, e.getMessage(), null);
    }
  }

  private ProviderException error(Response response) {
    String body;
    try {
      body = response.peekBody(64 * 1024).string();
    } catch (IOException e) {
      body = null; // the status and headers still say what happened
    }
    return ProviderErrors.fromHttp(name, response.code(), response.headers(), REQUEST_ID, body, OpenAiClient.JSON,
        clock, apiKey);
  }

  private Request httpRequest(ProviderRequest request, boolean stream) {
    byte[] json = AnthropicWire.requestBody(OpenAiClient.JSON.getFactory(), request, stream, defaultMaxTokens);
    Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(json, JSON_TYPE))
        .header("anthropic-version", version);
    if (apiKey != null) {
      b.header("x-api-key", apiKey.reveal());
    }
    if (stream) {
      b.header("Accept", "text/event-stream");
    }
    return b.build();
  }

  /** {@code {base-url}{path}}, e.g. {@code /v1/messages/batches}. */
  HttpUrl operationUrl(String path) {
    return Urls.join(baseUrl, path);
  }

  /** A request to {@code target} with this client's version header, and its key when the origin is the API's. */
  Request.Builder request(HttpUrl target) {
    Request.Builder b = new Request.Builder().url(target).header("anthropic-version", version);
    // a results URL comes from the response: the key goes only to the origin it belongs to
    if (apiKey != null && target.scheme().equals(url.scheme()) && target.host().equals(url.host())
        && target.port() == url.port()) {
      b.header("x-api-key", apiKey.reveal());
    }
    return b;
  }

  OkHttpClient http() {
    return http;
  }

  ApiKey apiKey() {
    return apiKey;
  }

  int defaultMaxTokens() {
    return defaultMaxTokens;
  }

  /** Maps a non-2xx response to a {@link ProviderException}, as for message calls. */
  ProviderException errorOf(Response response) {
    return error(response);
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
    return "AnthropicClient[" + name + ", " + url + "]";
  }

  /** Builds an {@link AnthropicClient}; only the API key is needed. */
  public static final class Builder {
    private String name = "anthropic";
    private String baseUrl = DEFAULT_BASE_URL;
    private ApiKey apiKey;
    private String version = DEFAULT_VERSION;
    private int defaultMaxTokens = DEFAULT_MAX_TOKENS;
    private Duration connectTimeout = OpenAiClient.DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = OpenAiClient.DEFAULT_READ_TIMEOUT;
    private Duration callTimeout = OpenAiClient.DEFAULT_CALL_TIMEOUT;
    private OkHttpClient httpClient;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The provider name in model ids and errors; default {@code anthropic}. */
    public Builder name(String v) { name = Objects.requireNonNull(v, "name"); return this; }
    /** Everything before {@code /v1/messages}; default {@value #DEFAULT_BASE_URL}. */
    public Builder baseUrl(String v) { baseUrl = Objects.requireNonNull(v, "baseUrl"); return this; }
    public Builder apiKey(ApiKey v) { apiKey = v; return this; }
    public Builder apiKey(String v) { apiKey = v == null ? null : ApiKey.of(v); return this; }
    /** The {@code anthropic-version} header; default {@value #DEFAULT_VERSION}. */
    public Builder version(String v) { version = Objects.requireNonNull(v, "version"); return this; }
    /** The {@code max_tokens} sent when a request has none; default {@value #DEFAULT_MAX_TOKENS}. */
    public Builder defaultMaxTokens(int v) {
      if (v <= 0) {
        throw new IllegalArgumentException("defaultMaxTokens must be positive");
      }
      defaultMaxTokens = v;
      return this;
    }
    public Builder connectTimeout(Duration v) { connectTimeout = Objects.requireNonNull(v); return this; }
    public Builder readTimeout(Duration v) { readTimeout = Objects.requireNonNull(v); return this; }
    /** The whole call, streaming included. */
    public Builder callTimeout(Duration v) { callTimeout = Objects.requireNonNull(v); return this; }
    /** A client to share (its pool and dispatcher are reused); without one this client creates and owns its own. */
    public Builder httpClient(OkHttpClient v) { httpClient = v; return this; }
    /** The clock that turns a {@code retry-after} date into a delay. */
    public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }

    public AnthropicClient build() {
      return new AnthropicClient(this);
    }
  }
}
