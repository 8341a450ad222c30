package io.finops4j.providers;

import io.finops4j.api.Llm;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Azure OpenAI: the OpenAI Chat Completions wire at
 * {@code {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...}, with the key in the
 * {@code api-key} header. The wire code is {@link OpenAiClient}'s; only the URL and the key header differ.
 *
 * <p>On Azure the "model" of a call is the DEPLOYMENT name ({@code azure/my-gpt5-mini-deployment} in a tier), and
 * the deployment map says which priced model each deployment runs, so the engine can price
 * {@code azure/my-gpt5-mini-deployment} as {@code openai/gpt-5-mini}: see {@link #pricedAs()}.
 *
 * <pre>{@code
 * AzureOpenAiClient azure = AzureOpenAiClient.builder()
 *     .endpoint("https://my-resource.openai.azure.com").apiKey(System.getenv("AZURE_OPENAI_API_KEY"))
 *     .deployment("my-gpt5-mini-deployment", "gpt-5-mini").build();
 * }</pre>
 */
public final class AzureOpenAiClient implements ProviderClient {

  /** The GA data-plane version; {@code stream_options.include_usage} needs 2024-09-01 or later. */
  public static final String DEFAULT_API_VERSION = "2024-10-21";

  private final OpenAiClient wire;
  private final HttpUrl endpoint;
  /** {@code endpoint} as a URI, made once: {@code HttpUrl.uri()} re-encodes the URL on every call. */
  private final java.net.URI server;
  private final Map<String, String> pricedAs;

  private AzureOpenAiClient(Builder b) {
    if (b.endpoint == null) {
      throw new IllegalArgumentException("an Azure OpenAI client needs its endpoint, e.g."
          + " https://my-resource.openai.azure.com");
    }
    HttpUrl parsed = Urls.join(b.endpoint, "/");
    if (parsed.query() != null) {
      throw new IllegalArgumentException("endpoint must not carry a query string");
    }
    this.endpoint = parsed;
    this.server = parsed.uri();
    String version = b.apiVersion;
    HttpUrl base = parsed.newBuilder().addPathSegment("openai").addPathSegment("deployments").build();
    this.wire = OpenAiClient.builder().name(b.name).httpSettings(b).baseUrl(base.toString()).keyHeader("api-key")
        .urls(deployment -> base.newBuilder().addPathSegment(deployment).addPathSegment("chat")
            .addPathSegment("completions").addQueryParameter("api-version", version).build())
        .maxTokensField(b.maxTokensField).build();
    Map<String, String> m = new LinkedHashMap<>();
    b.deployments.forEach((deployment, model) -> m.put(deployment, model.contains("/") ? model : "openai/" + model));
    this.pricedAs = java.util.Collections.unmodifiableMap(m);
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
    return wire.name();
  }

  /** The resource endpoint, e.g. {@code https://my-resource.openai.azure.com/}. */
  public String endpoint() {
    return endpoint.toString();
  }

  /**
   * Deployment name to the qualified model it is priced as, e.g. {@code my-gpt5-mini-deployment ->
   * openai/gpt-5-mini}. The engine prices {@code azure/my-gpt5-mini-deployment} with the catalog's price of the
   * mapped model; a deployment missing here needs a {@code finops4j.models} entry of its own.
   */
  public Map<String, String> pricedAs() {
    return pricedAs;
  }

  @Override
  public ProviderResponse complete(ProviderRequest request) {
    return wire.complete(request);
  }

  @Override
  public ProviderResponse stream(ProviderRequest request, Llm.TextListener listener) {
    return wire.stream(request, listener);
  }

  @Override
  public void close() {
    wire.close();
  }

  @Override
  public String toString() {
    return "AzureOpenAiClient[" + wire.name() + ", " + endpoint + ", deployments " + pricedAs.keySet() + "]";
  }

  /** Builds an {@link AzureOpenAiClient}; the endpoint and the key are required. */
  public static final class Builder extends ClientBuilder<Builder> {
    private String endpoint;
    private String apiVersion = DEFAULT_API_VERSION;
    private final Map<String, String> deployments = new LinkedHashMap<>();
    private String maxTokensField = OpenAiClient.MAX_COMPLETION_TOKENS;

    private Builder() {
      super("azure");
    }

    /** {@code https://{resource}.openai.azure.com}. */
    public Builder endpoint(String v) { endpoint = Objects.requireNonNull(v, "endpoint"); return this; }
    /** The {@code api-version} query parameter; default {@value #DEFAULT_API_VERSION}. */
    public Builder apiVersion(String v) { apiVersion = Objects.requireNonNull(v, "apiVersion"); return this; }
    /** Declares that {@code deployment} runs {@code model} ({@code gpt-5-mini} or {@code openai/gpt-5-mini}). */
    public Builder deployment(String deployment, String model) {
      deployments.put(Objects.requireNonNull(deployment, "deployment"), Objects.requireNonNull(model, "model"));
      return this;
    }
    /** {@code max_completion_tokens} (default; reasoning models need it) or {@code max_tokens}. */
    public Builder maxTokensField(String v) { maxTokensField = Objects.requireNonNull(v); return this; }

    public AzureOpenAiClient build() {
      return new AzureOpenAiClient(this);
    }
  }
}
