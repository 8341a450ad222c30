package io.finops4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.spi.ConfigNode;
import io.finops4j.core.ConfigLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockPropertySource;

/** Spring property sources in, the plain tree finops4j's parser reads out. */
class SpringConfigTreeTest {

  @Test
  void yamlListsMapsModelKeysAndCamelCaseBindToTheTreeTheParserReads() throws Exception {
    StandardEnvironment env = environment(Map.of());
    env.getPropertySources().addFirst(new MockPropertySource().withProperty("TEST_OPENAI_KEY", "sk-test"));

    Map<String, Object> tree = SpringConfigTree.bind(env);

    assertThat(tree.get("providers")).isEqualTo(Map.of("openai",
        Map.of("api-key", "sk-test", "base-url", "https://api.openai.com/v1")));
    assertThat(tree.get("models")).isEqualTo(Map.of("openai/gpt-5-mini",
        Map.of("input", 0.25, "cached-input", 0.025, "output", 2.0)));
    assertThat(tree.get("tiers")).isEqualTo(Map.of("small", List.of("openai/gpt-5-mini", "openai/gpt-5-nano"),
        "large", List.of("openai/gpt-5")));
    assertThat(tree.get("tasks")).isEqualTo(Map.of(
        "classification", Map.of("tier", "small", "max-output-tokens", 50, "cache", Map.of("ttl", "1h")),
        "support-reply", Map.of("tier", "large", "max-cost-per-request", 0.05,
            "split", Map.of("openai/gpt-5", 80, "openai/gpt-5.1", 20))));
    assertThat(tree.get("budgets")).isEqualTo(List.of(
        Map.of("scope", "customer", "limit", 50.0, "period", "month", "alert-at", List.of(0.7, 0.9),
            "on-exceed", "reject"),
        Map.of("scope", "feature", "match", "support-reply", "limit", 2000, "period", "month",
            "downgrade-at", 0.8)));
    assertThat(tree.get("workflow-caps")).isEqualTo(Map.of("max-calls", 40, "max-cost", 20.0));
    assertThat(tree.get("telemetry")).isEqualTo(Map.of("capture-content", false,
        "metric-tag-allow-list", Map.of("customer", List.of("acme", "globex"))));
  }

  @Test
  void environmentVariablesOverrideTheFileAndAddListItems() throws Exception {
    StandardEnvironment env = environment(Map.of(
        "TEST_OPENAI_KEY", "sk-env",
        "FINOPS4J_TASKS_CLASSIFICATION_TIER", "large",
        "FINOPS4J_TASKS_CLASSIFICATION_MAXOUTPUTTOKENS", "80",
        "FINOPS4J_WORKFLOWCAPS_MAXCALLS", "10",
        "FINOPS4J_BUDGETS_0_LIMIT", "75"));

    Map<String, Object> tree = SpringConfigTree.bind(env);
    ConfigNode root = ConfigLoader.of(tree, "test");

    assertThat(root.get("tasks").get("classification").get("tier").asString()).isEqualTo("large");
    assertThat(root.get("tasks").get("classification").get("max-output-tokens").asLong()).isEqualTo(80);
    assertThat(root.get("workflow-caps").get("max-calls").asLong()).isEqualTo(10);
    assertThat(root.get("workflow-caps").get("max-cost").asDecimal()).isEqualByComparingTo("20.00");
    assertThat(root.get("budgets").asList()).hasSize(2);
    assertThat(root.get("budgets").asList().get(0).get("limit").asDecimal()).isEqualByComparingTo("75");
    assertThat(root.get("budgets").asList().get(0).get("scope").asString()).isEqualTo("customer");
    assertThat(root.get("providers").get("openai").get("api-key").asString()).isEqualTo("sk-env");
  }

  @Test
  void indexedPropertiesBecomeListsInIndexOrderEvenPastTen() {
    MockPropertySource props = new MockPropertySource();
    for (int i = 0; i < 12; i++) {
      props.withProperty("finops4j.tiers.small[" + i + "]", "openai/m" + i);
    }
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(props);

    Object small = ((Map<?, ?>) SpringConfigTree.bind(env).get("tiers")).get("small");

    assertThat(small).isEqualTo(List.of("openai/m0", "openai/m1", "openai/m2", "openai/m3", "openai/m4",
        "openai/m5", "openai/m6", "openai/m7", "openai/m8", "openai/m9", "openai/m10", "openai/m11"));
  }

  @Test
  void theEnabledSwitchIsNotPartOfTheTree() {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MockPropertySource().withProperty("finops4j.enabled", "true")
        .withProperty("finops4j.cache.max-size", "64MB"));

    assertThat(SpringConfigTree.bind(env)).isEqualTo(Map.of("cache", Map.of("max-size", "64MB")));
  }

  @Test
  void springPlaceholdersAreResolvedBySpringWithDefaults() {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MockPropertySource()
        .withProperty("finops4j.budget.url", "${REDIS_URL_FOR_THIS_TEST:redis://127.0.0.1:6379}")
        .withProperty("finops4j.budget.key-prefix", "${app.prefix}")
        .withProperty("app.prefix", "f4j"));

    assertThat(SpringConfigTree.bind(env)).isEqualTo(Map.of("budget",
        Map.of("url", "redis://127.0.0.1:6379", "key-prefix", "f4j")));
  }

  private static StandardEnvironment environment(Map<String, Object> variables) throws Exception {
    StandardEnvironment env = new StandardEnvironment();
    for (PropertySource<?> source : new YamlPropertySourceLoader().load("binding-test.yaml",
        new ClassPathResource("binding-test.yaml"))) {
      env.getPropertySources().addLast(source);
    }
    env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    return env;
  }
}
