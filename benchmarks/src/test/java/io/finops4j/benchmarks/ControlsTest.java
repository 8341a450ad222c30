package io.finops4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.Finops4j;
import io.finops4j.api.Llm;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ablation arms turn on exactly the controls they name, and each is a configuration finops4j accepts. */
class ControlsTest {

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
      "all,            true,  true,  true,  true",
      "routing-only,   false, false, false, false",
      "only-cap,       true,  false, false, false",
      "only-cache,     false, true,  false, false",
      "only-budgets,   false, false, true,  false",
      "only-ledger,    false, false, false, true",
      "only-budgets+ledger,           false, false, true,  true",
      "only-cap+cache+budgets+ledger, true,  true,  true,  true",
      "no-cache,       true,  false, true,  true",
      "no-budgets,     true,  true,  false, true",
      "no-ledger,      true,  true,  true,  false"})
  void eachArmHasTheControlsItNames(String controls, boolean cap, boolean cache, boolean budgets, boolean ledger) {
    String yaml = Controls.yaml("http://127.0.0.1:1", dir.resolve("ledger.jsonl"), controls);

    assertThat(yaml.contains("max-cost-per-request:")).as("cap").isEqualTo(cap);
    assertThat(yaml.contains("cache: { ttl")).as("cache").isEqualTo(cache);
    assertThat(yaml.contains("max-size: 16MB")).as("cache size").isEqualTo(cache);
    assertThat(yaml.contains("budgets:")).as("budgets").isEqualTo(budgets);
    assertThat(yaml.contains("scope: team")).as("every budget").isEqualTo(budgets);
    assertThat(yaml.contains("ledger:")).as("ledger").isEqualTo(ledger);
    try (Llm llm = Finops4j.fromConfig(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))) {
      assertThat(llm).isNotNull();
    }
  }

  @Test
  void noTelemetryIsRoutingOnlyWithTelemetryTurnedOff() {
    String routing = Controls.yaml("http://127.0.0.1:1", dir.resolve("ledger.jsonl"), "routing-only");
    String yaml = Controls.yaml("http://127.0.0.1:1", dir.resolve("ledger.jsonl"), "no-telemetry");

    assertThat(yaml).isEqualTo(routing + "  telemetry: { enabled: false }\n");
    try (Llm llm = Finops4j.fromConfig(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))) {
      assertThat(llm).isNotNull();
    }
  }

  @ParameterizedTest
  @CsvSource({"only-telemetry", "only-cap+", "only-", "ALL"})
  void anUnknownArmIsNamedWithTheKnownOnes(String controls) {
    assertThatThrownBy(() -> Controls.yaml("", dir.resolve("ledger.jsonl"), controls))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(controls)
        .hasMessageContaining("only-budgets+ledger");
  }
}
