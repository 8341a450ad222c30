package io.finops4j.budget.redis;

import io.finops4j.api.spi.BudgetKey;

/**
 * Key names. Every key starts with the hash tag {@code {prefix}}, so in a Redis Cluster all of an app's budget
 * keys live in one slot: a call's counters belong to different budgets (customer, feature, global) that other
 * calls combine differently, so no narrower tag could keep every call's keys together.
 *
 * <pre>
 * {f4j}:b:&lt;budget&gt;:&lt;windowStart&gt;:&lt;scope value&gt;   counter hash: s = spent, r = reserved
 * {f4j}:l:&lt;budget&gt;:&lt;windowStart&gt;:&lt;scope value&gt;   its leases: "amount:callId" scored by expiry
 * {f4j}:k:&lt;callId&gt;                                 the call: h held, d settled or released, x cancelled
 * {f4j}:o:&lt;callId&gt;                                 a charge made while Redis was down, pushed once
 * </pre>
 * The budget id has {@code %} and {@code :} percent-encoded so a key parses back unambiguously; the scope value
 * is last and kept as is.
 */
final class RedisKeys {

  private final String tag;

  RedisKeys(String prefix) {
    if (prefix.isEmpty() || prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException("key-prefix must be non-empty and contain neither { nor }, got '"
          + prefix + "'");
    }
    this.tag = "{" + prefix + "}:";
  }

  String counter(BudgetKey k) {
    return tag + "b:" + suffix(k);
  }

  String leases(BudgetKey k) {
    return tag + "l:" + suffix(k);
  }

  String call(String callId) {
    return tag + "k:" + callId;
  }

  String outageCharge(String callId) {
    return tag + "o:" + callId;
  }

  /** A SCAN pattern matching every key of this prefix. */
  String allPattern() {
    return glob(tag) + "*";
  }

  /** A SCAN pattern matching every counter of this prefix. */
  String counterPattern() {
    return glob(tag) + "b:*";
  }

  /** The budget key of a counter key, or null when {@code key} is not one. */
  BudgetKey parseCounter(String key) {
    String head = tag + "b:";
    if (!key.startsWith(head)) {
      return null;
    }
    int a = key.indexOf(':', head.length());
    int b = a < 0 ? -1 : key.indexOf(':', a + 1);
    if (b < 0) {
      return null;
    }
    try {
      long windowStart = Long.parseLong(key.substring(a + 1, b));
      return new BudgetKey(decode(key.substring(head.length(), a)), key.substring(b + 1), windowStart);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String suffix(BudgetKey k) {
    return encode(k.budgetId()) + ':' + k.windowStart() + ':' + k.scopeKey();
  }

  private static String encode(String id) {
    if (id.indexOf('%') < 0 && id.indexOf(':') < 0) {
      return id;
    }
    return id.replace("%", "%25").replace(":", "%3A");
  }

  private static String decode(String id) {
    if (id.indexOf('%') < 0) {
      return id;
    }
    return id.replace("%3A", ":").replace("%25", "%");
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
