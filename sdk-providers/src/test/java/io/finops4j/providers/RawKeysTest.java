package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The raw usage keys: every key reads as its parts joined, and a known key is the same String each call. */
class RawKeysTest {

  @Test
  void openAiDetailCountsAreTheirNamesJoinedUnderTheirObject() {
    for (String name : new String[] {"cached_tokens", "audio_tokens", "cache_write_tokens", "image_tokens"}) {
      assertThat(RawKeys.join(RawKeys.prefix("prompt_tokens_details"), name))
          .isEqualTo("prompt_tokens_details." + name);
    }
    for (String name : new String[] {"reasoning_tokens", "audio_tokens", "accepted_prediction_tokens",
        "rejected_prediction_tokens", "text_tokens"}) {
      assertThat(RawKeys.join(RawKeys.prefix("completion_tokens_details"), name))
          .isEqualTo("completion_tokens_details." + name);
    }
    // the same String every call, so maps keyed on it hash it once
    assertThat(RawKeys.join(RawKeys.prefix("prompt_tokens_details"), "cached_tokens"))
        .isSameAs(RawKeys.join(RawKeys.prefix("prompt_tokens_details"), "cached_tokens"));
  }

  @Test
  void otherKeysAndMarkersAreJoined() {
    assertThat(RawKeys.join("", "prompt_tokens")).isEqualTo("prompt_tokens");
    assertThat(RawKeys.join(RawKeys.prefix("server_tool_use"), "web_search_requests"))
        .isEqualTo("server_tool_use.web_search_requests");
    assertThat(RawKeys.join(RawKeys.prefix(RawKeys.join(RawKeys.prefix("a"), "b")), "c")).isEqualTo("a.b.c");
    for (String tier : new String[] {"default", "auto", "flex", "priority", "scale", "standard"}) {
      assertThat(RawKeys.marker("service_tier", tier)).isEqualTo("service_tier=" + tier);
    }
    assertThat(RawKeys.marker("speed", "fast")).isEqualTo("speed=fast");
    assertThat(RawKeys.marker("prompt_tokens_details.cached_tokens", "x"))
        .isEqualTo("prompt_tokens_details.cached_tokens=x");
  }
}
