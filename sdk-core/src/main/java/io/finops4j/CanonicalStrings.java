package io.finops4j;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One String per distinct short value that every answer repeats: the served model ({@code gpt-5-mini-2025-08-07})
 * and the finish reason ({@code stop}). A provider client parses both afresh from each response, and an answer
 * the exact cache stores keeps them for its whole life (every young GC copies them until it is evicted or
 * promoted): shared, they cost nothing per entry. Bounded, as a server may send any value: past the bound, or for
 * long values, the value is kept as it came.
 */
final class CanonicalStrings {

  private static final int MAX_VALUES = 256;
  private static final int MAX_LENGTH = 64;

  private static final ConcurrentHashMap<String, String> VALUES = new ConcurrentHashMap<>();

  private CanonicalStrings() {}

  /** The one String equal to {@code value}, or {@code value} itself (null for null). */
  static String of(String value) {
    if (value == null || value.length() > MAX_LENGTH) {
      return value;
    }
    String known = VALUES.get(value);
    if (known != null) {
      return known;
    }
    if (VALUES.size() >= MAX_VALUES) {
      return value;
    }
    known = VALUES.putIfAbsent(value, value);
    return known != null ? known : value;
  }
}
