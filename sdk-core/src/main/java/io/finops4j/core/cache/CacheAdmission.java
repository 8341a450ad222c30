package io.finops4j.core.cache;

/**
 * Which fresh answers the exact cache stores ({@code finops4j.cache.admission}).
 *
 * <p>Storing an answer that is never read again is not free: it evicts an older entry, and on a busy cache every
 * such entry is young garbage that each young GC copies until it dies. At tens of thousands of misses a second with
 * nothing reused, that is most of what the cache costs (young-GC pauses several times those of the same traffic
 * without a cache). {@link #AUTO} stops paying it when the cache is not helping, and only then.
 */
public enum CacheAdmission {

  /** Every fresh answer is stored: the first repeat of a prompt is a hit. */
  ALWAYS,

  /**
   * An answer is stored when its request comes a second time (a 128 KiB Bloom filter of recent keys, as the
   * doorkeeper of Caffeine's TinyLFU): the first repeat of a prompt is paid for once more, and one-off prompts never
   * enter the cache.
   */
  SECOND_REQUEST,

  /**
   * The default: as {@link #ALWAYS} while the cache has room or its answers are reused; as {@link #SECOND_REQUEST}
   * from when the in-process cache is full (new answers evict others) and fewer than 1 in 100 of the last second's
   * lookups, at least 1,000 of them, hit or were a repeat the doorkeeper recognized, until 1 in 50 or more do (or
   * the cache has room, or traffic falls under 1,000 lookups a second). Checked once a second, so it comes back as
   * soon as reuse does. A repeat is paid for once more only while reuse is under 2%, which bounds what it can cost
   * to 2% of the calls the cache could have saved. A store of your own ({@code builder().store(...)}) is never full
   * in this sense: every answer is stored.
   */
  AUTO;

  /** The YAML spelling: {@code always}, {@code second-request}, {@code auto}. */
  String yaml() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
