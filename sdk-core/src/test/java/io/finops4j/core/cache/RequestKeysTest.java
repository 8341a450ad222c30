package io.finops4j.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Prompt;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestKeysTest {

  private static String key(String userText) {
    CompletionRequest r = CompletionRequest.builder("faq", Prompt.of(userText)).temperature(0.0).build();
    return RequestKeys.exact("global|", r, FakeContext.MINI);
  }

  @Test
  void keysAreAScopePrefixAndAFixedLengthHash() {
    String scope = RequestKeys.scope(List.of("customer", "user"),
        Attribution.builder().customer("acme").user("u-7").build());
    assertThat(scope).isEqualTo("customer=4:acme|user=3:u-7|");
    assertThat(RequestKeys.scope(List.of(), Attribution.NONE)).isEqualTo("global|");
    assertThat(RequestKeys.scope(List.of("customer"), Attribution.NONE)).isNull();
    assertThat(key("hello")).startsWith("global|").hasSize("global|".length() + 43);
  }

  @Test
  void theKeyWrittenFromTheAttributionIsTheScopePrefixPlusTheHash() {
    CompletionRequest r = CompletionRequest.builder("faq", Prompt.of("hello")).temperature(0.0).build();
    Attribution a = Attribution.builder().customer("acme").user("u-7").tag("region", "eu-".repeat(80)).build();
    for (List<String> dims : List.of(List.<String>of(), List.of("customer"), List.of("customer", "user", "tag.region"))) {
      assertThat(RequestKeys.exact(dims, a, r, FakeContext.MINI))
          .isEqualTo(RequestKeys.exact(RequestKeys.scope(dims, a), r, FakeContext.MINI));
    }
    assertThat(RequestKeys.exact(List.of("customer"), Attribution.NONE, r, FakeContext.MINI)).isNull();
    assertThat(RequestKeys.exact(List.of("customer"), Attribution.of("acme", "x"), r, FakeContext.MINI))
        .isEqualTo("customer=4:acme|" + key("hello").substring("global|".length()));
  }

  @Test
  void theWholeOfALongPromptCounts() {
    // Longer than the hasher's 8 KB buffer, in ASCII and in 3-byte chars.
    String ascii = "a".repeat(20_000);
    assertThat(key(ascii + "b")).isNotEqualTo(key(ascii + "c")).isEqualTo(key(ascii + "b"));
    String cjk = "語".repeat(9_000);
    assertThat(key(cjk + "日")).isNotEqualTo(key(cjk + "本")).isEqualTo(key(cjk + "日"));
    assertThat(key("b" + ascii)).isNotEqualTo(key("c" + ascii));
  }

  @Test
  void keysAreStableAcrossVersionsOfTheEncoder() {
    // A key written by a shared cache (ResponseCache SPI) must be found again after an upgrade: these values were
    // produced by the char-at-a-time encoder that the chunked one replaced.
    StringBuilder mixed = new StringBuilder();
    for (int i = 0; i < 7_000; i++) {
      mixed.append((char) ('a' + i % 26)).append(i % 7 == 0 ? "é" : "").append(i % 11 == 0 ? "語" : "")
          .append(i % 13 == 0 ? "\uD83D\uDE00" : "").append(i % 17 == 0 ? "\u0000" : "");
    }
    assertThat(key(mixed.toString())).isEqualTo("global|Vxosx7qg870tqOQcwz81-npC2ihIaGyg7ErC21sxJsc");
    assertThat(key("hello")).isEqualTo("global|bdmRitMr-_odkkC1b_ueQr2uHxpRGRCveaN9l5V0ixg");
    // ASCII chunks (copied narrow) next to chunks with other chars (encoded), as the char-at-a-time encoder wrote them
    String asciiThenNot = "ticket: printer on fire. ".repeat(400) + "naïve café 語" + "x".repeat(3_000);
    assertThat(key(asciiThenNot)).isEqualTo("global|AvXlmOftAgICRyYh4Oc5LhGzTpS7V6NFo6xLLrImc8g");
    // ASCII runs between rare other chars, dense other chars, a surrogate pair across the 2,730-char chunk edge, text
    // that starts with another char, a short ASCII run between two (encoded char by char)
    assertThat(key("The café opens at nine. ".repeat(200)))
        .isEqualTo("global|pudTSDnEen25O4CHo8V6f3KPLv17DJCp_FD3HvEmjbM");
    assertThat(key("héllo wörld, 你好 ".repeat(300)))
        .isEqualTo("global|YwUt_890t3gWn_q8b3WlW6VLC5zEJt3ELxoyLBbC-Jg");
    assertThat(key("a".repeat(2_729) + "\uD83D\uDE00" + "b".repeat(100)))
        .isEqualTo("global|8aVmrvvsJ0ZvW8BSy3eu4SDksMH0WycZsE2Wm-jPsUY");
    assertThat(key("é" + "x".repeat(1_000))).isEqualTo("global|193iuqdBqZVOcUoUyuQH0CIIdnu1Gj1E18j0bq8Kssw");
    assertThat(key("語".repeat(341))).isEqualTo("global|DaqAWK9xMTndTXTZWEdZHSNonGVNp-hJg4NpmC_Pie8");
    assertThat(key("naïve " + "x".repeat(40) + "ü" + "y".repeat(300)))
        .isEqualTo("global|sllP29EzellE3R7pKRK_4LKt-fFhoBZ-T13Ma4PmU9c");
    assertThat(key("a".repeat(2_729) + "\uD83D")).isEqualTo("global|VGkGUMZLZovIO9Wsdy74w8a-kLaTkvGjvGwiYOcQnt0");
  }

  @Test
  void charsOutsideAsciiAreDistinguished() {
    assertThat(key("café")).isNotEqualTo(key("cafe")).isNotEqualTo(key("cafè"));
    assertThat(key("\u00e9")).isNotEqualTo(key("e\u0301"));
    assertThat(key("\uD83D\uDE00")).isNotEqualTo(key("\uD83D\uDE01"));
  }
}
