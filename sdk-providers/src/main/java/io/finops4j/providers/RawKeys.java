package io.finops4j.providers;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of raw usage fields ({@code prompt_tokens_details.cached_tokens}, {@code service_tier=default}) as one
 * String per distinct key. A usage map is built on every call, cache entries and ledger rows keep it, and the same
 * few keys come back every time: joined afresh they cost a String each, hashed again by every map they go into.
 * Bounded (a server could send any names): past the bound, or for long keys, keys are joined afresh.
 */
final class RawKeys {

  private static final int MAX_LEFTS = 128;
  private static final int MAX_RIGHTS = 32;
  private static final int MAX_LENGTH = 64;

  /** Joined keys by their left part, then by their right part. */
  private static final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> JOINED =
      new ConcurrentHashMap<>();

  private RawKeys() {}

  /** {@code prefix + name}: a field's key under its object's prefix ({@code ""} at the top). */
  static String join(String prefix, String name) {
    if (prefix.isEmpty()) {
      return name; // Jackson's field names are already one String per name
    }
    ConcurrentHashMap<String, String> rights = JOINED.get(prefix);
    String joined = rights == null ? null : rights.get(name);
    if (joined != null) {
      return joined;
    }
    joined = prefix.concat(name);
    if (joined.length() > MAX_LENGTH) {
      return joined;
    }
    if (rights == null) {
      if (JOINED.size() >= MAX_LEFTS) {
        return joined;
      }
      rights = JOINED.computeIfAbsent(prefix, p -> new ConcurrentHashMap<>());
    }
    if (rights.size() >= MAX_RIGHTS) {
      return joined;
    }
    String known = rights.putIfAbsent(name, joined);
    return known != null ? known : joined;
  }

  /** The prefix of the fields of the object under {@code key}: {@code key.}. */
  static String prefix(String key) {
    return join(key, ".");
  }

  /** The marker {@code key=value}. */
  static String marker(String key, String value) {
    return join(join(key, "="), value);
  }
}
