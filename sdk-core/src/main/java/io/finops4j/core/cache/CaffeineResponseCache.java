package io.finops4j.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;
import io.finops4j.api.Completion;
import io.finops4j.api.ReasoningBlock;
import io.finops4j.api.spi.ResponseCache;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The default {@link ResponseCache}: in-process Caffeine, bounded by an estimate of the bytes its entries retain
 * ({@code maximumWeight} with a byte weigher), each entry expiring after its own TTL ({@code expireAfter}),
 * with statistics recorded so they can be bound to Micrometer ({@code CaffeineCacheMetrics.monitor(registry,
 * cache.nativeCache(), "finops4j.cache")}).
 */
public final class CaffeineResponseCache implements ResponseCache {

  /** The default bound: 64 MiB. */
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  /** The answers themselves, no wrapper per entry: each one's TTL goes into its node when it is put. */
  private final Cache<String, Completion> cache;
  private final Policy.VarExpiration<String, Completion> expiration;
  private final Policy.Eviction<String, Completion> eviction;
  /** The shared maintenance thread, told of each put; null with an executor of the caller's. */
  private final MaintenanceExecutor maintenance;

  /** A cache of at most {@code maxBytes} on the system clock. */
  public CaffeineResponseCache(long maxBytes) {
    this(maxBytes, Ticker.systemTicker(), null);
  }

  /**
   * A cache of at most {@code maxBytes}, reading time from {@code ticker}; {@code executor} runs Caffeine's
   * maintenance (evictions, expiry, listeners), {@code null} for a shared daemon thread that runs it in batches (every
   * 4 ms, or sooner when many answers are stored). Every miss writes an entry: on the calling thread the maintenance
   * cost each miss a drain and the caller that won it the evictions; on Caffeine's default executor (the common pool)
   * most writes woke a thread.
   */
  public CaffeineResponseCache(long maxBytes, Ticker ticker, Executor executor) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("cache max size must be positive, got " + maxBytes + " bytes");
    }
    Caffeine<Object, Object> b = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .ticker(ticker)
        .recordStats();
    this.maintenance = executor == null ? MaintenanceExecutor.SHARED : null;
    b.executor(executor != null ? executor : maintenance);
    this.cache = b
        .<String, Completion>weigher(CaffeineResponseCache::weigh)
        .expireAfter(new Expiry<String, Completion>() {
          // every put names its entry's TTL (put below); these keep it as it is
          @Override
          public long expireAfterCreate(String key, Completion value, long now) {
            return Long.MAX_VALUE;
          }

          @Override
          public long expireAfterUpdate(String key, Completion value, long now, long remaining) {
            return remaining;
          }

          @Override
          public long expireAfterRead(String key, Completion value, long now, long remaining) {
            return remaining;
          }
        })
        .build();
    this.expiration = cache.policy().expireVariably().orElseThrow();
    this.eviction = cache.policy().eviction().orElseThrow();
  }

  /** True when the entries weigh 90% of the bound or more: a new answer now evicts others. */
  boolean full() {
    return eviction.weightedSize().orElse(0) >= eviction.getMaximum() / 10 * 9;
  }

  @Override
  public Completion get(String key) {
    return cache.getIfPresent(key);
  }

  @Override
  public void put(String key, Completion completion, Duration ttl) {
    expiration.put(key, completion, ttl);
    if (maintenance != null) {
      maintenance.wrote();
    }
  }

  @Override
  public void invalidate(String key) {
    cache.invalidate(key);
  }

  /** The Caffeine cache, for metrics binders and tests (size, statistics, forced maintenance). */
  public Cache<String, ?> nativeCache() {
    return cache;
  }

  /**
   * The objects every entry keeps whatever its text: Caffeine's node and the map's, the answer, its usage, its cost
   * and model id (measured on JDK 17 with compressed oops: 32 + 56 + 88 + 72 + 40 + 24 bytes).
   */
  private static final long ENTRY_BYTES = 312;

  /**
   * An estimate of the bytes an entry retains, close to what {@code EntryWeightTest} measures on the heap: the fixed
   * objects, the key's and the provider ids' strings (ASCII, one byte per char), the text at two bytes per char (an
   * answer in most non-Latin scripts is stored as UTF-16), the raw usage counts, and any reasoning blocks. The
   * finish reason and served model are one shared String per value ({@code CanonicalStrings}). An estimate, not a
   * measurement: the bound holds to within a few dozen bytes per entry.
   */
  static int weigh(String key, Completion c) {
    long bytes = ENTRY_BYTES + string(key) + 40 + 2L * c.text().length() + string(c.requestId())
        + string(c.responseId()) + raw(c.usage().raw().size());
    for (ReasoningBlock r : c.reasoning()) {
      bytes += 64 + 2L * r.json().length();
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  /**
   * A usage's raw counts: the map and its counts' array (the array of names, and the names themselves, are shared by
   * every answer read by the same provider).
   */
  private static long raw(int fields) {
    return fields == 0 ? 0 : 40 + 8L * fields;
  }

  /** A String of ASCII text: the object and its byte array's header, one byte per char. */
  private static long string(String s) {
    return s == null ? 0 : 40L + s.length();
  }
}
