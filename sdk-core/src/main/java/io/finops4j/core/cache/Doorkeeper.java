package io.finops4j.core.cache;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Admission on the second request, as the doorkeeper of Caffeine's TinyLFU: a Bloom filter of the keys seen
 * recently. An answer is stored only when its key was seen before, so a stream of one-off prompts no longer fills
 * the cache with entries that are never read (each one copied by every young GC until it is promoted or evicted).
 * The filter is cleared after {@link #RESET_AFTER} sightings, which bounds its false positives (an answer stored on
 * its first request) to about 2% and forgets keys not repeated within that many requests.
 */
final class Doorkeeper {

  /** Bits in the filter: 1 Mi (128 KiB). */
  private static final int BITS = 1 << 20;

  /** Sightings between resets: one key per 8 bits keeps two probes' false positives near 2%. */
  static final int RESET_AFTER = BITS / 8;

  private final AtomicLongArray words = new AtomicLongArray(BITS / 64);
  private final AtomicInteger sightings = new AtomicInteger();

  /** True when {@code key} was seen since the last reset (store its answer); otherwise remembers it. */
  boolean admit(String key) {
    long h = key.hashCode() * 0x9E3779B97F4A7C15L;
    int a = (int) (h >>> 44);                 // two 20-bit probes from the high bits of the mixed hash
    int b = (int) (h >>> 24) & (BITS - 1);
    if (isSet(a) && isSet(b)) {
      return true;
    }
    set(a);
    set(b);
    if (sightings.incrementAndGet() >= RESET_AFTER) {
      sightings.set(0);
      for (int i = 0; i < words.length(); i++) {
        words.set(i, 0);
      }
    }
    return false;
  }

  private boolean isSet(int bit) {
    return (words.get(bit >>> 6) & (1L << bit)) != 0;
  }

  private void set(int bit) {
    int i = bit >>> 6;
    long mask = 1L << bit;
    long w = words.get(i);
    while ((w & mask) == 0 && !words.compareAndSet(i, w, w | mask)) {
      w = words.get(i);
    }
  }
}
