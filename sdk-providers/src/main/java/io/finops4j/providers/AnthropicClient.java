package io.finops4j.providers;

import io.finops4j.api.Llm;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

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

  private final HttpUrl url;
  /** {@code url} as a URI, made once: {@code HttpUrl.uri()} re-encodes the URL on every call. */
  private final java.net.URI server;
  private final String version;
  private final int defaultMaxTokens;
  private final String baseUrl;
  /** The HTTP side: name, key, client variant, error mapping (also for the embedding and batch clients). */
  final HttpTransport transport;

  private AnthropicClient(Builder b) {
    this.url = Urls.join(b.baseUrl, "/v1/messages");
    this.server = url.uri();
    this.baseUrl = b.baseUrl;
    this.version = b.version;
    this.defaultMaxTokens = b.defaultMaxTokens;
    this.transport = new HttpTransport(b, REQUEST_ID);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public java.net.URI server() {
    return server;
  }

  @Override
  public String name() {
    return transport.name;
  }

  /** The endpoint this client posts to. */
  public String endpoint() {
    return url.toString();
  }

  @Override
  public ProviderResponse complete(ProviderRequest request) {
    return AnthropicWire.structured(transport.call(httpRequest(request, false),
        REQUEST_ID, AnthropicWire::message), request);
  }

  @Override
  public ProviderResponse stream(ProviderRequest request, Llm.TextListener listener) {
    Objects.requireNonNull(listener, "listener");
    return AnthropicWire.structured(transport.stream(httpRequest(request, true),
        REQUEST_ID, new AnthropicWire.StreamState(), null, listener), request);
  }

  private Request httpRequest(ProviderRequest request, boolean stream) {
    byte[] json = AnthropicWire.requestBody(OpenAiClient.JSON.getFactory(), transport.forWire(request), stream,
        defaultMaxTokens);
    Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(json, JSON_TYPE))
        .header("anthropic-version", version);
    ApiKey apiKey = transport.apiKey;
    if (apiKey != null) {
      b.header("x-api-key", apiKey.reveal());
    }
    if (stream) {
      b.header("Accept", "text/event-stream");
    }
    return HttpTransport.timed(b, request);
  }

  /** {@code {base-url}{path}}, e.g. {@code /v1/messages/batches}. */
  HttpUrl operationUrl(String path) {
    return Urls.join(baseUrl, path);
  }

  /** A request to {@code target} with this client's version header, and its key when the origin is the API's. */
  Request.Builder request(HttpUrl target) {
    Request.Builder b = new Request.Builder().url(target).header("anthropic-version", version);
    // a results URL comes from the response: the key goes only to the origin it belongs to
    ApiKey apiKey = transport.apiKey;
    if (apiKey != null && target.scheme().equals(url.scheme()) && target.host().equals(url.host())
        && target.port() == url.port()) {
      b.header("x-api-key", apiKey.reveal());
    }
    return b;
  }

  int defaultMaxTokens() {
    return defaultMaxTokens;
  }

  /** Shuts down the HTTP client when this client created it; a shared one is closed by its owner. */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "AnthropicClient[" + transport.name + ", " + url + "]";
  }

  /** Builds an {@link AnthropicClient}; only the API key is needed. */
  public static final class Builder extends ClientBuilder<Builder> {
    private String baseUrl = DEFAULT_BASE_URL;
    private String version = DEFAULT_VERSION;
    private int defaultMaxTokens = DEFAULT_MAX_TOKENS;

    private Builder() {
      super("anthropic");
    }

    /** Everything before {@code /v1/messages}; default {@value #DEFAULT_BASE_URL}. */
    public Builder baseUrl(String v) { baseUrl = Objects.requireNonNull(v, "baseUrl"); return this; }
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

    public AnthropicClient build() {
      return new AnthropicClient(this);
    }
  }
}
