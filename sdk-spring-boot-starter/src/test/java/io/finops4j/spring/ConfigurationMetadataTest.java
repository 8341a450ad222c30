package io.finops4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.routing.RoutingPolicy;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hand-written IDE metadata documents the schema the parsers actually read. */
class ConfigurationMetadataTest {

  static final Map<String, String> DESCRIPTIONS = new HashMap<>();

  @BeforeAll
  static void read() throws Exception {
    try (InputStream in = ConfigurationMetadataTest.class
        .getResourceAsStream("/META-INF/additional-spring-configuration-metadata.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      for (JsonNode p : root.get("properties")) {
        DESCRIPTIONS.put(p.get("name").asText(), p.get("description").asText());
      }
    }
  }

  @Test
  void everySectionAndFixedKeyIsDocumented() {
    assertThat(DESCRIPTIONS).containsKeys("finops4j.enabled", "finops4j.providers", "finops4j.models",
        "finops4j.tiers", "finops4j.tasks", "finops4j.budgets", "finops4j.workflow-caps.max-calls",
        "finops4j.workflow-caps.max-cost", "finops4j.budget.store", "finops4j.budget.url",
        "finops4j.budget.key-prefix", "finops4j.budget.on-unavailable", "finops4j.cache.max-size",
        "finops4j.telemetry.capture-content", "finops4j.telemetry.metric-tag-allow-list", "finops4j.ledger.type",
        "finops4j.ledger.url", "finops4j.ledger.path", "finops4j.routing.max-retries",
        "finops4j.routing.failure-threshold", "finops4j.routing.cooldown");
  }

  @Test
  void theTasksDescriptionNamesEveryKeyRoutingAccepts() {
    assertThat(DESCRIPTIONS.get("finops4j.tasks")).contains(RoutingPolicy.TASK_KEYS);
  }

  @Test
  void theBudgetsDescriptionNamesEveryBudgetKeyAndItsValues() {
    assertThat(DESCRIPTIONS.get("finops4j.budgets")).contains("scope", "match", "limit", "unit", "period", "zone",
        "alert-at", "downgrade-at", "on-exceed", "reject | downgrade | alert-only", "usd | tokens",
        "day | week | month");
  }
}
