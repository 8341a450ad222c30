package io.finops4j.telemetry;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ObjLongConsumer;

/**
 * The top N values of one dimension by spend, in fixed memory: a Space-Saving heavy-hitters sketch (Metwally et
 * al.) of {@code capacity} counters. A value whose true spend exceeds {@code total / capacity} is always tracked.
 *
 * <p>Ranking uses each counter's guaranteed spend (count minus the error it inherited when it replaced the
 * smallest counter), and only a guaranteed spend above the sketch's floor (the count of the last counter it
 * evicted, which grows as {@code total / capacity}) can enter the top N: a stream of one-off ids, all tied at
 * the same small spend, cannot churn noise into the tags. The set of values ever
 * promoted is capped too ({@code maxPromoted}), so a drifting top N cannot create series without bound: once the
 * cap is reached, only already-promoted values can be tags again.
 *
 * <p>Reads ({@link #isTop}) are a volatile read and a hash lookup. Writes go through a {@link SpendBuffer} striped by
 * thread and reach the counters in batches, under a lock taken with {@code tryLock}: a contended batch waits for the
 * next one, and an event that finds its stripe full is dropped rather than waited for, because telemetry must never
 * block a call and the sketch is an approximation anyway. While the top has room, a value not yet in it is counted
 * at once, so an application's first spenders are tags from their first call.
 *
 * <p>A count ranks the sketch again only when it can change the top: its value was promoted before or may still be,
 * and its guaranteed spend beats the n-th largest by an eighth. A top left short of n members because every promotion
 * is used is not room: with many equal spenders, re-ranking for each of their counts would run on nearly every call
 * and change nothing.
 */
final class TopSpenders {

  private static final int REFRESH_EVERY = 1024;

  private final int n;
  private final int capacity;
  private final int maxPromoted;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, long[]> counters; // value -> {count, error}; guarded by lock
  private final Set<String> promoted = new HashSet<>(); // guarded by lock
  private volatile Set<String> top = Set.of();
  /** A value not in the top would enter it when counted: fewer than n counters above the floor, promotions left. */
  private volatile boolean room = true;
  private long threshold; // the n-th largest guaranteed count above the floor, 0 while fewer; guarded by lock
  private long floor; // the count of the last evicted counter: spend below it is indistinguishable from noise
  private int updates; // guarded by lock
  private int rankings; // times the top was worked out; guarded by lock
  private final SpendBuffer buffer = new SpendBuffer();
  private final ObjLongConsumer<String> count = this::count;

  TopSpenders(int n) {
    this.n = n;
    this.capacity = Math.max(64, 8 * n);
    this.maxPromoted = 4 * n;
    this.counters = new HashMap<>(capacity * 2);
  }

  /** True when {@code value} is currently one of the top N spenders. */
  boolean isTop(String value) {
    return top.contains(value);
  }

  /** Adds {@code weight} (nano-USD, at least 1) to {@code value}'s spend. */
  void add(String value, long weight) {
    if (n == 0) {
      return;
    }
    if (room && !top.contains(value)) {
      if (lock.tryLock()) {
        try {
          count(value, weight);
        } finally {
          lock.unlock();
        }
      }
      return;
    }
    int stripe = SpendBuffer.stripe();
    if (buffer.offer(stripe, value, weight) && lock.tryLock()) {
      try {
        buffer.drain(stripe, count);
      } finally {
        lock.unlock();
      }
    }
  }

  /** Counts {@code weight} towards {@code value}'s spend; guarded by lock. */
  private void count(String value, long weight) {
    long[] c = counters.get(value);
    if (c != null) {
      c[0] += weight;
    } else if (counters.size() < capacity) {
      c = new long[] {weight, 0};
      counters.put(value, c);
    } else {
      c = evictSmallest();
      c[1] = c[0];
      c[0] += weight;
      counters.put(value, c);
    }
    long g = guaranteed(c);
    // 1/8 hysteresis: near-equal spenders do not swap places (and tags) on every call
    boolean candidate = !top.contains(value) && g > floor
        && (promoted.size() < maxPromoted || promoted.contains(value))
        && (threshold == 0 || g > threshold + (threshold >> 3));
    if (candidate || ++updates >= REFRESH_EVERY) {
      refresh();
    }
  }

  /** Counters held (for tests: never more than the capacity). */
  int tracked() {
    lock.lock();
    try {
      return counters.size() + promoted.size();
    } finally {
      lock.unlock();
    }
  }

  /** Times the top was worked out again (for tests). */
  int rankings() {
    lock.lock();
    try {
      return rankings;
    } finally {
      lock.unlock();
    }
  }

  int capacity() {
    return capacity + maxPromoted;
  }

  private long[] evictSmallest() {
    String minKey = null;
    long[] min = null;
    for (Map.Entry<String, long[]> e : counters.entrySet()) {
      if (min == null || e.getValue()[0] < min[0]) {
        min = e.getValue();
        minKey = e.getKey();
      }
    }
    counters.remove(minKey);
    floor = min[0];
    return min;
  }

  private void refresh() {
    updates = 0;
    rankings++;
    PriorityQueue<Map.Entry<String, long[]>> heap =
        new PriorityQueue<>(n + 1, (a, b) -> Long.compare(guaranteed(a.getValue()), guaranteed(b.getValue())));
    for (Map.Entry<String, long[]> e : counters.entrySet()) {
      if (guaranteed(e.getValue()) <= floor) {
        continue;
      }
      if (heap.size() < n) {
        heap.add(e);
      } else if (guaranteed(e.getValue()) > guaranteed(heap.peek().getValue())) {
        heap.poll();
        heap.add(e);
      }
    }
    threshold = heap.size() < n || heap.isEmpty() ? 0 : guaranteed(heap.peek().getValue());
    Set<String> next = new HashSet<>(heap.size() * 2);
    for (Map.Entry<String, long[]> e : heap) {
      String v = e.getKey();
      if (promoted.contains(v) || promoted.size() < maxPromoted) {
        promoted.add(v);
        next.add(v);
      }
    }
    top = Set.copyOf(next);
    room = threshold == 0 && promoted.size() < maxPromoted;
  }

  private static long guaranteed(long[] c) {
    return c[0] - c[1];
  }
}
