package io.finops4j.budget.redis;

import io.finops4j.api.spi.BudgetKey;

/**
 * Key names. Every key starts with the hash tag {@code {prefix:scope value}}, so in a Redis Cluster the counters
 * of one customer (or feature, or customer x feature) live in one slot and different customers spread over the
 * slots, hence over the shards. A call's keys in one slot are reserved by one script; a call whose budgets span
 * several slots runs one script per slot (see {@link RedisBudgetStore}).
 *
 * <pre>
 * {f4j:&lt;scope value&gt;}:b:&lt;budget&gt;:&lt;windowStart&gt;   counter hash: s = spent, r = reserved
 * {f4j:&lt;scope value&gt;}:l:&lt;budget&gt;:&lt;windowStart&gt;   its leases: "amount:callId" scored by expiry
 * {f4j:&lt;scope value&gt;}:k:&lt;callId&gt;                   the call's part in this slot: h, d or x
 * {f4j:&lt;scope value&gt;}:o:&lt;pushId&gt;                   a charge made while Redis was down, pushed once
 * </pre>
 * A call's record holds {@code h} (held), {@code d} (settled or released) or {@code x} (cancelled). The scope
 * value has {@code %}, <code>{</code> and <code>}</code> percent-encoded so that the hash tag ends where it should;
 * the budget id has {@code %} and {@code :} percent-encoded so a key parses back unambiguously.
 */
final class RedisKeys {

  private final String head;

  RedisKeys(String prefix) {
    if (prefix.isEmpty() || prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException("key-prefix must be non-empty and contain neither { nor }, got '"
          + prefix + "'");
    }
    this.head = "{" + prefix + ":";
  }

  /** The hash tag with its braces, e.g. <code>{f4j:acme}</code>: every key of this scope value starts with it. */
  String tag(BudgetKey k) {
    return head + encode(k.scopeKey(), '{', '}') + '}';
  }

  String counter(BudgetKey k) {
    return tag(k) + ":b:" + suffix(k);
  }

  String leases(BudgetKey k) {
    return tag(k) + ":l:" + suffix(k);
  }

  /** The record of a call's part in the slot of {@code tag} (a {@link #tag} value). */
  String call(String tag, String callId) {
    return tag + ":k:" + callId;
  }

  /** The record of a call's part in the slot of {@code k}. */
  String call(BudgetKey k, String callId) {
    return call(tag(k), callId);
  }

  String outageCharge(BudgetKey k, String pushId) {
    return tag(k) + ":o:" + pushId;
  }

  /** A SCAN pattern matching every key of this prefix. */
  String allPattern() {
    return glob(head) + "*";
  }

  /** A SCAN pattern matching every counter of this prefix. */
  String counterPattern() {
    return glob(head) + "*}:b:*";
  }

  /** The budget key of a counter key, or null when {@code key} is not one. */
  BudgetKey parseCounter(String key) {
    if (!key.startsWith(head)) {
      return null;
    }
    int close = key.indexOf("}:b:", head.length());
    if (close < 0) {
      return null;
    }
    int idStart = close + 4;
    int colon = key.indexOf(':', idStart);
    if (colon < 0) {
      return null;
    }
    try {
      long windowStart = Long.parseLong(key.substring(colon + 1));
      return new BudgetKey(decode(key.substring(idStart, colon)), decode(key.substring(head.length(), close)),
          windowStart);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String suffix(BudgetKey k) {
    return encode(k.budgetId(), ':', ':') + ':' + k.windowStart();
  }

  /** Percent-encodes {@code %} and the two given characters (the same one twice for one). */
  private static String encode(String s, char a, char b) {
    if (s.indexOf('%') < 0 && s.indexOf(a) < 0 && s.indexOf(b) < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (char c : s.toCharArray()) {
      if (c == '%' || c == a || c == b) {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    return s.replace("%3A", ":").replace("%7B", "{").replace("%7D", "}").replace("%25", "%");
  }

  private static String glob(String s) {
    StringBuilder out = new StringBuilder(s.length() + 4);
    for (char c : s.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
