package io.finops4j.telemetry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A lock-free map from a metric's tag values to its instruments, so that the hot path does not rebuild tags and
 * look meters up by name on every call. Past {@code max} entries it stops caching (and still answers): the tag
 * values are bounded already, this only keeps a bug elsewhere from turning into a memory leak.
 */
final class BoundedCache<K, V> {

  private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
  private final int max;

  BoundedCache(int max) {
    this.max = max;
  }

  V get(K key, Function<K, V> create) {
    V v = map.get(key);
    if (v != null) {
      return v;
    }
    return map.size() < max ? map.computeIfAbsent(key, create) : create.apply(key);
  }

  int size() {
    return map.size();
  }
}
