package io.finops4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelIdTest {

  @Test
  void theProviderIsEverythingBeforeTheFirstSlash() {
    ModelId id = ModelId.parse("together/meta-llama/Llama-3.3-70B");
    assertThat(id.provider()).isEqualTo("together");
    assertThat(id.model()).isEqualTo("meta-llama/Llama-3.3-70B");
    assertThat(id.qualified()).isEqualTo("together/meta-llama/Llama-3.3-70B");
    assertThatThrownBy(() -> ModelId.parse("gpt-5-mini")).hasMessageContaining("provider/model");
  }

  @Test
  void idsAreEqualByProviderAndModel() {
    ModelId mini = new ModelId("openai", "gpt-5-mini");
    assertThat(ModelId.parse("openai/gpt-5-mini")).isEqualTo(mini).hasSameHashCodeAs(mini);
    assertThat(new ModelId("openai", "gpt-5-mini")).isNotEqualTo(new ModelId("openai", "gpt-5-nano"))
        .isNotEqualTo(new ModelId("azure", "gpt-5-mini")).isNotEqualTo("openai/gpt-5-mini");
    assertThat(Set.of(mini, new ModelId("openai", "gpt-5"), new ModelId("anthropic", "gpt-5-mini"))).hasSize(3)
        .contains(ModelId.parse("openai/gpt-5-mini"));
  }
}
