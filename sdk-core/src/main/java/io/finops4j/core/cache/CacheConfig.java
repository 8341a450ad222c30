package io.finops4j.core.cache;

import io.finops4j.api.spi.ConfigNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code finops4j.cache} ({@code enabled}, {@code max-size}, {@code admission}, {@code semantic}) and the
 * {@code cache} key of every {@code finops4j.tasks.<task>} into a builder.
 * Other task keys belong to the routing policy, which validates them.
 */
final class CacheConfig {

  private CacheConfig() {}

  static void read(ConfigNode root, CacheInterceptor.Builder b) {
    ConfigNode cache = root.get("cache");
    if (cache.isPresent()) {
      cache.asMap(); // fails with the path when cache is not a map
      cache.allowKeys("enabled", "max-size", "semantic", "admission");
      b.enabled(cache.get("enabled").asBoolean(true));
      ConfigNode admission = cache.get("admission");
      if (admission.isPresent()) {
        String a = admission.asString().trim().toLowerCase(Locale.ROOT);
        CacheAdmission chosen = null;
        for (CacheAdmission c : CacheAdmission.values()) {
          if (c.yaml().equals(a)) {
            chosen = c;
          }
        }
        if (chosen == null) {
          throw admission.error("expected auto (the default: store every answer unless the cache is full and not"
              + " reused), always (store every answer) or second-request (store an answer when its request comes"
              + " again), got '" + admission.raw() + "'");
        }
        b.admission(chosen);
      }
      if (cache.has("max-size")) {
        b.maxBytes(bytes(cache.get("max-size")));
      }
      ConfigNode semantic = cache.get("semantic");
      if (semantic.isPresent()) {
        semantic.asMap();
        semantic.allowKeys("max-entries", "model", "dimensions"); // model and dimensions: the engine builds the embedder
        long n = semantic.get("max-entries").asLong(CacheInterceptor.DEFAULT_SEMANTIC_ENTRIES);
        if (n <= 0 || n > Integer.MAX_VALUE) {
          throw semantic.get("max-entries").error("expected a positive number of entries, got " + n);
        }
        b.semanticMaxEntries((int) n);
      }
    }
    for (Map.Entry<String, ConfigNode> task : root.get("tasks").asMap().entrySet()) {
      ConfigNode node = task.getValue();
      if (node.raw() instanceof Map) {
        ConfigNode c = node.get("cache");
        if (c.isPresent()) {
          b.task(task.getKey(), policy(c));
        }
      }
    }
  }

  /** {@code cache: true}, {@code cache: false} or {@code cache: { ttl, scope, semantic, non-deterministic }}. */
  static CachePolicy policy(ConfigNode c) {
    if (!(c.raw() instanceof Map)) {
      return c.asBoolean() ? CachePolicy.DEFAULT : CachePolicy.DISABLED;
    }
    c.allowKeys("enabled", "ttl", "scope", "semantic", "non-deterministic");
    boolean enabled = c.get("enabled").asBoolean(true);
    Duration ttl = c.get("ttl").asDuration(CachePolicy.DEFAULT_TTL, Duration.ZERO, Duration.ofDays(365));
    if (ttl.isZero() || ttl.isNegative()) {
      throw c.get("ttl").error("expected a positive duration, got '" + c.get("ttl").raw() + "'");
    }
    List<String> scope = scope(c.get("scope"));
    boolean nonDeterministic = c.get("non-deterministic").asBoolean(false);
    Double threshold = semantic(c.get("semantic"));
    return new CachePolicy(enabled, ttl, scope, nonDeterministic, threshold);
  }

  /** {@code global}, one dimension, or a list of them (also {@code customer+user}). */
  private static List<String> scope(ConfigNode node) {
    if (!node.isPresent()) {
      return CachePolicy.CUSTOMER;
    }
    List<String> names = new ArrayList<>();
    for (ConfigNode item : node.asList()) {
      for (String part : item.asString().split("[+,]")) {
        String d = part.trim();
        if (d.isEmpty()) {
          continue;
        }
        if (d.equalsIgnoreCase("global")) {
          if (node.asList().size() > 1 || item.asString().split("[+,]").length > 1) {
            throw node.error("'global' cannot be combined with other scope dimensions");
          }
          return List.of();
        }
        String lower = d.startsWith("tag.") ? d : d.toLowerCase(Locale.ROOT);
        if (!CachePolicy.validDimension(lower)) {
          throw node.error("unknown cache scope '" + d + "'; expected global or any of " + CachePolicy.DIMENSIONS
              + " or tag.NAME");
        }
        names.add(lower);
      }
    }
    if (names.isEmpty()) {
      throw node.error("expected a scope such as customer, user or global");
    }
    return names;
  }

  /** {@code semantic: true|false} or {@code semantic: { threshold: 0.97 }}; null when off. */
  private static Double semantic(ConfigNode node) {
    if (!node.isPresent()) {
      return null;
    }
    if (!(node.raw() instanceof Map)) {
      return node.asBoolean() ? CachePolicy.SEMANTIC_DEFAULT : null;
    }
    node.allowKeys("enabled", "threshold");
    if (!node.get("enabled").asBoolean(true)) {
      return null;
    }
    ConfigNode t = node.get("threshold");
    double threshold = t.asDouble(CachePolicy.SEMANTIC_DEFAULT);
    if (threshold < CachePolicy.SEMANTIC_FLOOR) {
      throw t.error("semantic threshold " + t.raw() + " is below the floor of " + CachePolicy.SEMANTIC_FLOOR
          + ": lower thresholds match questions to different (even opposite) questions; use "
          + CachePolicy.SEMANTIC_FLOOR + " or more");
    }
    if (threshold > 1.0) {
      throw t.error("semantic threshold is a cosine similarity, at most 1.0, got " + t.raw());
    }
    return threshold;
  }

  /** {@code 64MB}, {@code 512KB}, {@code 1GB}, {@code 1048576} (bytes); units are binary, as Spring's DataSize. */
  static long bytes(ConfigNode node) {
    String s = node.asString().trim().toUpperCase(Locale.ROOT).replace(" ", "");
    long unit = 1;
    String digits = s;
    String[][] units = {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"}, {"KB", "1024"},
        {"MB", "1048576"}, {"GB", "1073741824"}, {"K", "1024"}, {"M", "1048576"}, {"G", "1073741824"}, {"B", "1"}};
    for (String[] u : units) {
      if (s.endsWith(u[0])) {
        unit = Long.parseLong(u[1]);
        digits = s.substring(0, s.length() - u[0].length());
        break;
      }
    }
    try {
      long n = Long.parseLong(digits);
      if (n <= 0) {
        throw node.error("expected a positive size such as 64MB, got '" + node.raw() + "'");
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw node.error("expected a size such as 64MB, 512KB or 1GB, got '" + node.raw() + "'");
    }
  }
}
