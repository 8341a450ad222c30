package io.finops4j.api.spi;

import io.finops4j.api.Completion;
import java.time.Duration;

/**
 * Where the exact response cache keeps its answers. The default is an in-process Caffeine cache bounded by
 * bytes; a team that wants one cache for every instance of an app can back it with Redis or similar.
 *
 * <p>Keys are built by the cache interceptor: they start with the cache scope (e.g. the customer) and end with a
 * SHA-256 of the normalized request, so two scopes never share a key. Implementations store and return the
 * completion as given; they must be thread-safe and should not throw on a backend outage (answer {@code null} for
 * a read and drop a write instead: a cache that fails a call costs more than a miss).
 */
public interface ResponseCache {

  /** The completion stored under {@code key}, or {@code null} when absent or expired. */
  Completion get(String key);

  /** Stores {@code completion} under {@code key} for {@code ttl}, replacing what was there. */
  void put(String key, Completion completion, Duration ttl);

  /** Removes the entry under {@code key}, if any. */
  void invalidate(String key);
}
