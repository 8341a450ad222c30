package io.finops4j.core.cache;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Admission on the second request, as the doorkeeper of Caffeine's TinyLFU: a Bloom filter of the keys seen
 * recently. An answer is stored only when its key was seen before, so a stream of one-off prompts no longer fills
 * the cache with entries that are never read (each one copied by every young GC until it is promoted or evicted).
 * The filter is cleared after {@link #RESET_AFTER} sightings, which forgets keys not repeated within that many
 * requests and bounds its false positives (a key taken for seen): two probes, one key per {@code bits / RESET_AFTER}
 * bits when it is cleared.
 */
final class Doorkeeper {

  /** Sightings between resets. */
  static final int RESET_AFTER = 1 << 17;

  /**
   * 1 Mi bits (128 KiB), 8 per key at a reset: up to 4.9% false positives, 2% on average ({@code second-request}).
   */
  static final int SMALL = 20;

  /**
   * 4 Mi bits (512 KiB), 32 per key at a reset: up to 0.4% false positives. Admission {@code auto} counts the keys
   * taken for seen as reuse, and decides at 1 in 100: the filter's own errors must stay well below that.
   */
  static final int LARGE = 22;

  private final int log2Bits;
  private final AtomicLongArray words;
  private final AtomicInteger sightings = new AtomicInteger();

  /** A filter of {@code 2^log2Bits} bits ({@link #SMALL} or {@link #LARGE}). */
  Doorkeeper(int log2Bits) {
    this.log2Bits = log2Bits;
    this.words = new AtomicLongArray((1 << log2Bits) / 64);
  }

  /** True when {@code key} was seen since the last reset (store its answer); otherwise remembers it. */
  boolean admit(String key) {
    long h = key.hashCode() * 0x9E3779B97F4A7C15L;
    int a = (int) (h >>> (64 - log2Bits));   // two probes from the high bits of the mixed hash
    int b = (int) (h >>> (44 - log2Bits)) & ((1 << log2Bits) - 1);
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
