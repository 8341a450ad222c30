package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.ConfigException;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.api.spi.ProviderRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class ProvidersTest {

  static ConfigNode providers(Map<String, Object> map) {
    return ConfigNode.root("app.yaml", "finops4j.providers", map);
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static ConfigException configError(Map<String, Object> config) {
    try {
      Providers.fromConfig(providers(config)).close();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void readsOpenAiPresetsCustomServersAndTheSimulator() {
    try (Providers p = Providers.fromConfig(providers(map(
        "openai", map("api-key", "sk-live-1", "organization", "org-1", "read-timeout", "30s"),
        "groq", map("api-key", "gsk_abc"),
        "ollama", map(),
        "local", map("type", "openai-compatible", "base-url", "http://10.0.0.5:8000/v1/"),
        "simulator", map("seed", 7, "latency", "0ms", "failure-rate", 0.1))))) {

      assertThat(p.clients().keySet()).containsExactly("openai", "groq", "ollama", "local", "simulator");
      assertThat(((OpenAiClient) p.get("openai")).endpoint()).isEqualTo("https://api.openai.com/v1/chat/completions");
      assertThat(((OpenAiClient) p.get("groq")).endpoint())
          .isEqualTo("https://api.groq.com/openai/v1/chat/completions");
      assertThat(p.get("groq").name()).isEqualTo("groq");
      assertThat(((OpenAiClient) p.get("ollama")).endpoint()).isEqualTo("http://localhost:11434/v1/chat/completions");
      assertThat(((OpenAiClient) p.get("local")).endpoint()).isEqualTo("http://10.0.0.5:8000/v1/chat/completions");
      assertThat(p.get("simulator")).isInstanceOf(SimulatorClient.class);
      assertThat(p.toString()).doesNotContain("sk-live-1", "gsk_abc");
      OkHttpClient openai = ((OpenAiClient) p.get("openai")).http();
      OkHttpClient groq = ((OpenAiClient) p.get("groq")).http();
      // one pool and one dispatcher for all, each client with its own timeouts
      assertThat(groq.connectionPool()).isSameAs(openai.connectionPool());
      assertThat(groq.dispatcher()).isSameAs(openai.dispatcher());
      assertThat(openai.dispatcher().getMaxRequestsPerHost()).isEqualTo(64);
      assertThat(((OpenAiClient) p.get("openai")).readTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(((OpenAiClient) p.get("groq")).readTimeout()).isEqualTo(Duration.ofSeconds(60));
      assertThat(groq.connectTimeoutMillis()).isEqualTo(10_000);
      // the call and read timeouts are finops4j's own (CallDeadlines), not OkHttp's
      assertThat(groq.callTimeoutMillis()).isZero();
      assertThat(openai.readTimeoutMillis()).isZero();
      assertThat(openai.writeTimeoutMillis()).isZero();
      assertThat(((OpenAiClient) p.get("groq")).callTimeout()).isEqualTo(Duration.ofMinutes(10));
    }
  }

  @Test
  void everyPresetHasItsBaseUrl() {
    assertThat(Preset.ALL).containsOnlyKeys("openai", "deepseek", "groq", "together", "fireworks", "mistral", "ollama",
        "vllm");
    assertThat(Preset.ALL.get("deepseek").baseUrl()).isEqualTo("https://api.deepseek.com/v1");
    assertThat(Preset.ALL.get("together").baseUrl()).isEqualTo("https://api.together.xyz/v1");
    assertThat(Preset.ALL.get("fireworks").baseUrl()).isEqualTo("https://api.fireworks.ai/inference/v1");
    assertThat(Preset.ALL.get("mistral").baseUrl()).isEqualTo("https://api.mistral.ai/v1");
    assertThat(Preset.ALL.get("vllm").baseUrl()).isEqualTo("http://localhost:8000/v1");
  }

  @Test
  void aSimulatorIsAlwaysThere() {
    try (Providers p = Providers.fromConfig(providers(null))) {
      assertThat(p.clients()).containsOnlyKeys("simulator");
      assertThat(p.get("simulator").complete(new ProviderRequest("gpt-5-mini", Prompt.of("hi"), 10, null, null, false))
          .usage().inputTokens()).isEqualTo(5);
    }
  }

  @Test
  void aConfiguredCompatibleServerGetsMaxTokensAndNoAuthorizationWithoutAKey() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
          .body(OpenAiClientTest.COMPLETION).build());
      try (Providers p = Providers.fromConfig(providers(map(
          "local", map("type", "openai-compatible", "base-url", server.url("/v1").toString()))))) {
        p.get("local").complete(new ProviderRequest("qwen3", Prompt.of("hi"), 64, null, null, false));
      }
      RecordedRequest rec = server.takeRequest(5, TimeUnit.SECONDS);
      JsonNode body = new ObjectMapper().readTree(rec.getBody().utf8());
      assertThat(body.get("max_tokens").asInt()).isEqualTo(64);
      assertThat(rec.getHeaders().get("Authorization")).isNull();
    }
  }

  @Test
  void unknownKeyNamesItsPath() {
    ConfigException e = configError(map("openai", map("api-key", "k", "base_ur1", "https://x")));

    assertThat(e.path()).isEqualTo("finops4j.providers.openai.base_ur1");
    assertThat(e.getMessage()).contains("finops4j.providers.openai.base_ur1", "unknown key", "base-url", "app.yaml");
  }

  @Test
  void missingApiKeyNamesItsPath() {
    ConfigException openai = configError(map("openai", map("base-url", "https://api.openai.com/v1")));
    ConfigException groq = configError(map("groq", map()));
    ConfigException blank = configError(map("mistral", map("api-key", " ")));

    assertThat(openai.path()).isEqualTo("finops4j.providers.openai.api-key");
    assertThat(openai.getMessage()).contains("needs an API key", "OPENAI_API_KEY");
    assertThat(groq.path()).isEqualTo("finops4j.providers.groq.api-key");
    assertThat(blank.path()).isEqualTo("finops4j.providers.mistral.api-key");
    assertThat(blank.getMessage()).contains("blank");
    assertThat(configError(map("openai", map("api-key", "${OPENAI_API_KEY}"))).getMessage())
        .contains("finops4j.providers.openai.api-key", "unresolved placeholder");
  }

  @Test
  void unknownTypeNamesItsPathAndTheChoices() {
    ConfigException e = configError(map("local", map("type", "openai-compatibel", "base-url", "http://h/v1")));

    assertThat(e.path()).isEqualTo("finops4j.providers.local.type");
    assertThat(e.getMessage()).contains("openai-compatibel", "openai-compatible", "simulator");
  }

  @Test
  void unknownProviderNameWithoutTypeFails() {
    ConfigException e = configError(map("my-llm", map("base-url", "http://h/v1")));

    assertThat(e.path()).isEqualTo("finops4j.providers.my-llm");
    assertThat(e.getMessage()).contains("unknown provider 'my-llm'", "type: openai-compatible");
  }

  @Test
  void readsAnthropicGeminiAndAzureWithTheirDefaults() {
    try (Providers p = Providers.fromConfig(providers(map(
        "anthropic", map("api-key", "sk-ant-1", "default-max-tokens", 2048),
        "gemini", map("api-key", "AIza-1"),
        "azure", map("endpoint", "https://acme.openai.azure.com", "api-key", "az-1", "api-version", "2024-10-21",
            "deployments", map("my-gpt5-mini-deployment", "gpt-5-mini", "big", "openai/gpt-5")),
        "claude-eu", map("type", "anthropic", "api-key", "sk-ant-2", "base-url", "https://eu.example.com/"))))) {

      assertThat(p.clients().keySet()).containsExactly("anthropic", "gemini", "azure", "claude-eu", "simulator");
      assertThat(((AnthropicClient) p.get("anthropic")).endpoint()).isEqualTo("https://api.anthropic.com/v1/messages");
      assertThat(((AnthropicClient) p.get("claude-eu")).endpoint()).isEqualTo("https://eu.example.com/v1/messages");
      assertThat(((GeminiClient) p.get("gemini")).url("gemini-2.5-flash", "generateContent").toString())
          .isEqualTo("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
      assertThat(p.get("azure")).isInstanceOf(AzureOpenAiClient.class);
      assertThat(p.pricedAs()).containsExactly(Map.entry("azure/my-gpt5-mini-deployment", "openai/gpt-5-mini"),
          Map.entry("azure/big", "openai/gpt-5"));
    }
  }

  @Test
  void newProviderTypesNameTheBadKeyAndNeverQuoteSecrets() {
    assertThat(configError(map("anthropic", map())).path()).isEqualTo("finops4j.providers.anthropic.api-key");
    assertThat(configError(map("anthropic", map())).getMessage()).contains("ANTHROPIC_API_KEY");
    assertThat(configError(map("gemini", map("api-key", "${GEMINI_API_KEY}"))).getMessage())
        .contains("unresolved placeholder");
    assertThat(configError(map("gemini", map("api-key", "k", "base-url", "https://h?key=AIzaSecret"))).path())
        .isEqualTo("finops4j.providers.gemini.base-url");
    assertThat(configError(map("anthropic", map("api-key", "k", "default-max-tokens", 0))).path())
        .isEqualTo("finops4j.providers.anthropic.default-max-tokens");
    assertThat(configError(map("anthropic", map("api-key", "k", "deployments", map()))).path())
        .isEqualTo("finops4j.providers.anthropic.deployments");
    ConfigException noEndpoint = configError(map("azure", map("api-key", "k")));
    assertThat(noEndpoint.path()).isEqualTo("finops4j.providers.azure.endpoint");
    assertThat(noEndpoint.getMessage()).contains("openai.azure.com");
    assertThat(configError(map("azure", map("endpoint", "https://a.openai.azure.com", "api-key", "k",
        "deployments", "gpt-5-mini"))).path()).isEqualTo("finops4j.providers.azure.deployments");
    assertThat(configError(map("my-azure", map("type", "azure-openai", "endpoint", "https://a.openai.azure.com")))
        .path()).isEqualTo("finops4j.providers.my-azure.api-key");
    assertThat(configError(map("gemini", "AIzaSyOops")).getMessage()).doesNotContain("AIzaSyOops");
  }

  @Test
  void badValuesNameTheirPaths() {
    assertThat(configError(map("local", map("type", "openai-compatible"))).path())
        .isEqualTo("finops4j.providers.local.base-url");
    assertThat(configError(map("local", map("type", "openai-compatible", "base-url", "not a url"))).path())
        .isEqualTo("finops4j.providers.local.base-url");
    ConfigException query = configError(map("openai", map("api-key", "k", "base-url", "https://h/v1?key=abc")));
    assertThat(query.getMessage()).contains("query string");
    assertThat(configError(map("openai", map("api-key", "k", "read-timeout", "soon"))).path())
        .isEqualTo("finops4j.providers.openai.read-timeout");
    assertThat(configError(map("openai", map("api-key", "k", "call-timeout", "0s"))).path())
        .isEqualTo("finops4j.providers.openai.call-timeout");
    assertThat(configError(map("openai", map("api-key", "k", "max-tokens-field", "tokens"))).path())
        .isEqualTo("finops4j.providers.openai.max-tokens-field");
    ConfigException api = configError(map("openai", map("api-key", "k", "api", "assistants")));
    assertThat(api.path()).isEqualTo("finops4j.providers.openai.api");
    assertThat(api.getMessage()).contains("chat", "responses");
    assertThat(configError(map("simulator", map("failure-rate", 2))).path())
        .isEqualTo("finops4j.providers.simulator.failure-rate");
    assertThat(configError(map("simulator", map("seed", "x"))).path()).isEqualTo("finops4j.providers.simulator.seed");
    assertThat(configError(map("simulator", map("api-key", "k"))).path())
        .isEqualTo("finops4j.providers.simulator.api-key");
    assertThat(configError(map("openai", "sk-oops")).getMessage()).contains("expected a map")
        .doesNotContain("sk-oops");
  }

  @Test
  void builderAddsClientsAndRejectsDuplicates() {
    try (Providers p = Providers.builder().openAi(b -> b.apiKey("sk-1")).preset("ollama", null)
        .add(SimulatorClient.builder().name("sim-fast").build()).build()) {
      assertThat(p.clients().keySet()).containsExactly("openai", "ollama", "sim-fast", "simulator");
      assertThatThrownBy(() -> p.get("anthropic")).hasMessageContaining("no provider named 'anthropic'")
          .hasMessageContaining("[openai, ollama, sim-fast, simulator]");
    }
    assertThatThrownBy(() -> Providers.builder().add(SimulatorClient.create()).add(SimulatorClient.create()))
        .hasMessageContaining("already added");
    assertThatThrownBy(() -> Providers.builder().preset("groq", null)).hasMessageContaining("needs an API key");
  }

  @Test
  void sharedHttpClientIsSizedForTheSdk() {
    OkHttpClient http = HttpClients.newShared();
    try {
      assertThat(http.dispatcher().getMaxRequests()).isEqualTo(256);
      assertThat(http.dispatcher().getMaxRequestsPerHost()).isEqualTo(64);
    } finally {
      HttpClients.shutdown(http);
    }
  }

  @Test
  void theResponsesApiIsChosenPerProviderAndAlwaysForTheProModels() {
    try (Providers p = Providers.fromConfig(providers(map("openai", map("api-key", "k", "api", "responses"),
        "groq", map("api-key", "gsk"))))) {
      OpenAiClient openai = (OpenAiClient) p.get("openai");
      assertThat(openai.responses("gpt-5-mini")).isTrue();
      OpenAiClient chat = (OpenAiClient) p.get("groq");
      assertThat(chat.responses("llama-3.3-70b-versatile")).isFalse();
      assertThat(chat.responses("gpt-5-pro")).isTrue();
      assertThat(chat.responses("o3-pro-2025-06-10")).isTrue();
      assertThat(chat.responses("gpt-5-mini")).isFalse();
    }
  }
}
