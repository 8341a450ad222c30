package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.Llm;
import io.finops4j.api.ProviderException;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An OpenAI Chat Completions client ({@code POST {base-url}/chat/completions}), also used for every
 * OpenAI-compatible server (DeepSeek, Groq, Together, Fireworks, Mistral, Ollama, vLLM, ...).
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
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(10);

  /** The SDK's own mapper: never the application's (which may be Jackson 3 or configured differently). */
  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final String name;
  private final HttpUrl url;
  private final String baseUrl;
  private final Function<String, HttpUrl> urls;
  private final String keyHeader;
  private final ApiKey apiKey;
  private final String organization;
  private final String project;
  private final String maxTokensField;
  private final OkHttpClient http;
  private final boolean ownsHttp;
  private final Clock clock;

  private OpenAiClient(Builder b) {
    this.name = b.name;
    String base = b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
    HttpUrl parsed = HttpUrl.parse(base + "/chat/completions");
    if (parsed == null) {
      throw new IllegalArgumentException("base-url is not an http(s) URL: " + b.baseUrl);
    }
    this.url = parsed;
    this.baseUrl = base;
    this.urls = b.urls != null ? b.urls : model -> parsed;
    this.keyHeader = b.keyHeader;
    this.apiKey = b.apiKey;
    this.organization = b.organization;
    this.project = b.project;
    this.maxTokensField = b.maxTokensField;
    this.ownsHttp = b.httpClient == null;
    OkHttpClient base0 = ownsHttp ? HttpClients.newShared() : b.httpClient;
    // a variant shares the base client's connection pool and dispatcher
    this.http = base0.newBuilder().connectTimeout(b.connectTimeout).readTimeout(b.readTimeout)
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

  /** The HTTP client variant this client calls with (shares its base client's pool and dispatcher). */
  OkHttpClient http() {
    return http;
  }

  @Override
  public ProviderResponse complete(ProviderRequest request) {
    Exchange exchange = Exchange.open(http, httpRequest(request, false), name, apiKey);
    Response response = exchange.response;
    String requestId = response.header("x-request-id");
    try (exchange) {
      if (!response.isSuccessful()) {
        throw error(response);
      }
      return parseCompletion(response.body(), response.code(), requestId);
    } catch (IOException e) {
      // the body broke off after the headers: the status says nothing about the failure
      throw ProviderErrors.fromIo(name, e, 0, requestId, apiKey);
    }
  }

  @Override
  public ProviderResponse stream(ProviderRequest request, Llm.TextListener listener) {
    Objects.requireNonNull(listener, "listener");
    Exchange exchange = Exchange.open(http, httpRequest(request, true), name, apiKey);
    Response response = exchange.response;
    String requestId = response.header("x-request-id");
    int status = response.code();
    try (exchange) {
      if (!response.isSuccessful()) {
        throw error(response);
      }
      ResponseBody body = response.body();
      MediaType type = body.contentType();
      if (type != null && "json".equals(type.subtype())) {
        // the server ignored stream: true and answered in one piece
        ProviderResponse whole = parseCompletion(body, status, requestId);
        if (!whole.text().isEmpty()) {
          exchange.deliver(listener, whole.text());
        }
        return whole;
      }
      SseReader events = new SseReader(body.source());
      OpenAiWire.StreamState state = new OpenAiWire.StreamState();
      String data;
      while ((data = events.next()) != null) {
        if (SseReader.DONE.equals(data)) {
          return state.response(requestId);
        }
        String delta = chunkDelta(data, state, status, requestId);
        if (state.error != null) {
          throw ProviderErrors.fromStreamError(name, status, state.error, requestId, apiKey);
        }
        if (delta != null) {
          exchange.deliver(listener, delta);
        }
      }
      throw ProviderErrors.truncated(name, status, requestId);
    } catch (IOException e) {
      throw ProviderErrors.fromIo(name, e, status, requestId, apiKey);
    }
  }

  private String chunkDelta(String data, OpenAiWire.StreamState state, int status, String requestId)
      throws IOException {
    try {
      return OpenAiWire.chunk(JSON, data, state);
    } catch (JsonProcessingException e) {
      throw ProviderErrors.malformed(name, status, requestId, "stream chunk is not JSON", null);
    } catch (OpenAiWire.MalformedException e) {
      throw ProviderErrors.malformed(name, status, requestId, e.getMessage(), null);
    }
  }

  private ProviderResponse parseCompletion(ResponseBody body, int status, String requestId) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(body.byteStream());
    } catch (JsonProcessingException e) {
      // no cause: Jackson's message quotes the body, which may echo the prompt
      throw ProviderErrors.malformed(name, status, requestId, "response body is not JSON", null);
    }
    try {
      return OpenAiWire.completion(root, requestId);
    } catch (OpenAiWire.MalformedException e) {
      throw ProviderErrors.malformed(name, status, requestId, e.getMessage(), null);
    }
  }

  private ProviderException error(Response response) {
    String body;
    try {
      // error bodies are small; cap what we read in case a proxy answers with a large page
      body = response.peekBody(64 * 1024).string();
    } catch (IOException e) {
      body = null; // the status and headers still say what happened
    }
    return ProviderErrors.fromHttp(name, response.code(), response.headers(), body, JSON, clock, apiKey);
  }

  private Request httpRequest(ProviderRequest request, boolean stream) {
    byte[] json = OpenAiWire.requestBody(JSON.getFactory(), request, stream, maxTokensField);
    Request.Builder b = post(urls.apply(request.model()), json);
    if (stream) {
      b.header("Accept", "text/event-stream");
    }
    return b.build();
  }

  /** {@code {base-url}/{operation}}, e.g. {@code embeddings}. */
  HttpUrl operationUrl(String operation) {
    return Urls.join(baseUrl, "/" + operation);
  }

  /** A POST of {@code json} to {@code target} with this client's key and organization headers. */
  Request.Builder post(HttpUrl target, byte[] json) {
    Request.Builder b = new Request.Builder().url(target).post(RequestBody.create(json, JSON_TYPE));
    if (apiKey != null) {
      if (keyHeader == null) {
        b.header("Authorization", "Bearer " + apiKey.reveal());
      } else {
        b.header(keyHeader, apiKey.reveal());
      }
    }
    if (organization != null) {
      b.header("OpenAI-Organization", organization);
    }
    if (project != null) {
      b.header("OpenAI-Project", project);
    }
    return b;
  }

  /** Maps a non-2xx response to a {@link ProviderException}, as for chat calls. */
  ProviderException errorOf(Response response) {
    return error(response);
  }

  ApiKey apiKey() {
    return apiKey;
  }

  /** {@code max_completion_tokens} or {@code max_tokens}: what this client's server calls the output ceiling. */
  String maxTokensField() {
    return maxTokensField;
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
    return "OpenAiClient[" + name + ", " + url + "]";
  }

  /** Builds an {@link OpenAiClient}; only the API key is needed for OpenAI itself. */
  public static final class Builder {
    private String name = "openai";
    private String baseUrl = DEFAULT_BASE_URL;
    private ApiKey apiKey;
    private String organization;
    private String project;
    private String maxTokensField = MAX_COMPLETION_TOKENS;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private OkHttpClient httpClient;
    private Clock clock = Clock.systemUTC();
    private Function<String, HttpUrl> urls;
    private String keyHeader;

    private Builder() {}

    /** The URL per model id, for servers that put the model in the path (Azure OpenAI deployments). */
    Builder urls(Function<String, HttpUrl> v) { urls = v; return this; }
    /** Send the key bare in this header instead of {@code Authorization: Bearer} (Azure: {@code api-key}). */
    Builder keyHeader(String v) { keyHeader = v; return this; }

    /** The provider name in model ids and errors; default {@code openai}. */
    public Builder name(String v) { name = Objects.requireNonNull(v, "name"); return this; }
    /** Everything before {@code /chat/completions}; default {@value #DEFAULT_BASE_URL}. */
    public Builder baseUrl(String v) { baseUrl = Objects.requireNonNull(v, "baseUrl"); return this; }
    public Builder apiKey(ApiKey v) { apiKey = v; return this; }
    public Builder apiKey(String v) { apiKey = v == null ? null : ApiKey.of(v); return this; }
    /** Sent as {@code OpenAI-Organization}. */
    public Builder organization(String v) { organization = v; return this; }
    /** Sent as {@code OpenAI-Project}. */
    public Builder project(String v) { project = v; return this; }
    /** {@code max_completion_tokens} (OpenAI, default) or {@code max_tokens} (most compatible servers). */
    public Builder maxTokensField(String v) { maxTokensField = Objects.requireNonNull(v, "maxTokensField"); return this; }
    public Builder connectTimeout(Duration v) { connectTimeout = Objects.requireNonNull(v); return this; }
    public Builder readTimeout(Duration v) { readTimeout = Objects.requireNonNull(v); return this; }
    /** The whole call, streaming included. */
    public Builder callTimeout(Duration v) { callTimeout = Objects.requireNonNull(v); return this; }
    /** A client to share (its pool and dispatcher are reused); without one this client creates and owns its own. */
    public Builder httpClient(OkHttpClient v) { httpClient = v; return this; }
    /** The clock that turns a {@code Retry-After} date into a delay. */
    public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }

    public OpenAiClient build() {
      return new OpenAiClient(this);
    }
  }
}
