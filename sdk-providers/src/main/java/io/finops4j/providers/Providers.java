package io.finops4j.providers;

import io.finops4j.api.ConfigException;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.api.spi.ProviderClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The provider clients of one application, by name, sharing one {@link OkHttpClient} (one connection pool, one
 * dispatcher sized for the SDK: 256 requests, 64 per host).
 *
 * <pre>{@code
 * finops4j:
 *   providers:
 *     openai: { api-key: ${OPENAI_API_KEY} }
 *     groq:   { api-key: ${GROQ_API_KEY} }                  # preset: base-url known
 *     local:  { type: openai-compatible, base-url: http://10.0.0.5:8000/v1 }
 *     simulator: { seed: 7, failure-rate: 0.05 }
 * }</pre>
 *
 * <p>A {@code simulator} provider is always present (with its defaults unless configured), so offline examples
 * need no provider entry at all.
 */
public final class Providers implements AutoCloseable {

  /** The {@code type} values. */
  static final List<String> TYPES = List.of("openai", "openai-compatible", "simulator", "anthropic", "gemini",
      "azure-openai");

  private static final String[] OPENAI_KEYS = {"type", "api-key", "base-url", "organization", "project",
      "connect-timeout", "read-timeout", "call-timeout", "error-detail", "max-tokens-field",
      "end-user", "api"};
  private static final String[] SIMULATOR_KEYS = {"type", "seed", "latency", "failure-rate"};
  private static final String[] ANTHROPIC_KEYS = {"type", "api-key", "base-url", "version", "default-max-tokens",
      "connect-timeout", "read-timeout", "call-timeout", "error-detail", "end-user"};
  private static final String[] GEMINI_KEYS = {"type", "api-key", "base-url", "version", "connect-timeout",
      "read-timeout", "call-timeout", "error-detail"};
  private static final String[] AZURE_KEYS = {"type", "api-key", "endpoint", "api-version", "deployments",
      "max-tokens-field", "connect-timeout", "read-timeout", "call-timeout", "error-detail", "end-user"};

  private final Map<String, ProviderClient> clients;
  private final OkHttpClient ownedHttp;

  private Providers(Map<String, ProviderClient> clients, OkHttpClient ownedHttp) {
    this.clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
    this.ownedHttp = ownedHttp;
  }

  /**
   * Reads {@code finops4j.providers}: a map of provider name to its settings. Every bad or missing value fails
   * with a {@link ConfigException} naming its key path.
   */
  public static Providers fromConfig(ConfigNode providersNode) {
    Builder b = builder();
    try {
      for (Map.Entry<String, ConfigNode> e : providersNode.asMap().entrySet()) {
        b.add(fromConfig(e.getKey(), e.getValue(), b));
      }
      return b.build();
    } catch (RuntimeException e) {
      b.abandon();
      throw e;
    }
  }

  private static ProviderClient fromConfig(String name, ConfigNode node, Builder b) {
    if (name.isBlank() || name.contains("/")) {
      throw node.error("a provider name must be non-blank and contain no '/' (it is the first part of model ids)");
    }
    if (node.isPresent() && !(node.raw() instanceof Map)) {
      // not ConfigNode's own message: it would quote the value, and a key pasted here would reach the log
      throw node.error("expected a map of settings such as { api-key: ..., base-url: ... }");
    }
    String type = node.has("type") ? node.get("type").asOneOf(TYPES) : inferType(name, node);
    switch (type) {
      case "simulator":
        return simulator(name, node.allowKeys(SIMULATOR_KEYS));
      case "anthropic":
        return anthropic(name, node.allowKeys(ANTHROPIC_KEYS), b.http());
      case "gemini":
        return gemini(name, node.allowKeys(GEMINI_KEYS), b.http());
      case "azure-openai":
        return azure(name, node.allowKeys(AZURE_KEYS), b.http());
      default:
        return openAi(name, type, node.allowKeys(OPENAI_KEYS), b.http());
    }
  }

  private static AnthropicClient anthropic(String name, ConfigNode node, OkHttpClient http) {
    AnthropicClient.Builder b = AnthropicClient.builder().name(name).httpClient(http)
        .baseUrl(baseUrl(node.get("base-url"), AnthropicClient.DEFAULT_BASE_URL))
        .apiKey(requiredKey(node.get("api-key"), name))
        .version(node.get("version").asString(AnthropicClient.DEFAULT_VERSION).trim());
    ConfigNode max = node.get("default-max-tokens");
    long m = max.asLong(AnthropicClient.DEFAULT_MAX_TOKENS);
    if (m <= 0 || m > Integer.MAX_VALUE) {
      throw max.error("expected a positive whole number of tokens, got '" + max.raw() + "'");
    }
    b.defaultMaxTokens((int) m);
    timeouts(b, node);
    return b.build();
  }

  private static GeminiClient gemini(String name, ConfigNode node, OkHttpClient http) {
    GeminiClient.Builder b = GeminiClient.builder().name(name).httpClient(http)
        .baseUrl(baseUrl(node.get("base-url"), GeminiClient.DEFAULT_BASE_URL))
        .apiKey(requiredKey(node.get("api-key"), name))
        .version(node.get("version").asString(GeminiClient.DEFAULT_VERSION).trim());
    timeouts(b, node);
    return b.build();
  }

  private static AzureOpenAiClient azure(String name, ConfigNode node, OkHttpClient http) {
    ConfigNode endpoint = node.get("endpoint");
    if (!endpoint.isPresent()) {
      throw endpoint.error("required value is missing: an azure-openai provider needs its resource endpoint, e.g."
          + " https://my-resource.openai.azure.com");
    }
    AzureOpenAiClient.Builder b = AzureOpenAiClient.builder().name(name).httpClient(http)
        .endpoint(baseUrl(endpoint, null))
        .apiKey(requiredKey(node.get("api-key"), name))
        .apiVersion(node.get("api-version").asString(AzureOpenAiClient.DEFAULT_API_VERSION).trim());
    for (Map.Entry<String, ConfigNode> d : node.get("deployments").asMap().entrySet()) {
      String model = d.getValue().asString().trim();
      if (model.isEmpty()) {
        throw d.getValue().error("expected the model this deployment runs, e.g. gpt-5-mini");
      }
      b.deployment(d.getKey(), model);
    }
    ConfigNode field = node.get("max-tokens-field");
    b.maxTokensField(field.isPresent() ? field.asOneOf(List.of(OpenAiClient.MAX_COMPLETION_TOKENS,
        OpenAiClient.MAX_TOKENS)) : OpenAiClient.MAX_COMPLETION_TOKENS);
    timeouts(b, node);
    return b.build();
  }

  /** An http(s) URL without a query string (keys travel only in headers), or {@code defaultValue}. */
  private static String baseUrl(ConfigNode node, String defaultValue) {
    String url = node.asString(defaultValue).trim();
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw node.error("expected an http or https URL, got '" + url + "'");
    }
    if (parsed.query() != null) {
      throw node.error("must not carry a query string: keys travel only in headers");
    }
    return url;
  }

  private static ApiKey requiredKey(ConfigNode key, String name) {
    if (!key.isPresent()) {
      throw key.error("required value is missing: the " + name + " provider needs an API key, e.g. api-key: ${"
          + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_API_KEY}");
    }
    return key(key);
  }

  private static ApiKey key(ConfigNode key) {
    String k = key.asString();
    if (k.isBlank()) {
      throw key.error("is blank (is the environment variable it refers to set?)");
    }
    if (k.startsWith("${")) {
      throw key.error("is an unresolved placeholder (is the environment variable it refers to set?)");
    }
    return ApiKey.of(k);
  }

  private static String inferType(String name, ConfigNode node) {
    if (name.equals("openai")) {
      return "openai";
    }
    if (Preset.ALL.containsKey(name)) {
      return "openai-compatible";
    }
    if (TYPES.contains(name)) {
      return name; // simulator, anthropic, gemini, azure-openai
    }
    if (name.equals("azure")) {
      return "azure-openai";
    }
    throw node.error("unknown provider '" + name + "': add 'type: openai-compatible' and a base-url, or use a known"
        + " name " + new TreeSet<>(knownNames()));
  }

  /**
   * {@code connect-timeout}, {@code read-timeout} and {@code call-timeout}, each positive when set, and
   * {@code error-detail}.
   */
  private static void timeouts(ClientBuilder<?> b, ConfigNode node) {
    b.errorDetail(node.get("error-detail").asBoolean(false));
    ConfigNode endUser = node.get("end-user");
    if (endUser.isPresent()) {
      b.endUser(EndUser.valueOf(endUser.asOneOf(List.of("off", "hashed", "raw")).toUpperCase(java.util.Locale.ROOT)));
    }
    b.connectTimeout(positive(node.get("connect-timeout"), OpenAiClient.DEFAULT_CONNECT_TIMEOUT));
    b.readTimeout(positive(node.get("read-timeout"), OpenAiClient.DEFAULT_READ_TIMEOUT));
    b.callTimeout(positive(node.get("call-timeout"), OpenAiClient.DEFAULT_CALL_TIMEOUT));
  }

  private static List<String> knownNames() {
    List<String> names = new ArrayList<>(Preset.ALL.keySet());
    names.addAll(List.of("simulator", "anthropic", "gemini", "azure"));
    return names;
  }

  private static OpenAiClient openAi(String name, String type, ConfigNode node, OkHttpClient http) {
    Preset preset = Preset.ALL.get(name);
    OpenAiClient.Builder b = OpenAiClient.builder().name(name).httpClient(http);

    ConfigNode baseUrl = node.get("base-url");
    String url = baseUrl.asString(preset == null ? null : preset.baseUrl());
    if (url == null) {
      throw baseUrl.error("required value is missing: an openai-compatible provider needs the URL before"
          + " /chat/completions, e.g. http://localhost:8000/v1");
    }
    HttpUrl parsed = HttpUrl.parse(url.trim());
    if (parsed == null) {
      throw baseUrl.error("expected an http or https URL, got '" + url + "'");
    }
    if (parsed.query() != null) {
      throw baseUrl.error("must not carry a query string: keys travel only in the Authorization header");
    }
    b.baseUrl(url.trim());

    ConfigNode key = node.get("api-key");
    boolean needsKey = preset != null ? preset.needsKey() : type.equals("openai");
    if (key.isPresent() || needsKey) {
      b.apiKey(requiredKey(key, name));
    }

    b.organization(node.get("organization").asString(null));
    b.project(node.get("project").asString(null));
    String defaultField = preset != null ? preset.maxTokensField()
        : type.equals("openai") ? OpenAiClient.MAX_COMPLETION_TOKENS : OpenAiClient.MAX_TOKENS;
    ConfigNode field = node.get("max-tokens-field");
    b.maxTokensField(field.isPresent()
        ? field.asOneOf(List.of(OpenAiClient.MAX_COMPLETION_TOKENS, OpenAiClient.MAX_TOKENS)) : defaultField);
    ConfigNode api = node.get("api");
    if (api.isPresent()) {
      b.api(api.asOneOf(List.of(OpenAiClient.CHAT, OpenAiClient.RESPONSES)));
    }
    timeouts(b, node);
    return b.build();
  }

  private static Duration positive(ConfigNode node, Duration defaultValue) {
    Duration d = node.asDuration(defaultValue, Duration.ZERO, Duration.ofDays(1));
    if (d.isNegative() || d.isZero()) {
      throw node.error("expected a positive duration, got '" + node.raw() + "'");
    }
    return d;
  }

  private static SimulatorClient simulator(String name, ConfigNode node) {
    SimulatorClient.Builder b = SimulatorClient.builder().name(name);
    b.seed(node.get("seed").asLong(SimulatorClient.DEFAULT_SEED));
    ConfigNode latency = node.get("latency");
    Duration d = latency.asDuration(Duration.ZERO, Duration.ZERO, Duration.ofHours(1));
    if (d.isNegative()) {
      throw latency.error("expected zero or a positive duration, got '" + latency.raw() + "'");
    }
    b.latency(d);
    ConfigNode rate = node.get("failure-rate");
    double r = rate.asDouble(0);
    if (!(r >= 0 && r <= 1)) {
      throw rate.error("expected a share between 0 and 1, got '" + rate.raw() + "'");
    }
    b.failureRate(r);
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every client by name, in configuration order. */
  public Map<String, ProviderClient> clients() {
    return clients;
  }

  /**
   * Qualified model ids whose price is another model's: every Azure deployment, e.g.
   * {@code azure/my-gpt5-mini-deployment -> openai/gpt-5-mini}. The engine prices a call to a key of this map at
   * the catalog price of its value.
   */
  public Map<String, String> pricedAs() {
    Map<String, String> m = new LinkedHashMap<>();
    for (ProviderClient c : clients.values()) {
      if (c instanceof AzureOpenAiClient azure) {
        azure.pricedAs().forEach((deployment, model) -> m.put(c.name() + "/" + deployment, model));
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /** The client named {@code name}; fails naming the configured providers when there is none. */
  public ProviderClient get(String name) {
    ProviderClient c = clients.get(name);
    if (c == null) {
      throw new IllegalArgumentException("no provider named '" + name + "' is configured (finops4j.providers); "
          + "configured: " + clients.keySet());
    }
    return c;
  }

  /** Closes every client, then the shared HTTP client if this instance created it. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (ProviderClient c : clients.values()) {
      try {
        c.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (ownedHttp != null) {
      HttpClients.shutdown(ownedHttp);
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "Providers" + clients.keySet();
  }

  /**
   * Assembles providers in code.
   *
   * <pre>{@code
   * Providers providers = Providers.builder()
   *     .openAi(b -> b.apiKey(System.getenv("OPENAI_API_KEY")))
   *     .preset("groq", System.getenv("GROQ_API_KEY"))
   *     .add(SimulatorClient.builder().seed(7).build())
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final Map<String, ProviderClient> clients = new LinkedHashMap<>();
    private OkHttpClient http;
    private boolean ownsHttp;

    private Builder() {}

    /** Shares {@code client}'s pool and dispatcher instead of creating one; the caller keeps ownership. */
    public Builder httpClient(OkHttpClient client) {
      if (http != null) {
        throw new IllegalStateException("set the HTTP client before adding OpenAI clients");
      }
      http = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Adds a client; its {@link ProviderClient#name()} must be new. */
    public Builder add(ProviderClient client) {
      Objects.requireNonNull(client, "client");
      if (clients.containsKey(client.name())) {
        throw new IllegalArgumentException("a provider named '" + client.name() + "' was already added");
      }
      clients.put(client.name(), client);
      return this;
    }

    /** Adds an OpenAI-wire client on the shared HTTP client; name it with {@code b.name(...)} for a compatible server. */
    public Builder openAi(Consumer<OpenAiClient.Builder> configure) {
      return add(onShared(OpenAiClient.builder(), configure).build());
    }

    /** Adds an Anthropic client on the shared HTTP client. */
    public Builder anthropic(Consumer<AnthropicClient.Builder> configure) {
      return add(onShared(AnthropicClient.builder(), configure).build());
    }

    /** Adds a Gemini client on the shared HTTP client. */
    public Builder gemini(Consumer<GeminiClient.Builder> configure) {
      return add(onShared(GeminiClient.builder(), configure).build());
    }

    /** Adds an Azure OpenAI client on the shared HTTP client. */
    public Builder azureOpenAi(Consumer<AzureOpenAiClient.Builder> configure) {
      return add(onShared(AzureOpenAiClient.builder(), configure).build());
    }

    /** {@code b} as {@code configure} leaves it, on the shared HTTP client. */
    private <B extends ClientBuilder<B>> B onShared(B b, Consumer<B> configure) {
      configure.accept(b);
      return b.httpClient(http());
    }

    /** Adds a known OpenAI-compatible provider by name ({@code groq}, {@code deepseek}, {@code ollama}, ...). */
    public Builder preset(String name, String apiKey) {
      Preset p = Preset.ALL.get(name);
      if (p == null) {
        throw new IllegalArgumentException("unknown preset '" + name + "'; known: " + new TreeSet<>(Preset.ALL.keySet()));
      }
      if (p.needsKey() && (apiKey == null || apiKey.isBlank())) {
        throw new IllegalArgumentException("the " + name + " provider needs an API key");
      }
      return openAi(b -> b.name(name).baseUrl(p.baseUrl()).maxTokensField(p.maxTokensField())
          .apiKey(apiKey == null || apiKey.isBlank() ? null : ApiKey.of(apiKey)));
    }

    OkHttpClient http() {
      if (http == null) {
        http = HttpClients.newShared();
        ownsHttp = true;
      }
      return http;
    }

    void abandon() {
      if (ownsHttp) {
        HttpClients.shutdown(http);
      }
    }

    /** Builds the registry, adding a default {@code simulator} when none was added. */
    public Providers build() {
      if (!clients.containsKey(SimulatorClient.NAME)) {
        clients.put(SimulatorClient.NAME, SimulatorClient.create());
      }
      return new Providers(clients, ownsHttp ? http : null);
    }
  }
}
