package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded fuzzing of each provider's answer parsing, over real HTTP: recorded answers (plain and streamed) with
 * numbers swapped for extremes, values for other types, fields cut, bytes flipped and bodies truncated. Every
 * answer must give a sane result or a {@link ProviderException}, never another runtime exception, and never a
 * usage count outside 0..10^9. The seed is fixed: a failure names the iteration and the body, and repeats.
 */
class ParserFuzzTest extends ServerTest {

  private static final long SEED = 0x21_2026L;
  private static final int ROUNDS = 200;
  private static final String STRUCTURE = "{}[]:,\"\\\n0-e";
  private static final String[] REPLACEMENTS = {"1e19", "-1", "18446744073709551616", "1.5", "null", "\"x\"", "[]",
      "{}", "true", "0", "2147483648", "-9223372036854775809", "\"\\u0000\"", "\"\\ud800\""};

  static String seed(String provider, boolean stream) {
    switch (provider) {
      case "anthropic":
        return stream ? AnthropicClientTest.MESSAGE_START + AnthropicClientTest.BLOCK_START
            + AnthropicClientTest.textDelta("Hi there") + AnthropicClientTest.BLOCK_STOP
            + AnthropicClientTest.MESSAGE_DELTA + AnthropicClientTest.MESSAGE_STOP : AnthropicClientTest.MESSAGE;
      case "gemini":
        return stream ? GeminiClientTest.chunk("Hi", null, GeminiClientTest.USAGE_1)
            + GeminiClientTest.chunk(" there", "STOP", GeminiClientTest.USAGE_2) : GeminiClientTest.RESPONSE;
      default:
        return stream ? OpenAiClientTest.ROLE_CHUNK + OpenAiClientTest.contentChunk("Hi")
            + OpenAiClientTest.FINISH_CHUNK + OpenAiClientTest.USAGE_CHUNK + OpenAiClientTest.DONE
            : OpenAiClientTest.COMPLETION;
    }
  }

  /** One to three random edits of {@code s}. */
  static String mutate(String s, Random rnd) {
    String out = s;
    int edits = 1 + rnd.nextInt(3);
    for (int e = 0; e < edits && !out.isEmpty(); e++) {
      int at = rnd.nextInt(out.length());
      switch (rnd.nextInt(5)) {
        case 0: { // a number, or the value after a colon, becomes something else
          int colon = out.indexOf(':', at);
          if (colon < 0) {
            break;
          }
          int end = colon + 1;
          while (end < out.length() && ",}]\n".indexOf(out.charAt(end)) < 0) {
            end++;
          }
          out = out.substring(0, colon + 1) + REPLACEMENTS[rnd.nextInt(REPLACEMENTS.length)] + out.substring(end);
          break;
        }
        case 1: // truncated
          out = out.substring(0, at);
          break;
        case 2: // a character flipped to a structural one
          out = out.substring(0, at) + STRUCTURE.charAt(rnd.nextInt(STRUCTURE.length())) + out.substring(at + 1);
          break;
        case 3: { // a stretch deleted
          int end = Math.min(out.length(), at + 1 + rnd.nextInt(40));
          out = out.substring(0, at) + out.substring(end);
          break;
        }
        default: // a stretch repeated
          int end = Math.min(out.length(), at + 1 + rnd.nextInt(40));
          out = out.substring(0, end) + out.substring(at, end) + out.substring(end);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} stream={1}")
  @CsvSource({"openai, false", "openai, true", "anthropic, false", "anthropic, true", "gemini, false",
      "gemini, true"})
  void everyMangledAnswerIsAResultOrAProviderException(String provider, boolean stream) {
    Random rnd = new Random(SEED + provider.hashCode() + (stream ? 1 : 0));
    String seed = seed(provider, stream);
    int failures = 0;
    try (ProviderClient c = build(clientBuilder(provider))) {
      for (int i = 0; i < ROUNDS; i++) {
        String body = mutate(seed, rnd);
        server.enqueue(answer(200, stream ? SSE : "application/json", null, null, body));
        ProviderRequest r = new ProviderRequest(RedirectTest.model(provider), Prompt.of("hi"), 50, null, null, false);
        try {
          ProviderResponse answer = stream ? c.stream(r, d -> { }) : c.complete(r);
          Usage u = answer.usage();
          if (u != null) {
            assertThat(java.util.List.of(u.inputTokens(), u.outputTokens(), u.cachedInputTokens(),
                u.reasoningTokens())).as("iteration %d, body:%n%s", i, body)
                .allMatch(n -> n >= 0 && n <= 3 * OpenAiWire.MAX_COUNT);
          }
          assertThat(answer.text()).as("iteration %d", i).isNotNull();
        } catch (ProviderException expected) {
          failures++;
          assertThat(expected.getMessage()).as("iteration %d", i).startsWith(provider);
        } catch (RuntimeException e) {
          throw new AssertionError("iteration " + i + " threw " + e + " for body:\n" + body, e);
        }
      }
    }
    assertThat(failures).as("the mutations must break some answers").isPositive().isLessThan(ROUNDS);
  }
}
