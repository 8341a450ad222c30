package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A provider (or something in front of it) answering with a redirect to another host: the key and the prompt must
 * not go there. Provider calls never follow redirects; a 3xx is a {@link ProviderException} naming the provider,
 * the status and the host it pointed to.
 */
class RedirectTest extends ServerTest {

  static final String SECRET_PROMPT = "canary-prompt-7f3a";

  MockWebServer elsewhere;

  @BeforeEach
  void startElsewhere() throws Exception {
    elsewhere = new MockWebServer();
    elsewhere.start();
  }

  @AfterEach
  void stopElsewhere() {
    elsewhere.close();
  }

  ProviderClient client(String provider) {
    String base = server.url("/").toString();
    return switch (provider) {
      case "openai" -> OpenAiClient.builder().apiKey(OpenAiClientTest.KEY).baseUrl(base + "v1").build();
      case "anthropic" -> AnthropicClient.builder().apiKey(AnthropicClientTest.KEY).baseUrl(base).build();
      case "gemini" -> GeminiClient.builder().apiKey(GeminiClientTest.KEY).baseUrl(base).build();
      case "azure" -> AzureOpenAiClient.builder().endpoint(base).apiKey(AzureOpenAiClientTest.KEY)
          .deployment("gpt-5-mini", "gpt-5-mini").build();
      default -> throw new IllegalArgumentException(provider);
    };
  }

  static String model(String provider) {
    return switch (provider) {
      case "anthropic" -> "claude-haiku-4-5";
      case "gemini" -> "gemini-2.5-flash";
      default -> "gpt-5-mini";
    };
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
      "openai, 307, false", "openai, 308, true", "openai, 302, false", "openai, 301, true",
      "anthropic, 307, false", "anthropic, 308, true", "anthropic, 302, false",
      "azure, 307, false", "azure, 308, true", "azure, 303, false",
      "gemini, 307, false", "gemini, 308, true", "gemini, 301, false"})
  void aRedirectIsNotFollowedAndNamesItsTarget(String provider, int status, boolean stream) {
    String target = elsewhere.url("/steal").toString();
    server.enqueue(new MockResponse.Builder().code(status).addHeader("Location", target).build());
    elsewhere.enqueue(new MockResponse.Builder().code(400).build()); // a followed redirect fails fast
    ProviderRequest request = new ProviderRequest(model(provider), Prompt.of(SECRET_PROMPT), 50, null, null, false);

    ProviderException e;
    try (ProviderClient c = client(provider)) {
      Function<ProviderRequest, Object> call = stream ? r -> c.stream(r, delta -> { }) : c::complete;
      e = catchThrowableOfType(ProviderException.class, () -> call.apply(request));
    }

    assertThat(elsewhere.getRequestCount()).as("requests sent to the redirect target").isZero();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.errorCode()).isEqualTo("redirect");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains(provider, "HTTP " + status, "redirect",
        elsewhere.getHostName() + ":" + elsewhere.getPort(), "not followed")
        .doesNotContain(SECRET_PROMPT, "/steal");
  }
}
