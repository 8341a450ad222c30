package io.finops4j;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delays as the official OpenAI and Anthropic SDKs compute them: {@code min(0.5 s x 2^(n-1), 8 s)} minus up
 * to 25% jitter, unless the provider said how long to wait ({@code Retry-After}), which wins up to a ceiling.
 */
final class Backoff {

  private static final long INITIAL_MILLIS = 500;
  private static final long MAX_MILLIS = 8_000;
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  private Backoff() {}

  /** The delay before retry {@code n} (1-based). */
  static Duration delay(int n, Duration retryAfter) {
    if (retryAfter != null && !retryAfter.isNegative()) {
      return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    }
    long base = Math.min(INITIAL_MILLIS << Math.min(n - 1, 10), MAX_MILLIS);
    double jitter = 1.0 - 0.25 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis((long) (base * jitter));
  }

  /** Waits between attempts; tests inject one that records instead of sleeping. */
  @FunctionalInterface
  interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }
}
