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

  private final HttpUrl base;
  /** {@code base} as a URI, made once: {@code HttpUrl.uri()} re-encodes the URL on every call. */
  private final java.net.URI server;
  private final String version;
  /** The HTTP side: name, key, client variant, error mapping (also for the embedding and batch clients). */
  final HttpTransport transport;

  private GeminiClient(Builder b) {
    this.base = Urls.join(b.baseUrl, "/");
    this.server = base.uri();
    this.version = b.version;
    // the header an error's request id travels in
    this.transport = new HttpTransport(b, "x-request-id");
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

  /** The URL of {@code operation} ({@code generateContent}, {@code embedContent}...) on {@code model}. */
  HttpUrl url(String model, String operation) {
    // the model id is one path segment, so a '/' or '?' in it cannot reach another path or the query
    return base.newBuilder().addPathSegment(version).addPathSegment("models").addPathSegment(model + ":" + operation)
        .build();
  }

  @Override
  public ProviderResponse complete(ProviderRequest request) {
    // Gemini sends no request id header: the answer's responseId is its id
    return transport.call(httpRequest(url(request.model(), "generateContent"), request),
        null,
        (root, requestId) -> GeminiWire.response(root));
  }

  @Override
  public ProviderResponse stream(ProviderRequest request, Llm.TextListener listener) {
    Objects.requireNonNull(listener, "listener");
    HttpUrl url = url(request.model(), "streamGenerateContent").newBuilder().addQueryParameter("alt", "sse").build();
    return transport.stream(httpRequest(url, request), null,
        new GeminiWire.StreamState(), null, listener);
  }

  Request httpRequest(HttpUrl url, ProviderRequest request) {
    byte[] json = GeminiWire.requestBody(OpenAiClient.JSON.getFactory(), request);
    return HttpTransport.timed(postBuilder(url, json), request);
  }

  Request post(HttpUrl url, byte[] json) {
    return postBuilder(url, json).build();
  }

  private Request.Builder postBuilder(HttpUrl url, byte[] json) {
    Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(json, JSON_TYPE));
    ApiKey apiKey = transport.apiKey;
    if (apiKey != null) {
      b.header("x-goog-api-key", apiKey.reveal());
    }
    return b;
  }

  /** Shuts down the HTTP client when this client created it; a shared one is closed by its owner. */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "GeminiClient[" + transport.name + ", " + base + "]";
  }

  /** Builds a {@link GeminiClient}; only the API key is needed. */
  public static final class Builder extends ClientBuilder<Builder> {
    private String baseUrl = DEFAULT_BASE_URL;
    private String version = DEFAULT_VERSION;

    private Builder() {
      super("gemini");
    }

    /** Everything before {@code /v1beta/models/...}; default {@value #DEFAULT_BASE_URL}. */
    public Builder baseUrl(String v) { baseUrl = Objects.requireNonNull(v, "baseUrl"); return this; }
    /** The API version path segment; default {@value #DEFAULT_VERSION}. */
    public Builder version(String v) { version = Objects.requireNonNull(v, "version"); return this; }

    public GeminiClient build() {
      return new GeminiClient(this);
    }
  }
}
