package io.finops4j.providers;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of raw usage fields ({@code prompt_tokens_details.cached_tokens}, {@code service_tier=default}) as one
 * String per distinct key. A usage map is built on every call, cache entries and ledger rows keep it, and the same
 * few keys come back every time: joined afresh they cost a String each, hashed again by every map they go into.
 * Bounded (a server could send any names): past the bound, or for long keys, keys are joined afresh. The keys of
 * OpenAI's documented usage fields and service tiers, which come with every call, are constants: a switch on a name
 * Jackson has interned touches fewer memory lines than the two map lookups of a joined key. Warm, that is little
 * (about 2% of a chat completion's read); but a lone caller meets its caches cold after every wait for the provider,
 * and there the usage read's first-level data misses went from 58 to 29 per call with the constants, of the 690
 * its thread had (callgrind; benchmarks/notes/side-by-side.md, session 27).
 */
final class RawKeys {

  private static final int MAX_LEFTS = 128;
  private static final int MAX_RIGHTS = 32;
  private static final int MAX_LENGTH = 64;

  /** Joined keys by their left part, then by their right part. */
  private static final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> JOINED =
      new ConcurrentHashMap<>();

  private RawKeys() {}

  private static final String PROMPT_DETAILS = "prompt_tokens_details.";
  private static final String COMPLETION_DETAILS = "completion_tokens_details.";
  private static final String SERVICE_TIER = "service_tier";

  /** {@code prefix + name}: a field's key under its object's prefix ({@code ""} at the top). */
  static String join(String prefix, String name) {
    if (prefix.isEmpty()) {
      return name; // Jackson's field names are already one String per name
    }
    String known = known(prefix, name);
    return known != null ? known : joined(prefix, name);
  }

  /** OpenAI's documented detail counts; null for any other key. The prefixes are {@link #prefix}'s constants. */
  private static String known(String prefix, String name) {
    if (prefix == PROMPT_DETAILS) {
      return switch (name) {
        case "cached_tokens" -> "prompt_tokens_details.cached_tokens";
        case "audio_tokens" -> "prompt_tokens_details.audio_tokens";
        case "cache_write_tokens" -> "prompt_tokens_details.cache_write_tokens";
        default -> null;
      };
    }
    if (prefix == COMPLETION_DETAILS) {
      return switch (name) {
        case "reasoning_tokens" -> "completion_tokens_details.reasoning_tokens";
        case "audio_tokens" -> "completion_tokens_details.audio_tokens";
        case "accepted_prediction_tokens" -> "completion_tokens_details.accepted_prediction_tokens";
        case "rejected_prediction_tokens" -> "completion_tokens_details.rejected_prediction_tokens";
        default -> null;
      };
    }
    return null;
  }

  private static String joined(String prefix, String name) {
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
    return switch (key) {
      case "prompt_tokens_details" -> PROMPT_DETAILS;
      case "completion_tokens_details" -> COMPLETION_DETAILS;
      default -> joined(key, ".");
    };
  }

  /** The marker {@code key=value}. */
  static String marker(String key, String value) {
    if (key.equals(SERVICE_TIER)) {
      switch (value) {
        case "default": return "service_tier=default";
        case "auto": return "service_tier=auto";
        case "flex": return "service_tier=flex";
        case "priority": return "service_tier=priority";
        case "scale": return "service_tier=scale";
        default: break;
      }
    }
    return join(join(key, "="), value);
  }
}
