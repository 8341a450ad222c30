package io.finops4j.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.finops4j.api.Completion;
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

  private final Cache<String, Entry> cache;

  /** One stored answer with its own time to live. */
  private record Entry(Completion completion, long ttlNanos, int weight) {}

  /** A cache of at most {@code maxBytes} on the system clock. */
  public CaffeineResponseCache(long maxBytes) {
    this(maxBytes, Ticker.systemTicker(), null);
  }

  /**
   * A cache of at most {@code maxBytes}, reading time from {@code ticker}; {@code executor} runs Caffeine's
   * maintenance (evictions, expiry, listeners), {@code null} for a shared daemon thread that runs it in 1 ms batches.
   * Every miss writes an entry: on the calling thread the maintenance cost each miss a drain and the caller that won
   * it the evictions; on Caffeine's default executor (the common pool) most writes woke a thread.
   */
  public CaffeineResponseCache(long maxBytes, Ticker ticker, Executor executor) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("cache max size must be positive, got " + maxBytes + " bytes");
    }
    Caffeine<Object, Object> b = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .ticker(ticker)
        .recordStats();
    b.executor(executor != null ? executor : MaintenanceExecutor.SHARED);
    this.cache = b
        .<String, Entry>weigher((key, entry) -> entry.weight())
        .expireAfter(new Expiry<String, Entry>() {
          @Override
          public long expireAfterCreate(String key, Entry entry, long now) {
            return entry.ttlNanos();
          }

          @Override
          public long expireAfterUpdate(String key, Entry entry, long now, long remaining) {
            return entry.ttlNanos();
          }

          @Override
          public long expireAfterRead(String key, Entry entry, long now, long remaining) {
            return remaining;
          }
        })
        .build();
  }

  @Override
  public Completion get(String key) {
    Entry e = cache.getIfPresent(key);
    return e == null ? null : e.completion();
  }

  @Override
  public void put(String key, Completion completion, Duration ttl) {
    cache.put(key, new Entry(completion, ttl.toNanos(), weigh(key, completion)));
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
   * An estimate of the bytes an entry retains: the key's and text's chars (2 bytes each, as in a UTF-16 string) and
   * a fixed allowance for the completion, usage, route and Caffeine's node. An estimate, not a measurement: the
   * bound holds to within the allowance per entry.
   */
  static int weigh(String key, Completion c) {
    long bytes = 2L * key.length() + 2L * c.text().length() + 512;
    if (c.finishReason() != null) {
      bytes += 2L * c.finishReason().length();
    }
    if (c.requestId() != null) {
      bytes += 2L * c.requestId().length();
    }
    bytes += 48L * c.usage().raw().size();
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }
}
