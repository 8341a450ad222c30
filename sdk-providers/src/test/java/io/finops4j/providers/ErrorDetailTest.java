package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Providers' error messages may quote the prompt (a 400 naming the offending content). By default a
 * {@link ProviderException} keeps the status, error code and request id but not that text; {@code errorDetail(true)}
 * keeps it, in the message and in {@link ProviderException#providerMessage()}.
 */
class ErrorDetailTest extends ServerTest {

  static final String PROMPT = "PROMPT-CANARY my card number is 4111";

  static String errorBody(String provider) {
    String echo = "Invalid content: '" + PROMPT + "'";
    return switch (provider) {
      case "anthropic" -> "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + echo
          + "\"}}";
      case "gemini" -> "{\"error\":{\"code\":400,\"message\":\"" + echo + "\",\"status\":\"INVALID_ARGUMENT\"}}";
      default -> "{\"error\":{\"message\":\"" + echo + "\",\"type\":\"invalid_request_error\",\"code\":"
          + "\"invalid_value\"}}";
    };
  }

  ProviderException fail(String provider, boolean keep, boolean stream) {
    server.enqueue(answer(400, "application/json", "x-request-id", "req-echo", errorBody(provider)));
    ClientBuilder<?> b = clientBuilder(provider).errorDetail(keep);
    try (ProviderClient c = build(b)) {
      ProviderRequest r = new ProviderRequest(RedirectTest.model(provider), Prompt.of(PROMPT), 50, null, null, false);
      Function<ProviderRequest, Object> call = stream ? x -> c.stream(x, d -> { }) : c::complete;
      return catchThrowableOfType(ProviderException.class, () -> call.apply(r));
    }
  }

  @ParameterizedTest(name = "{0} stream={1}")
  @CsvSource({"openai, false", "openai, true", "anthropic, false", "anthropic, true", "gemini, false",
      "gemini, true", "azure, false", "azure, true"})
  void theProvidersTextIsWithheldByDefault(String provider, boolean stream) {
    ProviderException e = fail(provider, false, stream);

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.errorCode()).isNotNull();
    assertThat(e.providerMessage()).isNull();
    assertThat(e.getMessage()).doesNotContain("CANARY").doesNotContain("4111")
        .contains(provider, "HTTP 400", e.errorCode(), "withheld", "error-detail: true");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"openai", "anthropic", "gemini", "azure"})
  void errorDetailKeepsIt(String provider) {
    ProviderException e = fail(provider, true, false);

    assertThat(e.providerMessage()).contains("PROMPT-CANARY");
    assertThat(e.getMessage()).contains("PROMPT-CANARY").doesNotContain("withheld");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"openai", "anthropic", "gemini"})
  void anErrorEventInsideAStreamIsWithheldToo(String provider) {
    String event = switch (provider) {
      case "anthropic" -> "event: error\ndata: " + errorBody(provider) + "\n\n";
      default -> "data: " + errorBody(provider) + "\n\n";
    };
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", SSE).body(event).build());
    ClientBuilder<?> b = clientBuilder(provider);
    try (ProviderClient c = build(b)) {
      ProviderRequest r = new ProviderRequest(RedirectTest.model(provider), Prompt.of(PROMPT), 50, null, null, false);
      ProviderException e = catchThrowableOfType(ProviderException.class, () -> c.stream(r, d -> { }));
      assertThat(e.getMessage()).doesNotContain("CANARY").contains("withheld");
    }
  }
}
