package io.finops4j.core.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per fresh answer of a miss, whether the cache stores it: the {@link CacheAdmission} of one cache. For
 * {@link CacheAdmission#AUTO} it looks at the last second once a second, on the first miss after it, so the hot path
 * is a clock read and a volatile read.
 */
final class AdmissionGate {

  private static final Logger log = LoggerFactory.getLogger(AdmissionGate.class);

  static final long WINDOW_NANOS = 1_000_000_000L;
  /** Fewer lookups a second than this cannot churn the heap: every answer is stored. */
  static final long MIN_LOOKUPS = 1_000;
  /** Reuse (hits and recognized repeats) under 1 lookup in this many counts as none: stores stop. */
  static final long GATE_UNDER_ONE_IN = 100;
  /**
   * Reuse of 1 lookup in this many or more brings every answer back. Between the two the state holds, so that reuse
   * near 1% (with the doorkeeper's own errors, up to 0.4%, counted as reuse) does not switch every second.
   */
  static final long OPEN_AT_ONE_IN = 50;

  private final CacheAdmission mode;
  /**
   * Null for ALWAYS, and for AUTO until it first stores on the second request (512 KiB that most caches never need).
   * Written before {@link #gated} becomes true, read after it is seen true: the volatile publishes it.
   */
  private Doorkeeper doorkeeper;
  private final Ticker ticker;
  /** Hits and misses so far (the cache's own counters): together, its lookups. */
  private final LongSupplier hits;
  private final LongSupplier misses;
  /** Whether new answers now evict others. */
  private final BooleanSupplier full;
  /** Misses whose key the doorkeeper had seen: hits that storing every answer could have made. */
  private final LongAdder repeats = new LongAdder();

  /** AUTO: storing on the second request now. */
  private volatile boolean gated;
  private volatile long nextCheck;
  private long lastLookups;
  private long lastReused;
  private boolean announced;

  AdmissionGate(CacheAdmission mode, Ticker ticker, LongSupplier hits, LongSupplier misses, BooleanSupplier full) {
    this.mode = mode;
    this.doorkeeper = mode == CacheAdmission.SECOND_REQUEST ? new Doorkeeper(Doorkeeper.SMALL) : null;
    this.ticker = ticker;
    this.hits = hits;
    this.misses = misses;
    this.full = full;
    this.nextCheck = ticker.read() + WINDOW_NANOS;
  }

  /** Whether the fresh answer to {@code key} is stored. */
  boolean admit(String key) {
    switch (mode) {
      case ALWAYS:
        return true;
      case SECOND_REQUEST:
        return doorkeeper.admit(key);
      default:
        if (ticker.read() - nextCheck >= 0) {
          check();
        }
        if (!gated) {
          return true;
        }
        if (doorkeeper.admit(key)) {
          repeats.increment();
          return true;
        }
        return false;
    }
  }

  /** AUTO: true while answers are stored on their second request. */
  boolean gated() {
    return gated;
  }

  private synchronized void check() {
    long now = ticker.read();
    if (now - nextCheck < 0) {
      return; // another miss checked first
    }
    long h = hits.getAsLong();
    long l = h + misses.getAsLong();
    long reused = h + repeats.sum();
    long window = l - lastLookups;
    long windowReused = reused - lastReused;
    lastLookups = l;
    lastReused = reused;
    boolean wasGated = gated;
    boolean gate;
    if (window < MIN_LOOKUPS || windowReused * OPEN_AT_ONE_IN >= window || !full.getAsBoolean()) {
      gate = false;
    } else {
      gate = wasGated || windowReused * GATE_UNDER_ONE_IN < window;
    }
    if (gate && doorkeeper == null) {
      doorkeeper = new Doorkeeper(Doorkeeper.LARGE);
    }
    gated = gate;
    nextCheck = now + WINDOW_NANOS;
    if (gate != wasGated) {
      String what = gate
          ? "full, and {} of its last {} lookups hit or repeated: storing answers on their second request while it"
              + " stays so"
          : "reused again or not full ({} of {} lookups hit or repeated): storing every answer";
      if (gate && !announced) {
        announced = true;
        log.info("finops4j cache (admission auto): " + what, windowReused, window);
      } else {
        log.debug("finops4j cache (admission auto): " + what, windowReused, window);
      }
    }
  }
}
