package io.finops4j.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.Llm;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * An OpenAI Chat Completions client ({@code POST {base-url}/chat/completions}), also used for every
 * OpenAI-compatible server (DeepSeek, Groq, Together, Fireworks, Mistral, Ollama, vLLM, ...).
 *
 * <p>With {@code api("responses")} (YAML {@code api: responses}) calls go to the Responses API
 * ({@code POST {base-url}/responses}) instead; the models served only there (the pro models: {@code gpt-5-pro},
 * {@code o3-pro}; Codex models) go there whatever the setting.
 *
 * <p>One HTTP attempt per call: retries and fallback are the engine's. The API key travels only in the
 * {@code Authorization} header. Streams always ask for usage ({@code stream_options.include_usage}) and a stream
 * that ends without {@code data: [DONE]} fails with {@code stream_truncated}.
 *
 * <pre>{@code
 * OpenAiClient openai = OpenAiClient.builder().apiKey(System.getenv("OPENAI_API_KEY")).build();
 * }</pre>
 */
public final class OpenAiClient implements ProviderClient {

  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  public static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";
  public static final String MAX_TOKENS = "max_tokens";
  /** The Chat Completions API, the default. */
  public static final String CHAT = "chat";
  /** The Responses API. */
  public static final String RESPONSES = "responses";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(10);

  /** The SDK's own mapper: never the application's (which may be Jackson 3 or configured differently). */
  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  static final String REQUEST_ID = "x-request-id";

  private final HttpUrl url;
  /** {@code url} as a URI, made once: {@code HttpUrl.uri()} re-encodes the URL on every call. */
  private final java.net.URI server;
  private final String baseUrl;
  private final Function<String, HttpUrl> urls;
  private final String keyHeader;
  private final String organization;
  private final String project;
  private final String maxTokensField;
  /** Whether every call goes to the Responses API. */
  private final boolean responsesApi;
  /** {@code {base-url}/responses}, or null for servers that route per model (Azure deployments). */
  private final HttpUrl responsesUrl;
  /** The HTTP side: name, key, client variant, error mapping (also for the embedding and batch clients). */
  final HttpTransport transport;
  /**
   * The key and organization headers, checked and built at the first request (a value OkHttp refuses fails each
   * call, as it did when each request built them): every request carries the same.
   */
  private Headers headers;

  private OpenAiClient(Builder b) {
    String base = b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
    HttpUrl parsed = HttpUrl.parse(base + "/chat/completions");
    if (parsed == null) {
      throw new IllegalArgumentException("base-url is not an http(s) URL: " + b.baseUrl);
    }
    this.url = parsed;
    this.server = parsed.uri();
    this.baseUrl = base;
    this.urls = b.urls != null ? b.urls : model -> parsed;
    this.keyHeader = b.keyHeader;
    this.organization = b.organization;
    this.project = b.project;
    this.maxTokensField = b.maxTokensField;
    this.responsesApi = RESPONSES.equals(b.api);
    this.responsesUrl = b.urls == null ? HttpUrl.parse(base + ResponsesWire.PATH) : null;
    this.transport = new HttpTransport(b, REQUEST_ID);
  }

  private Headers headers() {
    Headers h = headers;
    if (h == null) {
      h = newHeaders(transport.apiKey, keyHeader, organization, project);
      headers = h; // immutable; a race builds the same twice
    }
    return h;
  }

  private static Headers newHeaders(ApiKey apiKey, String keyHeader, String organization, String project) {
    Headers.Builder h = new Headers.Builder();
    if (apiKey != null) {
      if (keyHeader == null) {
        h.set("Authorization", "Bearer " + apiKey.reveal());
      } else {
        h.set(keyHeader, apiKey.reveal());
      }
    }
    if (organization != null) {
      h.set("OpenAI-Organization", organization);
    }
    if (project != null) {
      h.set("OpenAI-Project", project);
    }
    return h.build();
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

  /** The HTTP client variant this client calls with (shares its base client's pool and dispatcher). */
  OkHttpClient http() {
    return transport.http;
  }

  /** How long a call may go without progress (enforced by {@link CallDeadlines}, not by OkHttp). */
  java.time.Duration readTimeout() {
    return java.time.Duration.ofNanos(transport.readTimeoutNanos);
  }

  /** How long a call may take, body included (enforced by {@link CallDeadlines}, not by OkHttp). */
  java.time.Duration callTimeout() {
    return java.time.Duration.ofNanos(transport.callTimeoutNanos);
  }

  @Override
  public ProviderResponse complete(ProviderRequest request) {
    if (responses(request.model())) {
      return transport.call(responsesRequest(request, false), REQUEST_ID, ResponsesWire::response);
    }
    return transport.call(httpRequest(request, false), REQUEST_ID, OpenAiWire.COMPLETION);
  }

  @Override
  public ProviderResponse stream(ProviderRequest request, Llm.TextListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (responses(request.model())) {
      return transport.stream(responsesRequest(request, true), REQUEST_ID, new ResponsesWire.StreamState(),
          ResponsesWire::response, listener);
    }
    return transport.stream(httpRequest(request, true), REQUEST_ID, new OpenAiWire.StreamState(),
        OpenAiWire.COMPLETION, listener);
  }

  /** Whether calls to {@code model} go to the Responses API: all in that mode, and the models served only there. */
  boolean responses(String model) {
    return responsesUrl != null && (responsesApi || ResponsesWire.only(model));
  }

  private Request responsesRequest(ProviderRequest request, boolean stream) {
    byte[] json = ResponsesWire.requestBody(JSON.getFactory(), transport.forWire(request), stream);
    Request.Builder b = post(responsesUrl, json);
    if (stream) {
      b.header("Accept", "text/event-stream");
    }
    return HttpTransport.timed(b, request);
  }

  private Request httpRequest(ProviderRequest request, boolean stream) {
    byte[] json = OpenAiWire.requestBody(JSON.getFactory(), transport.forWire(request), stream,
        maxTokensField);
    Request.Builder b = post(urls.apply(request.model()), json);
    if (stream) {
      b.header("Accept", "text/event-stream");
    }
    return HttpTransport.timed(b, request);
  }

  /** {@code {base-url}/{operation}}, e.g. {@code embeddings}. */
  HttpUrl operationUrl(String operation) {
    return Urls.join(baseUrl, "/" + operation);
  }

  /** A POST of {@code json} to {@code target} with this client's key and organization headers. */
  Request.Builder post(HttpUrl target, byte[] json) {
    return new Request.Builder().url(target).headers(headers()).post(RequestBody.create(json, JSON_TYPE));
  }

  /** {@code max_completion_tokens} or {@code max_tokens}: what this client's server calls the output ceiling. */
  String maxTokensField() {
    return maxTokensField;
  }

  /** Shuts down the HTTP client when this client created it; a shared one is closed by its owner. */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "OpenAiClient[" + transport.name + ", " + url + "]";
  }

  /** Builds an {@link OpenAiClient}; only the API key is needed for OpenAI itself. */
  public static final class Builder extends ClientBuilder<Builder> {
    private String baseUrl = DEFAULT_BASE_URL;
    private String organization;
    private String project;
    private String maxTokensField = MAX_COMPLETION_TOKENS;
    private String api = CHAT;
    private Function<String, HttpUrl> urls;
    private String keyHeader;

    private Builder() {
      super("openai");
    }

    /** The URL per model id, for servers that put the model in the path (Azure OpenAI deployments). */
    Builder urls(Function<String, HttpUrl> v) { urls = v; return this; }
    /** Send the key bare in this header instead of {@code Authorization: Bearer} (Azure: {@code api-key}). */
    Builder keyHeader(String v) { keyHeader = v; return this; }

    /** Everything before {@code /chat/completions}; default {@value #DEFAULT_BASE_URL}. */
    public Builder baseUrl(String v) { baseUrl = Objects.requireNonNull(v, "baseUrl"); return this; }
    /** Sent as {@code OpenAI-Organization}. */
    public Builder organization(String v) { organization = v; return this; }
    /** Sent as {@code OpenAI-Project}. */
    public Builder project(String v) { project = v; return this; }
    /** {@code max_completion_tokens} (OpenAI, default) or {@code max_tokens} (most compatible servers). */
    public Builder maxTokensField(String v) { maxTokensField = Objects.requireNonNull(v, "maxTokensField"); return this; }
    /**
     * {@value OpenAiClient#CHAT} (Chat Completions, default) or {@value OpenAiClient#RESPONSES} (the Responses
     * API, OpenAI's recommendation for new work); the pro models use the Responses API either way.
     */
    public Builder api(String v) {
      if (!CHAT.equals(v) && !RESPONSES.equals(v)) {
        throw new IllegalArgumentException("api must be chat or responses, got " + v);
      }
      api = v;
      return this;
    }

    public OpenAiClient build() {
      return new OpenAiClient(this);
    }
  }
}
