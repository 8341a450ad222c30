package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Finops4jException;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing through the whole engine: mangled OpenAI answers, plain and streamed, under a budget. Every call
 * ends in a completion or a {@code Finops4jException}, leaves nothing reserved, and the budget's spend equals the
 * ledger's cost.
 */
class EngineFuzzTest {

  private static final long SEED = 0x21_0008L;
  private static final int ROUNDS = 150;
  private static final String[] REPLACEMENTS = {"1e19", "-1", "18446744073709551616", "1.5", "null", "\"x\"", "[]",
      "{}", "0", "2147483648"};
  private static final String HEAD = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-5-mini\",";
  private static final String PLAIN = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-5-mini\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"refund sent\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":30,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":100},\"completion_tokens_details\":{\"reasoning_tokens\":10}}}";
  private static final String STREAM = "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"refund\"},"
      + "\"finish_reason\":null}]}\n\n" + "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{},"
      + "\"finish_reason\":\"stop\"}]}\n\n" + "data: " + HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":120,"
      + "\"completion_tokens\":30}}\n\n" + "data: [DONE]\n\n";

  static String mutate(String s, Random rnd) {
    int at = rnd.nextInt(s.length());
    switch (rnd.nextInt(3)) {
      case 0: {
        int colon = s.indexOf(':', at);
        if (colon < 0) {
          return s.substring(0, at);
        }
        int end = colon + 1;
        while (end < s.length() && ",}]\n".indexOf(s.charAt(end)) < 0) {
          end++;
        }
        return s.substring(0, colon + 1) + REPLACEMENTS[rnd.nextInt(REPLACEMENTS.length)] + s.substring(end);
      }
      case 1:
        return s.substring(0, at);
      default:
        return s.substring(0, at) + "{}[]:,\"0".charAt(rnd.nextInt(8)) + s.substring(at + 1);
    }
  }

  @Test
  void everyMangledAnswerLeavesNothingReservedAndChargesWhatItRecords() throws Exception {
    List<CallRecord> records = new CopyOnWriteArrayList<>();
    Attribution acme = Attribution.of("acme", "chat");
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      String yaml = """
          finops4j:
            providers:
              openai: { api-key: sk-test-abcdefghijklmnop, base-url: %s }
            tiers: { small: [openai/gpt-5-mini] }
            tasks: { chat: { tier: small, max-output-tokens: 200 } }
            budgets:
              - { scope: customer, limit: 1000, period: day }
            routing: { max-retries: 0 }
          """.formatted(server.url("/v1"));
      try (Llm llm = Finops4j.builder().listener(records::add)
          .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "t.yaml"))
          .build()) {
        Random rnd = new Random(SEED);
        for (int i = 0; i < ROUNDS; i++) {
          boolean stream = rnd.nextBoolean();
          String body = mutate(stream ? STREAM : PLAIN, rnd);
          server.enqueue(new MockResponse.Builder().code(200)
              .addHeader("Content-Type", stream ? "text/event-stream" : "application/json").body(body).build());
          CompletionRequest request = CompletionRequest.builder("chat", Prompt.of("Where is my refund?"))
              .attribution(acme).build();
          try {
            if (stream) {
              llm.stream(request, d -> { });
            } else {
              llm.complete(request);
            }
          } catch (Finops4jException clear) {
            // a clear failure is fine; what matters is the budget below
          } catch (RuntimeException e) {
            throw new AssertionError("iteration " + i + " threw " + e + " for body:\n" + body, e);
          }
          var usage = llm.budgets().usage(acme).get(0);
          assertThat(usage.reserved()).as("iteration %d, body:%n%s", i, body).isZero();
          BigDecimal recorded = records.stream().map(CallRecord::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
          assertThat(usage.spent()).as("iteration %d, body:%n%s", i, body).isEqualByComparingTo(recorded);
        }
      }
    }
  }
}
