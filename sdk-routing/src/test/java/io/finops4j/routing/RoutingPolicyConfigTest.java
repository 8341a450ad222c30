package io.finops4j.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.ConfigException;
import io.finops4j.api.ModelId;
import io.finops4j.api.spi.ConfigNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingPolicyConfigTest {

  private static ConfigNode root(Map<String, Object> task) {
    return ConfigNode.root("app.yaml", "finops4j", Map.of(
        "tiers", Map.of("small", List.of("openai/gpt-5-mini"), "medium", List.of("openai/gpt-5")),
        "tasks", Map.of("support-reply", task)));
  }

  @Test
  void readsEscalationAndSplit() {
    RoutingPolicy p = RoutingPolicy.fromConfig(root(Map.of("tier", "small", "escalate", Map.of("when", "complex"),
        "split", Map.of("openai/gpt-5-mini", 90, "anthropic/claude-haiku-4-5", 10))));
    TaskPolicy t = p.task("support-reply");
    assertThat(t.escalate()).isTrue();
    assertThat(t.deescalate()).isFalse();
    assertThat(t.split()).containsEntry(ModelId.parse("anthropic/claude-haiku-4-5"), 10);
    assertThat(p.allModels()).contains(ModelId.parse("anthropic/claude-haiku-4-5"));
  }

  @Test
  void badEscalationConditionNamesThePath() {
    assertThatThrownBy(() -> RoutingPolicy.fromConfig(root(Map.of("tier", "small", "escalate", Map.of("when", "hard")))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("finops4j.tasks.support-reply.escalate.when: expected one of [complex], got 'hard' (in app.yaml)");
  }

  @Test
  void badSplitWeightNamesThePath() {
    assertThatThrownBy(() -> RoutingPolicy.fromConfig(root(Map.of("tier", "small",
        "split", Map.of("openai/gpt-5-mini", -1)))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("finops4j.tasks.support-reply.split.openai/gpt-5-mini: expected a weight from 0 to 1000000, got -1 (in app.yaml)");
  }

  @Test
  void anEmptyTierIsAnError() {
    ConfigNode root = ConfigNode.root("app.yaml", "finops4j", Map.of("tiers", Map.of("small", List.of())));
    assertThatThrownBy(() -> RoutingPolicy.fromConfig(root))
        .hasMessage("finops4j.tiers.small: a tier needs at least one model (provider/model) (in app.yaml)");
  }
}
