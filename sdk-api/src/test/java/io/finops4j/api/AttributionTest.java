package io.finops4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Attribution values reach logs, ledgers and reports: the characters that could forge or disguise them are refused. */
class AttributionTest {

  @ParameterizedTest
  @ValueSource(strings = {"acme\n[main] ERROR io.finops4j.FAKE forged", "acme\r", "ac\u0000me", "acme\u001b[31m",
      "acme\u0085", "acme\u2028x", "\u202Eemca", "acme\u2066x\u2069", "acme\u200F"})
  void controlAndBidiCharactersAreRejectedWithoutEchoingTheValue(String value) {
    assertThatThrownBy(() -> Attribution.of(value, "chat"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("attribution customer contains U+")
        .hasMessageContaining("are not accepted")
        .hasMessageNotContaining("acme").hasMessageNotContaining("emca");
  }

  @Test
  void everyFieldAndTagIsChecked() {
    assertThatThrownBy(() -> Attribution.builder().feature("f\n")).hasMessageStartingWith("attribution feature ");
    assertThatThrownBy(() -> Attribution.builder().workflow("w\n")).hasMessageStartingWith("attribution workflow ");
    assertThatThrownBy(() -> Attribution.builder().user("u\n")).hasMessageStartingWith("attribution user ");
    assertThatThrownBy(() -> Attribution.builder().team("t\n")).hasMessageStartingWith("attribution team ");
    assertThatThrownBy(() -> Attribution.builder().environment("e\n"))
        .hasMessageStartingWith("attribution environment ");
    assertThatThrownBy(() -> Attribution.builder().tag("k\n", "v")).hasMessageStartingWith("attribution tag name ");
    assertThatThrownBy(() -> Attribution.builder().tag("region", "v\t"))
        .hasMessageStartingWith("attribution tag region contains U+0009 at index 1");
  }

  @Test
  void lengthAndTagCountAreBounded() {
    String longest = "x".repeat(Attribution.MAX_LENGTH);
    assertThat(Attribution.of(longest, "chat").customer()).isEqualTo(longest);
    assertThatThrownBy(() -> Attribution.of(longest + "x", "chat"))
        .hasMessage("attribution customer is 257 characters long; at most 256 are accepted");
    Attribution.Builder b = Attribution.builder();
    for (int i = 0; i < Attribution.MAX_TAGS; i++) {
      b.tag("t" + i, "v");
    }
    b.tag("t0", "replaced"); // replacing a tag does not add one
    assertThatThrownBy(() -> b.tag("one-more", "v")).hasMessage("attribution has more than 64 tags");
  }

  @Test
  void ordinaryUnicodeIsAccepted() {
    Attribution a = Attribution.builder().customer("Société Générale").feature("検索").user("user@example.com")
        .team("data-🚀").tag("region", "eu-west-1").build();
    assertThat(a.customer()).isEqualTo("Société Générale");
    assertThat(a.team()).isEqualTo("data-🚀");
  }
}
