package io.finops4j.core.cache;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one task type's answers are cached.
 *
 * @param enabled false when the task's answers are never cached
 * @param ttl how long an answer is served from the cache
 * @param scope the attribution dimensions an entry is shared within, e.g. {@code [customer]} (the default) or
 *     {@code [customer, user]}; empty for {@code global}, where every caller shares entries
 * @param nonDeterministic true when answers sampled with a temperature above 0 (or with no temperature at all, which
 *     providers treat as about 1) may be cached and replayed; false caches only {@code temperature: 0} calls
 * @param semanticThreshold the cosine similarity from which a different prompt counts as the same question, or
 *     {@code null} when the semantic cache is off for the task
 */
public record CachePolicy(boolean enabled, Duration ttl, List<String> scope, boolean nonDeterministic,
    Double semanticThreshold) {

  /** The attribution dimensions a scope may name. */
  static final List<String> DIMENSIONS = List.of("customer", "feature", "workflow", "user", "team", "environment");

  /** The lowest semantic threshold allowed: below it, questions matched their opposites in other tools. */
  public static final double SEMANTIC_FLOOR = 0.90;

  /** The semantic threshold used when a task turns the semantic cache on without naming one. */
  public static final double SEMANTIC_DEFAULT = 0.95;

  /** The TTL of {@code cache: true}. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  /** The scope of a task that names none: one customer never sees another's answers. */
  public static final List<String> CUSTOMER = List.of("customer");

  /** Caching off. */
  public static final CachePolicy DISABLED = new CachePolicy(false, DEFAULT_TTL, CUSTOMER, false, null);

  /** Exact cache, one hour, per customer, deterministic calls only, no semantic matching. */
  public static final CachePolicy DEFAULT = new CachePolicy(true, DEFAULT_TTL, CUSTOMER, false, null);

  public CachePolicy {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("cache ttl must be positive, got " + ttl);
    }
    scope = List.copyOf(scope);
    for (String d : scope) {
      if (!validDimension(d)) {
        throw new IllegalArgumentException("unknown cache scope '" + d + "'; expected global or any of "
            + DIMENSIONS + " or tag.NAME");
      }
    }
    if (semanticThreshold != null && (semanticThreshold < SEMANTIC_FLOOR || semanticThreshold > 1.0)) {
      throw new IllegalArgumentException("semantic threshold must be between " + SEMANTIC_FLOOR + " and 1.0, got "
          + semanticThreshold);
    }
  }

  static boolean validDimension(String d) {
    return DIMENSIONS.contains(d) || (d.startsWith("tag.") && d.length() > 4);
  }

  public CachePolicy withTtl(Duration v) {
    return new CachePolicy(enabled, v, scope, nonDeterministic, semanticThreshold);
  }

  /** This policy shared within {@code dimensions}; none means global. */
  public CachePolicy withScope(String... dimensions) {
    return new CachePolicy(enabled, ttl, List.of(dimensions), nonDeterministic, semanticThreshold);
  }

  public CachePolicy withNonDeterministic(boolean v) {
    return new CachePolicy(enabled, ttl, scope, v, semanticThreshold);
  }

  /** This policy with the semantic cache on at {@code threshold} (at least {@link #SEMANTIC_FLOOR}). */
  public CachePolicy withSemantic(double threshold) {
    return new CachePolicy(enabled, ttl, scope, nonDeterministic, threshold);
  }

  public boolean global() {
    return scope.isEmpty();
  }
}
