package io.finops4j.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The doorkeeper behind admission on the second request: a key is let in on its second sighting, a key never seen is
 * mistaken for a seen one rarely enough for admission {@code auto} to tell reuse from none (it decides at 1 in 100),
 * and keys are forgotten after about {@link Doorkeeper#RESET_AFTER} sightings.
 */
class DoorkeeperTest {

  /** Keys as the exact cache writes them: a scope, then 43 base64url characters of a SHA-256. */
  private static String key(String kind, int i) {
    return "customer=acme|" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        sha256(kind + i));
  }

  private static byte[] sha256(String s) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aKeyIsAdmittedOnItsSecondSightingOnly() {
    Doorkeeper d = new Doorkeeper(Doorkeeper.LARGE);
    assertThat(d.admit(key("a", 1))).isFalse();
    assertThat(d.admit(key("a", 1))).isTrue();
    assertThat(d.admit(key("a", 1))).isTrue();
    assertThat(d.admit(key("a", 2))).isFalse();
  }

  /**
   * Filled with nearly as many keys as it holds before a reset (120,000 of 131,072: the count is kept at random, so
   * the reset comes within about 1% of it), then asked about 100,000 keys it never saw. The large filter mistakes 0.15%
   * of them (3 probes in one word of 32 bits per key), the small one 3.3%.
   */
  @Test
  void aFullFilterTakesFewNewKeysForSeen() {
    assertThat(falsePositives(Doorkeeper.LARGE)).isLessThan(0.003);
    assertThat(falsePositives(Doorkeeper.SMALL)).isLessThan(0.045);
  }

  private static double falsePositives(int log2Bits) {
    Doorkeeper d = new Doorkeeper(log2Bits);
    for (int i = 0; i < 120_000; i++) {
      d.admit(key("seen", i));
    }
    int taken = 0;
    int asked = 100_000;
    for (int i = 0; i < asked; i++) {
      if (d.admit(key("new", i))) {
        taken++;
      }
    }
    return (double) taken / asked;
  }

  @Test
  void keysAreForgottenAfterAboutResetAfterSightings() {
    Doorkeeper d = new Doorkeeper(Doorkeeper.LARGE);
    d.admit(key("first", 0));
    // 150,000 sightings: past the reset (131,072, counted within about 1,400 of it) by 13 times that spread
    for (int i = 0; i < 150_000; i++) {
      d.admit(key("other", i));
    }
    assertThat(d.admit(key("first", 0))).isFalse();
  }
}
