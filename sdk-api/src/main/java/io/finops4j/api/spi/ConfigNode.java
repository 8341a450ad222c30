package io.finops4j.api.spi;

import io.finops4j.api.ConfigException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A read-only, path-aware view of one node of the parsed {@code finops4j:} configuration tree (maps, lists and
 * scalars, as YAML or Spring properties produce them). Every module reads its own section through this type, so
 * every bad value fails the same way: with the source, the key path and what was expected, e.g.
 * {@code finops4j.budgets[0].limit: expected a decimal number, got 'lots' (in app.yaml)}.
 *
 * <p>Keys are matched in kebab-case; {@code camelCase} and {@code snake_case} spellings are accepted too, as
 * Spring's relaxed binding does.
 */
public final class ConfigNode {

  private final String source;
  private final String path;
  private final Object value;
  /** Key path to {@code "line L, column C"} in the source, for messages; empty when not known. */
  private final Map<String, String> where;

  private ConfigNode(String source, String path, Object value, Map<String, String> where) {
    this.source = source;
    this.path = path;
    this.value = value;
    this.where = where;
  }

  private ConfigNode child(String childPath, Object childValue) {
    return new ConfigNode(source, childPath, childValue, where);
  }

  /** The root node; {@code source} names the file or property source for messages, or is {@code null}. */
  public static ConfigNode root(String source, String path, Object value) {
    return new ConfigNode(source, path, value, Map.of());
  }

  /**
   * The root node of a parsed file; {@code where} maps key paths ({@code finops4j.budgets[0].limit}) to their
   * place in it ({@code "line 12, column 7"}), which error messages then name.
   */
  public static ConfigNode root(String source, String path, Object value, Map<String, String> where) {
    return new ConfigNode(source, path, value, Map.copyOf(where));
  }

  public String path() { return path; }
  public String source() { return source; }
  /** The raw value: a {@code Map}, a {@code List}, a scalar, or {@code null} when absent. */
  public Object raw() { return value; }
  public boolean isPresent() { return value != null; }

  /** The child at {@code key}; absent children are nodes whose value is {@code null}. */
  public ConfigNode get(String key) {
    Map<String, Object> map = mapValue();
    Object v = null;
    if (map != null) {
      v = map.get(key);
      if (v == null) {
        v = map.get(camel(key));
      }
      if (v == null) {
        v = map.get(key.replace('-', '_'));
      }
    }
    return child(path + "." + key, v);
  }

  public boolean has(String key) {
    return get(key).isPresent();
  }

  /** Fails when this map has a key outside {@code allowed}, naming the key and the allowed ones. */
  public ConfigNode allowKeys(String... allowed) {
    Map<String, Object> map = mapValue();
    if (map == null) {
      return this;
    }
    TreeSet<String> ok = new TreeSet<>(Arrays.asList(allowed));
    for (String k : map.keySet()) {
      String kebab = kebab(k);
      if (!ok.contains(kebab)) {
        throw child(path + "." + k, null).error("unknown key; expected one of " + ok);
      }
    }
    return this;
  }

  /** This node's entries in file order; an absent node is an empty map. */
  public Map<String, ConfigNode> asMap() {
    if (value == null) {
      return Map.of();
    }
    Map<String, Object> map = mapValue();
    if (map == null) {
      throw error("expected a map of keys to values, got " + describe());
    }
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : map.entrySet()) {
      out.put(String.valueOf(e.getKey()), child(path + "." + e.getKey(), e.getValue()));
    }
    return out;
  }

  /** This node's items; an absent node is an empty list, and a single scalar is a list of one. */
  public List<ConfigNode> asList() {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      if (value instanceof Map<?, ?> m && isIndexed(m)) {
        // Spring's property binding turns lists into maps of "0", "1", ...
        return new ArrayList<>(asMap().values());
      }
      if (value instanceof Map) {
        throw error("expected a list, got a map");
      }
      return List.of(this);
    }
    List<ConfigNode> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(child(path + "[" + i + "]", list.get(i)));
    }
    return out;
  }

  public String asString() {
    requirePresent();
    if (value instanceof Map || value instanceof List) {
      throw error("expected a text value, got " + describe());
    }
    return String.valueOf(value);
  }

  public String asString(String defaultValue) {
    return value == null ? defaultValue : asString();
  }

  /** The value, which must be one of {@code allowed} (compared ignoring case). */
  public String asOneOf(Collection<String> allowed) {
    String s = asString().trim();
    for (String a : allowed) {
      if (a.equalsIgnoreCase(s)) {
        return a;
      }
    }
    throw error("expected one of " + new TreeSet<>(allowed) + ", got '" + s + "'");
  }

  public BigDecimal asDecimal() {
    requirePresent();
    try {
      return new BigDecimal(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw error("expected a decimal number, got " + describe());
    }
  }

  public BigDecimal asDecimal(BigDecimal defaultValue) {
    return value == null ? defaultValue : asDecimal();
  }

  public long asLong() {
    requirePresent();
    try {
      return new BigDecimal(String.valueOf(value).trim()).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw error("expected a whole number, got " + describe());
    }
  }

  public long asLong(long defaultValue) {
    return value == null ? defaultValue : asLong();
  }

  /** A whole number from {@code min} to {@code max}; {@code defaultValue} when absent. */
  public long asLong(long defaultValue, long min, long max) {
    if (value == null) {
      return defaultValue;
    }
    long v;
    try {
      v = new BigDecimal(String.valueOf(value).trim()).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      v = Long.MIN_VALUE;
    }
    if (v < min || v > max) {
      throw error("expected a whole number from " + min + " to " + max + ", got " + describe());
    }
    return v;
  }

  /** A number from {@code min} to {@code max} inclusive; {@code defaultValue} (may be null) when absent. */
  public BigDecimal asDecimal(BigDecimal defaultValue, BigDecimal min, BigDecimal max) {
    if (value == null) {
      return defaultValue;
    }
    BigDecimal v = asDecimal();
    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
      throw error("expected a number from " + min.toPlainString() + " to " + max.toPlainString() + ", got "
          + describe());
    }
    return v;
  }

  /** A duration from {@code min} to {@code max} inclusive; {@code defaultValue} when absent. */
  public Duration asDuration(Duration defaultValue, Duration min, Duration max) {
    Duration d = asDuration(defaultValue);
    if (value != null && (d.compareTo(min) < 0 || d.compareTo(max) > 0)) {
      throw error("expected a duration from " + human(min) + " to " + human(max) + ", got " + describe());
    }
    return d;
  }

  private static String human(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillis() % 86_400_000 == 0) {
      return d.toDays() + "d";
    }
    if (d.toMillis() % 3_600_000 == 0) {
      return d.toHours() + "h";
    }
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }

  public double asDouble() {
    return asDecimal().doubleValue();
  }

  public double asDouble(double defaultValue) {
    return value == null ? defaultValue : asDouble();
  }

  public boolean asBoolean() {
    requirePresent();
    String s = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw error("expected true or false, got " + describe());
  }

  public boolean asBoolean(boolean defaultValue) {
    return value == null ? defaultValue : asBoolean();
  }

  /**
   * A duration: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 7d}, or ISO-8601 ({@code PT1H}).
   */
  public Duration asDuration() {
    String s = asString().trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("p")) {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1).trim());
      switch (s.charAt(s.length() - 1)) {
        case 's': return Duration.ofSeconds(n);
        case 'm': return Duration.ofMinutes(n);
        case 'h': return Duration.ofHours(n);
        case 'd': return Duration.ofDays(n);
        default: break;
      }
    } catch (RuntimeException e) {
      // fall through to the error below
    }
    throw error("expected a duration such as 500ms, 30s, 10m, 1h or 7d, got " + describe());
  }

  public Duration asDuration(Duration defaultValue) {
    return value == null ? defaultValue : asDuration();
  }

  /**
   * An error at this node's path, with the source named, and the line and column when the source is a file: this
   * key's own, or for a missing key the place of the nearest one above it.
   */
  public ConfigException error(String message) {
    String at = null;
    for (String p = path; at == null && p != null; p = parent(p)) {
      at = where.get(p);
    }
    if (source == null) {
      return new ConfigException(path, message + (at == null ? "" : " (at " + at + ")"));
    }
    return new ConfigException(path, message + " (in " + source + (at == null ? "" : ", " + at) + ")");
  }

  private static String parent(String p) {
    int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    return cut <= 0 ? null : p.substring(0, cut);
  }

  /** Fails unless this node is present, saying which key is required. */
  public ConfigNode requirePresent() {
    if (value == null) {
      throw error("required value is missing");
    }
    return this;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> mapValue() {
    return value instanceof Map ? (Map<String, Object>) value : null;
  }

  private String describe() {
    String key = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    // secret-sounding names: api-key, token (not a count of tokens), secret, password, credential
    if (key.equals("key") || key.endsWith("-key") || key.endsWith("apikey") || key.contains("secret")
        || key.contains("password") || key.endsWith("token") || key.contains("credential")) {
      return "a value that is not shown because it may be a secret";
    }
    if (value instanceof Map) {
      return "a map";
    }
    if (value instanceof List) {
      return "a list";
    }
    return "'" + value + "'";
  }

  private static boolean isIndexed(Map<?, ?> m) {
    int i = 0;
    for (Object k : m.keySet()) {
      if (!String.valueOf(i++).equals(String.valueOf(k))) {
        return false;
      }
    }
    return !m.isEmpty();
  }

  private static String camel(String kebab) {
    StringBuilder s = new StringBuilder(kebab.length());
    boolean up = false;
    for (char c : kebab.toCharArray()) {
      if (c == '-') {
        up = true;
      } else {
        s.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return s.toString();
  }

  private static String kebab(String key) {
    StringBuilder s = new StringBuilder(key.length() + 4);
    for (char c : key.toCharArray()) {
      if (Character.isUpperCase(c)) {
        s.append('-').append(Character.toLowerCase(c));
      } else {
        s.append(c == '_' ? '-' : c);
      }
    }
    return s.toString();
  }
}
