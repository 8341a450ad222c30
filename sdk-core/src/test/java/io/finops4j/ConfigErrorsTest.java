package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.finops4j.api.ConfigException;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every class of bad input fails at start-up with the key path and what was expected. */
class ConfigErrorsTest {

  private static final String TIERS = "  tiers:\n    small: [openai/gpt-5-mini]\n";

  private static void build(String yaml) {
    Finops4j.builder()
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "app.yaml",
            Map.of("SET", "value")::get))
        .provider(new ScriptedProvider("openai"))
        .build();
  }

  @Test
  void unknownTopLevelKey() {
    assertThatThrownBy(() -> build("finops4j:\n  tieres: {}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("finops4j.tieres: unknown key; expected one of [batch, budget, budgets, cache,")
        .hasMessageEndingWith("(in app.yaml, line 2, column 3)");
  }

  @Test
  void unknownTaskKey() {
    assertThatThrownBy(() -> build("finops4j:\n" + TIERS + "  tasks:\n    classification: { tier: small, max-tokens: 5 }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("finops4j.tasks.classification.max-tokens: unknown key; expected one of [cache,");
  }

  @Test
  void wrongType() {
    assertThatThrownBy(() -> build("finops4j:\n" + TIERS
        + "  tasks:\n    classification: { tier: small, max-output-tokens: lots }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("finops4j.tasks.classification.max-output-tokens: expected a whole number, got 'lots' (in app.yaml,"
            + " line 5, column 36)");
  }

  @Test
  void missingRequiredValue() {
    assertThatThrownBy(() -> build("finops4j:\n" + TIERS + "  tasks:\n    classification: { max-output-tokens: 5 }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("finops4j.tasks.classification.tier: required value is missing (in app.yaml, line 5, column 5)");
  }

  @Test
  void unknownTier() {
    assertThatThrownBy(() -> build("finops4j:\n" + TIERS + "  tasks:\n    classification: { tier: tiny }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("finops4j.tasks.classification.tier: expected one of [small], got 'tiny' (in app.yaml, line 5,"
            + " column 23)");
  }

  @Test
  void unsetEnvironmentPlaceholder() {
    assertThatThrownBy(() -> build("finops4j:\n  providers:\n    openai: { api-key: ${OPENAI_API_KEY} }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("finops4j.providers.openai.api-key: environment variable OPENAI_API_KEY is not set");
  }

  @Test
  void modelWithoutAPrice() {
    assertThatThrownBy(() -> build("finops4j:\n  tiers:\n    small: [openai/gpt-9-ultra]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("finops4j.tiers.small: no price is known for model openai/gpt-9-ultra; add it under finops4j.models")
        .hasMessageEndingWith("(in app.yaml, line 3, column 5)");
  }

  @Test
  void modelWhoseProviderIsNotConfigured() {
    assertThatThrownBy(() -> build("finops4j:\n  tiers:\n    small: [anthropic/claude-haiku-4-5]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("finops4j.tiers.small: model anthropic/claude-haiku-4-5 needs provider 'anthropic'");
  }

  @Test
  void malformedModelId() {
    assertThatThrownBy(() -> build("finops4j:\n  tiers:\n    small: [gpt-5-mini]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("finops4j.tiers.small[0]: expected a model id of the form provider/model");
  }

  @Test
  void notYaml() {
    assertThatThrownBy(() -> build("finops4j: [unclosed\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("app.yaml: not valid YAML at line");
  }

  @Test
  void missingRoot() {
    assertThatThrownBy(() -> build("spring:\n  x: 1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("finops4j: the top-level key 'finops4j:' is missing (in app.yaml)");
  }

  @Test
  void aYamlSyntaxErrorNeverQuotesTheLineNorASecret() {
    Throwable e = catchThrowable(() -> build("finops4j:\n  providers:\n"
        + "    openai: { api-key: sk-live-CANARY0123456789: : ]}\n"));
    assertThat(e).isInstanceOf(ConfigException.class).hasMessageStartingWith("app.yaml: not valid YAML at line 3");
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(t.getMessage()).doesNotContain("CANARY").doesNotContain("sk-live");
    }
  }

  @Test
  void aSyntaxErrorElsewhereDoesNotQuoteAKeyOnAnotherLineEither() {
    Throwable e = catchThrowable(() -> build("finops4j:\n  providers:\n    anthropic:\n"
        + "      api-key: sk-ant-CANARY0123456789\n     base-url: [\n"));
    assertThat(e).isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML at line");
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(t.getMessage()).doesNotContain("CANARY");
    }
  }

  @Test
  void aDuplicateKeyIsRejectedWithBothLines() {
    assertThatThrownBy(() -> build("finops4j:\n" + TIERS
        + "  budgets:\n    - { scope: customer, limit: 5, period: day }\n"
        + "  cache: { max-size: 1MB }\n"
        + "  budgets:\n    - { scope: feature, limit: 9, period: day }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("finops4j.budgets: duplicate key: first at line 4, column 3, again at line 7, column 3; YAML would"
            + " keep only the last one, so merge them (in app.yaml)");
  }

  @Test
  void aDuplicateKeyInsideAListItemIsRejectedToo() {
    assertThatThrownBy(() -> build("finops4j:\n" + TIERS
        + "  budgets:\n    - { scope: customer, limit: 5, limit: 500, period: day }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("finops4j.budgets[0].limit: duplicate key: first at line 5, column 26, again at"
            + " line 5, column 36;");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      routing: { max-retries: -1 }                        | finops4j.routing.max-retries: expected a whole number from 0 to 10, got '-1'
      routing: { max-retries: 1e3 }                       | finops4j.routing.max-retries: expected a whole number from 0 to 10, got '1e3'
      routing: { failure-threshold: 0 }                   | finops4j.routing.failure-threshold: expected a whole number from 1 to 1000, got '0'
      routing: { cooldown: 2d }                           | finops4j.routing.cooldown: expected a duration from 0s to 1d, got '2d'
      budgets: [ { scope: customer, limit: 1e20 } ]       | finops4j.budgets[0].limit: expected a number from 0 to 1000000000, got '1e20'
      budgets: [ { limit: 1e20, unit: tokens } ]          | finops4j.budgets[0].limit: expected a number from 0 to 1000000000000000, got '1e20'
      budgets: [ { limit: 5, period: 1000d } ]            | finops4j.budgets[0].period: a period must be from 1s to 366d, got '1000d'
      workflow-caps: { max-cost: 1e12 }                   | finops4j.workflow-caps.max-cost: expected a number from 0 to 1000000000, got '1e12'
      workflow-caps: { max-calls: 1e10 }                  | finops4j.workflow-caps.max-calls: expected a whole number from 0 to 1000000000, got '1e10'
      models: { openai/gpt-5-mini: { input: 1e300, output: 1 } } | finops4j.models.openai/gpt-5-mini.input: expected a price from 0 to 100000 (USD per 1M tokens), got 1E+300
      models: { openai/gpt-5-mini: { input: 1, output: 1, max-output-tokens: -5 } } | finops4j.models.openai/gpt-5-mini.max-output-tokens: expected a whole number from 0 to 1000000000, got '-5'
      tasks: { t: { tier: small, temperature: 3 } }       | finops4j.tasks.t.temperature: expected a number from 0 to 2, got '3'
      tasks: { t: { tier: small, max-cost-per-request: 1e10 } } | finops4j.tasks.t.max-cost-per-request: expected a number from 0 to 1000000000, got '1e10'
      tasks: { t: { tier: small, cache: { ttl: 1000d } } } | finops4j.tasks.t.cache.ttl: expected a duration from 0s to 365d, got '1000d'
      providers: { simulator: { latency: 2h } }           | finops4j.providers.simulator.latency: expected a duration from 0s to 1h, got '2h'
      ledger: { type: jsonl, path: x.jsonl, flush-interval: 2d } | finops4j.ledger.flush-interval: expected a duration from 0s to 1d, got '2d'
      """)
  void everyNumberHasARangeCheckedAtStartUp(String entry, String message) {
    assertThatThrownBy(() -> build("finops4j:\n" + TIERS + "  " + entry + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message + " (in app.yaml, line 4");
  }
}
