package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.ConfigException;
import io.finops4j.api.Finops4jException;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the YAML loader and start-up: a full configuration with lines dropped, repeated and swapped,
 * values replaced by extremes and other types, characters flipped and the file cut short. Every variant must
 * start or fail with a {@link ConfigException}, never another exception, and no message may quote the key. The
 * seed is fixed: a failure names the iteration and the file, and repeats.
 */
class ConfigFuzzTest {

  private static final long SEED = 0x21_0014L;
  private static final int ROUNDS = 400;
  private static final String SECRET = "sk-live-FUZZCANARY0123456789";
  private static final String[] VALUES = {"-1", "0", "1e20", "1e300", "-1e300", ".inf", ".nan", "~", "[]", "{}",
      "''", "\"\"", "9223372036854775808", "2.5", "yes", "no", "0x10", "1_000", "&a x", "*a", "!!binary AAAA",
      "\"\\u0000\"", "${UNSET_FUZZ_VAR}", "${SET:x}", "2d", "-5s", "PT-1S", "a/b/c", "small", "simulator/gpt-5-mini"};
  private static final String STRUCTURE = ":{}[],-#&*!|>'\"%@` \t\n";

  static final String CONFIG = """
      finops4j:
        providers:
          openai: { api-key: %s, base-url: http://127.0.0.1:1/v1, error-detail: false, end-user: hashed }
          simulator: { seed: 7, latency: 0s, failure-rate: 0.0 }
        models:
          simulator/gpt-5-mini: { input: 0.25, cached-input: 0.025, output: 2.00 }
        tiers:
          small: [simulator/gpt-5-mini]
          medium: [simulator/gpt-5-mini, openai/gpt-5-mini]
        tasks:
          chat: { tier: small, max-output-tokens: 50, cache: { ttl: 1h } }
          reply: { tier: medium, max-cost-per-request: 0.05, escalate: { when: complex } }
        budgets:
          - { scope: customer, limit: 50.00, period: month, alert-at: [0.7, 0.9] }
          - { scope: feature, match: chat, limit: 2000, unit: tokens, period: day, downgrade-at: 0.8 }
        workflow-caps: { max-calls: 40, max-cost: 20.00 }
        routing: { max-retries: 2, failure-threshold: 5, cooldown: 30s, deadline: 2m }
        cache: { max-size: 1MB }
        telemetry: { capture-content: false }
        ledger: { type: none }
      """.formatted(SECRET);

  static String mutate(String yaml, Random rnd) {
    String[] lines = yaml.split("\n", -1);
    StringBuilder out = new StringBuilder();
    int kind = rnd.nextInt(6);
    int target = 1 + rnd.nextInt(lines.length - 1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (i == target) {
        switch (kind) {
          case 0: // dropped
            continue;
          case 1: // repeated (a duplicate key, or a second list item)
            out.append(line).append('\n');
            break;
          case 2: { // a value replaced
            int colon = line.indexOf(':', rnd.nextInt(Math.max(1, line.length())));
            if (colon >= 0) {
              int end = colon + 1;
              while (end < line.length() && ",}]".indexOf(line.charAt(end)) < 0) {
                end++;
              }
              line = line.substring(0, colon + 1) + " " + VALUES[rnd.nextInt(VALUES.length)] + line.substring(end);
            }
            break;
          }
          case 3: // a character flipped
            if (!line.isEmpty()) {
              int at = rnd.nextInt(line.length());
              line = line.substring(0, at) + STRUCTURE.charAt(rnd.nextInt(STRUCTURE.length()))
                  + line.substring(at + 1);
            }
            break;
          case 4: // the file cut short here
            out.append(line, 0, rnd.nextInt(line.length() + 1));
            return out.toString();
          default: // indentation changed
            line = rnd.nextBoolean() ? " " + line : line.replaceFirst("^ ", "");
        }
      }
      out.append(line).append(i < lines.length - 1 ? "\n" : "");
    }
    return out.toString();
  }

  @Test
  void everyMangledConfigurationStartsOrFailsWithAConfigException() {
    Random rnd = new Random(SEED);
    int rejected = 0;
    int started = 0;
    for (int i = 0; i < ROUNDS; i++) {
      String yaml = mutate(CONFIG, rnd);
      if (rnd.nextInt(4) == 0) {
        yaml = mutate(yaml, rnd); // sometimes two edits
      }
      try (Llm llm = Finops4j.builder().config(ConfigLoader.load(
          new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "fuzz.yaml", Map.of("SET", "v")::get))
          .build()) {
        started++;
        try {
          // a configuration that starts must also call: a clear refusal is fine, a raw exception is not
          llm.complete("chat", Prompt.of("Where is my refund?"), Attribution.of("acme", "chat"));
        } catch (Finops4jException clear) {
          assertThat(clear.getMessage()).as("iteration %d", i).doesNotContain("FUZZCANARY");
        }
      } catch (ConfigException e) {
        rejected++;
        for (Throwable t = e; t != null; t = t.getCause()) {
          assertThat(String.valueOf(t.getMessage())).as("iteration %d, file:%n%s", i, yaml)
              .doesNotContain("FUZZCANARY");
        }
      } catch (RuntimeException e) {
        throw new AssertionError("iteration " + i + " threw " + e + " for file:\n" + yaml, e);
      }
    }
    assertThat(rejected).as("the mutations must break some files").isGreaterThan(ROUNDS / 10);
    assertThat(started).as("and leave some working").isGreaterThan(ROUNDS / 10);
  }
}
