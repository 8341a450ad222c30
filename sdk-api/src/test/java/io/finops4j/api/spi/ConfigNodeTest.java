package io.finops4j.api.spi;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A bad value under a secret-sounding key is never quoted; other values are, to say what was wrong. */
class ConfigNodeTest {

  @ParameterizedTest
  @ValueSource(strings = {"api-key", "key", "auth-token", "token", "client-secret", "password", "credentials"})
  void secretSoundingKeysNeverEchoTheirValue(String key) {
    ConfigNode node = ConfigNode.root("app.yaml", "finops4j", Map.of(key, "CANARY-7f3a")).get(key);
    assertThatThrownBy(node::asLong).hasMessageContaining("not shown").hasMessageNotContaining("CANARY");
    assertThatThrownBy(node::asDuration).hasMessageContaining("not shown").hasMessageNotContaining("CANARY");
    assertThatThrownBy(() -> node.asLong(0, 0, 10)).hasMessageNotContaining("CANARY");
  }

  @ParameterizedTest
  @ValueSource(strings = {"max-output-tokens", "timeout"})
  void otherKeysSayWhatTheyGot(String key) {
    ConfigNode node = ConfigNode.root("app.yaml", "finops4j", Map.of(key, "lots")).get(key);
    assertThatThrownBy(node::asLong).hasMessageContaining("got 'lots'");
    assertThatThrownBy(node::asDuration).hasMessageContaining("got 'lots'");
  }
}
