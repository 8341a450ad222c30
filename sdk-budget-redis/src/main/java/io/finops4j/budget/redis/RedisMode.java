package io.finops4j.budget.redis;

/**
 * How the store talks to Redis ({@code finops4j.budget.mode}). Sentinel needs no mode of its own: a
 * {@code redis-sentinel://} URL says it.
 */
public enum RedisMode {
  /** One server, or the master a {@code redis-sentinel://} URL names (found and followed through Sentinel). */
  STANDALONE,
  /**
   * A Redis Cluster: the URL lists seed nodes ({@code redis://h1:6379,h2:6379}, {@code rediss://} for TLS); the
   * store learns the slot map from them, follows MOVED and ASK redirects and refreshes the map periodically and
   * on redirects.
   */
  CLUSTER;

  /** The YAML spelling, e.g. {@code cluster}. */
  String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
