package io.finops4j.core.cache;

import java.math.BigDecimal;

/**
 * What the response cache did since it was built: a snapshot.
 *
 * @param exactHits answers served from the exact cache
 * @param semanticHits answers served because an earlier prompt meant the same
 * @param sharedHits answers shared with an identical call that was in flight (single-flight followers)
 * @param misses calls that went on to the provider with caching on
 * @param bypassed calls the cache did not consider (task not cached, caller opted out, non-deterministic, no
 *     scope value)
 * @param savedUsd the price of every avoided call at the routed model's rates, before embedding costs
 * @param embeddingCostUsd what the semantic cache's embedding calls cost, on hits and misses alike
 */
public record CacheStats(long exactHits, long semanticHits, long sharedHits, long misses, long bypassed,
    BigDecimal savedUsd, BigDecimal embeddingCostUsd) {

  public long hits() {
    return exactHits + semanticHits + sharedHits;
  }

  /** Hits over hits plus misses, 0 when the cache saw no call. */
  public double hitRatio() {
    long n = hits() + misses;
    return n == 0 ? 0 : (double) hits() / n;
  }

  /** What caching really saved: avoided calls minus every embedding call made to find them. */
  public BigDecimal netSavedUsd() {
    return savedUsd.subtract(embeddingCostUsd);
  }
}
