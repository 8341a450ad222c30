package io.finops4j.telemetry;

import static io.finops4j.telemetry.Harness.MINI;
import static io.finops4j.telemetry.Harness.completion;
import static io.finops4j.telemetry.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attribution;
import io.finops4j.api.ConfigException;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ConfigNode;
import io.micrometer.core.instrument.Meter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FromConfigTest {

  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  private static ConfigNode node(Object value) {
    return ConfigNode.root("app.yaml", "finops4j.telemetry", value);
  }

  private void call(Telemetry t, String customer) {
    h.call(t, request("classification", Attribution.of(customer, "chat")), h.context("c"), 1_000L, (r, c) -> {
      c.route(new Route("small", List.of(MINI), List.of()));
      return completion(MINI, Usage.of(1, 1), "0.01");
    });
  }

  @Test
  void readsAllowListTopNAndCaptureContent() {
    Telemetry t = Telemetry.fromConfig(node(Map.of(
        "capture-content", true,
        "metric-tag-allow-list", Map.of("customer", List.of("acme", "globex")),
        "metric-tag-top-n", 0)), h.otel, h.registry);
    call(t, "acme");
    call(t, "initech");
    Set<String> customers = h.registry.getMeters().stream().map(Meter::getId).map(id -> id.getTag("customer"))
        .filter(v -> v != null).collect(Collectors.toSet());
    assertThat(customers).containsExactlyInAnyOrder("acme", "other");
    // top-n 0 folds the dimensions without an allow-list
    assertThat(h.registry.get("finops4j.cost").tag("customer", "acme").counter().getId().getTag("feature"))
        .isEqualTo("other");
    assertThat(h.spans().get(0).getAttributes().get(OtelKeys.GEN_AI_INPUT_MESSAGES)).contains("hello");
  }

  @Test
  void absentSectionMeansDefaults() {
    Telemetry t = Telemetry.fromConfig(node(null), h.otel, h.registry);
    call(t, "acme");
    assertThat(h.spans().get(0).getAttributes().get(OtelKeys.GEN_AI_INPUT_MESSAGES)).isNull();
    assertThat(h.registry.get("finops4j.cost").counter().getId().getTag("customer")).isEqualTo("acme");
  }

  @Test
  void enabledFalseIsAPassThrough() {
    Telemetry t = Telemetry.fromConfig(node(Map.of("enabled", "false")), h.otel, h.registry);
    call(t, "acme");
    assertThat(h.spans()).isEmpty();
  }

  @Test
  void unknownKeyNamesTheKeyAndTheAllowedOnes() {
    assertThatThrownBy(() -> Telemetry.fromConfig(node(Map.of("capture-contents", true)), h.otel,
        h.registry))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.telemetry.capture-contents")
        .hasMessageContaining("capture-content");
  }

  @Test
  void allowListOfAnUnknownDimensionIsRefused() {
    assertThatThrownBy(() -> Telemetry.fromConfig(
        node(Map.of("metric-tag-allow-list", Map.of("workflow", List.of("run-1")))), h.otel, h.registry))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.telemetry.metric-tag-allow-list.workflow")
        .hasMessageContaining("customer");
  }

  @Test
  void topNOutOfRangeSaysWhatIsExpected() {
    assertThatThrownBy(() -> Telemetry.fromConfig(node(Map.of("metric-tag-top-n", 5000)), h.otel,
        h.registry))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.telemetry.metric-tag-top-n")
        .hasMessageContaining("expected a whole number from 0 to 1000, got 5000")
        .hasMessageContaining("app.yaml");
    assertThatThrownBy(() -> Telemetry.fromConfig(node(Map.of("metric-tag-top-n", "lots")), h.otel,
        h.registry))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("expected a whole number");
  }

  @Test
  void builderRefusesAnUnknownDimension() {
    assertThatThrownBy(() -> Telemetry.builder().tagAllowList("tenant", List.of("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric tag allow-list dimension must be one of [customer, feature, team, user], got 'tenant'");
  }
}
