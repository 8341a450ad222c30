package io.finops4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A usage's raw fields: the provider's own counts and markers, immutable, in the order they came. */
class UsageRawTest {

  @Test
  void usagesThatShareTheirNamesArrayKeepTheirOwnNamesAndCounts() {
    Usage first = Usage.builder().raw("prompt_tokens", 10).raw("completion_tokens", 2).build();
    Usage same = Usage.builder().raw("prompt_tokens", 11).raw("completion_tokens", 3).build();
    Usage other = Usage.builder().raw("prompt_tokens", 12).raw("total_tokens", 14).build();
    Usage equalNotSame = Usage.builder().raw(new String("prompt_tokens"), 13).raw("completion_tokens", 4).build();

    assertThat(first.raw()).containsExactly(Map.entry("prompt_tokens", 10L), Map.entry("completion_tokens", 2L));
    assertThat(same.raw()).containsExactly(Map.entry("prompt_tokens", 11L), Map.entry("completion_tokens", 3L));
    assertThat(other.raw()).containsExactly(Map.entry("prompt_tokens", 12L), Map.entry("total_tokens", 14L));
    assertThat(equalNotSame.raw()).containsExactly(Map.entry("prompt_tokens", 13L),
        Map.entry("completion_tokens", 4L));
    assertThat(first.raw()).containsExactly(Map.entry("prompt_tokens", 10L), Map.entry("completion_tokens", 2L));
  }

  @Test
  void rawFieldsKeepTheOrderTheyCameInAndTheLastCountOfARepeatedName() {
    Usage u = Usage.builder().inputTokens(1200).outputTokens(40)
        .raw("prompt_tokens", 1200).raw("completion_tokens", 40).raw("total_tokens", 1240)
        .raw("prompt_tokens_details.cached_tokens", 0).raw("service_tier=priority", 1)
        .raw("prompt_tokens_details.cached_tokens", 1024).build();

    assertThat(List.copyOf(u.raw().keySet())).containsExactly("prompt_tokens", "completion_tokens", "total_tokens",
        "prompt_tokens_details.cached_tokens", "service_tier=priority");
    assertThat(u.raw().get("prompt_tokens_details.cached_tokens")).isEqualTo(1024L);
    assertThat(u.raw()).containsKey("service_tier=priority").doesNotContainKey("service_tier=default");
    assertThat(u.raw().get("reasoning_tokens")).isNull();
    assertThat(u.raw().get(42)).isNull();
    assertThat(u.raw()).hasSize(5);
  }

  @Test
  void rawFieldsEqualAndHashAsAnyMapWithTheSameCounts() {
    Usage built = Usage.builder().inputTokens(10).outputTokens(2).raw("prompt_tokens", 10)
        .raw("completion_tokens", 2).build();
    Map<String, Long> same = Map.of("completion_tokens", 2L, "prompt_tokens", 10L);

    assertThat(built.raw()).isEqualTo(same);
    assertThat(built.raw().hashCode()).isEqualTo(same.hashCode());
    assertThat(built).isEqualTo(new Usage(10, 2, 0, 0, 0, 0, false, new HashMap<>(same)));
    assertThat(built.raw().toString()).isEqualTo("{prompt_tokens=10, completion_tokens=2}");
  }

  @Test
  void rawFieldsAreACopyThatCannotBeChanged() {
    Map<String, Long> given = new LinkedHashMap<>();
    given.put("input_tokens", 7L);
    Usage u = new Usage(7, 1, 0, 0, 0, 0, false, given);
    given.put("output_tokens", 1L);

    assertThat(u.raw()).containsOnlyKeys("input_tokens");
    assertThatThrownBy(() -> u.raw().put("output_tokens", 1L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> u.raw().entrySet().iterator().next().setValue(0L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(Usage.builder().raw(u.raw()).build().raw()).isEqualTo(u.raw());
    assertThat(Usage.builder().raw(Map.of("a", 1L)).raw((Map<String, Long>) null).build().raw()).isEmpty();
  }

  @Test
  void aNullNameOrCountIsRefused() {
    Map<String, Long> nullCount = new HashMap<>();
    nullCount.put("prompt_tokens", null);

    assertThatThrownBy(() -> new Usage(0, 0, 0, 0, 0, 0, false, nullCount))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("raw usage count");
    assertThatThrownBy(() -> Usage.builder().raw(null, 1)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("raw usage name");
  }

  @Test
  void aUsageWithManyRawFieldsKeepsThemAll() {
    Usage.Builder b = Usage.builder();
    for (int i = 0; i < 40; i++) {
      b.raw("field_" + i, i);
    }
    Map<String, Long> raw = b.build().raw();

    assertThat(raw).hasSize(40).containsEntry("field_0", 0L).containsEntry("field_39", 39L);
  }
}
