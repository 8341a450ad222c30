package io.finops4j.core.cache;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Admission on the second request, as the doorkeeper of Caffeine's TinyLFU: a Bloom filter of the keys seen
 * recently. An answer is stored only when its key was seen before, so a stream of one-off prompts no longer fills
 * the cache with entries that are never read (each one copied by every young GC until it is promoted or evicted).
 * The filter is cleared after about {@link #RESET_AFTER} sightings, which forgets keys not repeated within that many
 * requests and bounds its false positives (a key taken for seen): one key per {@code bits / RESET_AFTER} bits when it
 * is cleared.
 *
 * <p>Blocked, one 64-bit word per key: a key's three probes are bits of one word, so a sighting reads one cache line
 * and sets its bits with one compare-and-set (two probes over the whole filter touched two lines, each a likely cache
 * miss). Three probes in a word err less than two over the whole filter at the same size. Sightings are counted
 * {@value #COUNT_EVERY} at a time, on one in {@value #COUNT_EVERY} of them at random: a count written by every miss
 * of every caller is a cache line that moves between cores on every call.
 */
final class Doorkeeper {

  /** Sightings between resets, within about 1% (they are counted at random, see above). */
  static final int RESET_AFTER = 1 << 17;

  private static final int COUNT_EVERY = 16;

  /**
   * 1 Mi bits (128 KiB), 8 per key at a reset: up to 3.7% false positives, 1.2% on average over the filter's life
   * ({@code second-request}).
   */
  static final int SMALL = 20;

  /**
   * 4 Mi bits (512 KiB), 32 per key at a reset: up to 0.17% false positives. Admission {@code auto} counts the keys
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
    // the word from the high bits of the mixed hash, the three bits in it from the 18 bits below those
    int word = (int) (h >>> (64 - (log2Bits - 6)));
    long mask = 1L << (h >>> 42) | 1L << (h >>> 36) | 1L << (h >>> 30); // a long shift takes its low 6 bits
    long w = words.get(word);
    if ((w & mask) == mask) {
      return true;
    }
    while (!words.compareAndSet(word, w, w | mask)) {
      w = words.get(word);
    }
    if (ThreadLocalRandom.current().nextInt(COUNT_EVERY) == 0
        && sightings.addAndGet(COUNT_EVERY) >= RESET_AFTER) {
      sightings.set(0);
      for (int i = 0; i < words.length(); i++) {
        words.set(i, 0);
      }
    }
    return false;
  }
}
