package io.finops4j.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Binds {@code finops4j.*} from every Spring property source (application.yaml, properties, profiles,
 * environment variables, command line) into a plain tree of maps, lists and scalars. Spring does the merging,
 * precedence and {@code ${...}} resolution; finops4j's own parser does the rest. This class knows no schema
 * beyond the spelling of multi-word key names, which environment variables cannot carry.
 */
final class SpringConfigTree {

  static final String PREFIX = "finops4j";

  /**
   * The multi-word keys of the schema. Environment variables drop dashes ({@code ..._MAXOUTPUTTOKENS}) and
   * properties may use camelCase: both are mapped back to the kebab-case name the parser reads.
   */
  private static final List<String> MULTI_WORD_KEYS = List.of("api-key", "base-url", "cached-input", "cache-write",
      "cache-write-1h", "batch-discount", "long-context-threshold", "long-context", "max-output-tokens",
      "max-cost-per-request", "prompt-caching", "alert-at", "downgrade-at", "on-exceed", "workflow-caps",
      "max-calls", "max-cost", "key-prefix", "on-unavailable", "max-size", "capture-content",
      "metric-tag-allow-list", "metric-tag-top-n", "max-retries", "failure-threshold", "idle-expiry",
      "batch-size", "flush-interval", "queue-capacity", "queue-full-wait", "spill-path", "rotate-size", "close-timeout",
      "max-entries", "non-deterministic");
  private static final Map<String, String> CANONICAL = new LinkedHashMap<>();

  static {
    for (String k : MULTI_WORD_KEYS) {
      CANONICAL.put(squash(k), k);
    }
  }

  private SpringConfigTree() {}

  /** The bound {@code finops4j} tree, without the starter's own {@code enabled} switch; empty when absent. */
  static Map<String, Object> bind(Environment environment) {
    Binder binder = Binder.get(environment);
    Map<String, Object> raw = binder.bind(PREFIX, Bindable.mapOf(String.class, Object.class)).orElse(Map.of());
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = (Map<String, Object>) normalize(raw, PREFIX, binder, slashedKeys(environment));
    tree.remove("enabled");
    return tree;
  }

  private static Object normalize(Object node, String path, Binder binder, Map<String, String> slashed) {
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(normalize(list.get(i), path + "[" + i + "]", binder, slashed));
      }
      return out;
    }
    if (!(node instanceof Map<?, ?> map)) {
      return node;
    }
    if (isIndexed(map)) {
      // Spring binds a YAML list (or FOO_0, FOO_1 variables) into a map of "0", "1", ... which, as a map,
      // iterates "10" before "2": order it by index.
      TreeMap<Integer, Object> byIndex = new TreeMap<>();
      map.forEach((k, v) -> byIndex.put(Integer.valueOf(String.valueOf(k)), v));
      List<Object> out = new ArrayList<>(byIndex.size());
      for (Map.Entry<Integer, Object> e : byIndex.entrySet()) {
        out.add(normalize(e.getValue(), path + "[" + e.getKey() + "]", binder, slashed));
      }
      return out;
    }
    Map<String, Object> grouped = new LinkedHashMap<>();
    List<String> collided = new ArrayList<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = canonical(String.valueOf(e.getKey()));
      key = slashed.getOrDefault(key, key);
      Object previous = grouped.get(key);
      if (previous == null) {
        grouped.put(key, e.getValue());
      } else {
        collided.add(key);
        grouped.put(key, merge(previous, e.getValue()));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : grouped.entrySet()) {
      String childPath = path + "." + e.getKey();
      Object value = e.getValue();
      if (collided.contains(e.getKey()) && !(value instanceof Map)) {
        // Two spellings of one key (max-output-tokens in YAML, ..._MAXOUTPUTTOKENS in the environment): ask
        // Spring for the canonical name, which it resolves with the property sources' precedence.
        value = binder.bind(childPath, Bindable.of(Object.class)).orElse(value);
      }
      out.put(e.getKey(), normalize(value, childPath, binder, slashed));
    }
    return out;
  }

  /**
   * Model ids used as keys ({@code models: { openai/gpt-5-mini: ... }}, {@code split}) contain a '/', which
   * Spring drops from an unbracketed map key ({@code openaigpt-5-mini}). The property sources still hold the
   * name as written: map the stripped form back to it. (A key with a '.' must be written {@code "[a/b.1]"}.)
   */
  private static Map<String, String> slashedKeys(Environment environment) {
    Map<String, String> out = new LinkedHashMap<>();
    if (environment instanceof ConfigurableEnvironment configurable) {
      for (PropertySource<?> source : configurable.getPropertySources()) {
        if (source instanceof EnumerablePropertySource<?> enumerable) {
          for (String name : enumerable.getPropertyNames()) {
            if (name.startsWith(PREFIX + ".") && name.indexOf('/') > 0) {
              for (String segment : name.split("\\.")) {
                if (segment.indexOf('/') > 0 && !segment.startsWith("[")) {
                  out.putIfAbsent(segment.replaceAll("[^A-Za-z0-9-]", ""), segment);
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object merge(Object a, Object b) {
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      Map<Object, Object> out = new LinkedHashMap<>((Map<Object, Object>) ma);
      mb.forEach((k, v) -> out.merge(k, v, SpringConfigTree::merge));
      return out;
    }
    return a;
  }

  private static boolean isIndexed(Map<?, ?> map) {
    if (map.isEmpty()) {
      return false;
    }
    for (Object k : map.keySet()) {
      String s = String.valueOf(k);
      if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(Character::isDigit)) {
        return false;
      }
    }
    return true;
  }

  private static String canonical(String key) {
    return CANONICAL.getOrDefault(squash(key), key);
  }

  private static String squash(String key) {
    return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }
}
