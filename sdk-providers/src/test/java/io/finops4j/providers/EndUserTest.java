package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The end-user id (attribution user, else customer) reaches OpenAI's and Azure's {@code user} and Anthropic's
 * {@code metadata.user_id}: hashed by default, or not at all, or as it is.
 */
class EndUserTest extends ServerTest {

  static final String USER_42_SHA256 = "6d894aa3ee802549d7f340e7c1cf0d1c1cb14cd84f768d92ffaa6785337c4997";

  /** The end-user field of the body {@code provider} receives with {@code mode}; null when absent. */
  String sentUser(String provider, EndUser mode) throws Exception {
    ClientBuilder<?> b = clientBuilder(provider);
    if (mode != null) {
      b.endUser(mode);
    }
    String body = provider.equals("anthropic") ? AnthropicClientTest.MESSAGE : OpenAiClientTest.COMPLETION;
    server.enqueue(answer(200, "application/json", null, null, body));
    try (ProviderClient c = build(b)) {
      c.complete(new ProviderRequest(RedirectTest.model(provider), Prompt.of("hi"), 50, null, "user-42", false));
    }
    RecordedRequest rec = server.takeRequest();
    JsonNode j = json.readTree(rec.getBody().utf8());
    JsonNode user = provider.equals("anthropic") ? j.at("/metadata/user_id") : j.get("user");
    assertThat(rec.getBody().utf8().contains("user-42")).isEqualTo(mode == EndUser.RAW);
    return user == null || user.isMissingNode() ? null : user.asText();
  }

  @ParameterizedTest
  @CsvSource({"openai", "azure", "anthropic"})
  void hashedByDefault(String provider) throws Exception {
    assertThat(sentUser(provider, null)).isEqualTo(USER_42_SHA256);
  }

  @ParameterizedTest
  @CsvSource({"openai", "azure", "anthropic"})
  void offSendsNothingAndRawSendsTheId(String provider) throws Exception {
    assertThat(sentUser(provider, EndUser.OFF)).isNull();
    assertThat(sentUser(provider, EndUser.RAW)).isEqualTo("user-42");
  }

  /** The hash is remembered per client: repeated and interleaved users each keep their own hash on every call. */
  @Test
  void eachUserKeepsItsHashAcrossCalls() throws Exception {
    List<String> users = List.of("user-42", "user-7", "user-42", "user-7");
    List<String> sent = new java.util.ArrayList<>();
    try (ProviderClient c = build(clientBuilder("openai"))) {
      for (String user : users) {
        server.enqueue(answer(200, "application/json", null, null, OpenAiClientTest.COMPLETION));
        c.complete(new ProviderRequest("gpt-5-mini", Prompt.of("hi"), 50, null, user, false));
        sent.add(json.readTree(server.takeRequest().getBody().utf8()).get("user").asText());
      }
    }
    String user7 = "092081140b677b45dbe983b2f0d4ae0259ff2945bfa82f996fd7f6cac6916862"; // sha256sum of "user-7"
    assertThat(sent).containsExactly(USER_42_SHA256, user7, USER_42_SHA256, user7);
  }

  @Test
  void configuredPerProvider() throws Exception {
    server.enqueue(answer(200, "application/json", null, null, OpenAiClientTest.COMPLETION));
    try (Providers p = Providers.fromConfig(ProvidersTest.providers(ProvidersTest.map(
        "openai", ProvidersTest.map("api-key", "sk-1", "base-url", server.url("/v1").toString(), "end-user",
            "raw"))))) {
      p.get("openai").complete(new ProviderRequest("gpt-5-mini", Prompt.of("hi"), 50, null, "user-42", false));
    }
    assertThat(json.readTree(server.takeRequest().getBody().utf8()).get("user").asText()).isEqualTo("user-42");
    assertThat(ProvidersTest.configError(ProvidersTest.map("openai", ProvidersTest.map("api-key", "sk-1",
        "end-user", "plain"))).getMessage())
        .contains("finops4j.providers.openai.end-user: expected one of [hashed, off, raw], got 'plain'");
    assertThat(ProvidersTest.configError(ProvidersTest.map("gemini", ProvidersTest.map("api-key", "AIza1",
        "end-user", "raw"))).getMessage()).contains("end-user: unknown key");
  }
}
