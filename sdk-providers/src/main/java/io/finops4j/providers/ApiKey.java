package io.finops4j.providers;

import java.util.Objects;

/**
 * A provider API key. It travels only in a request header; {@code toString()} is redacted so that a key never
 * reaches a log line, an exception message or a span by accident.
 */
public final class ApiKey {

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /** Wraps a key; fails on a blank one (an unset environment variable usually resolves to blank). */
  public static ApiKey of(String value) {
    Objects.requireNonNull(value, "api key");
    if (value.isBlank()) {
      throw new IllegalArgumentException("api key is blank");
    }
    return new ApiKey(value.trim());
  }

  /** The secret itself, for the Authorization header only. */
  String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey k && k.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "ApiKey[redacted]";
  }
}
