package io.finops4j.telemetry;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ObjLongConsumer;

/**
 * Spend of calls on its way to a {@link TopSpenders} sketch: a lossy buffer striped by thread, as Caffeine buffers its
 * reads. A call writes its (value, spend) into its thread's stripe, a cache line no other core writes as long as
 * threads on different cores use different stripes; the sketch takes the stripe's events in one batch, under its lock,
 * every {@link #DRAIN_AT} of them. Updating the sketch itself on every call wrote its lock and counters from every
 * core, so their cache lines moved between cores on every call.
 *
 * <p>Lossy, as the sketch is approximate: when a stripe is full (its thread's drains keep losing the lock) or two
 * threads claim a slot of one stripe at once, the event is dropped. Events wait for their stripe's next drain: at most
 * {@link #SLOTS} per stripe are not yet in the sketch.
 */
final class SpendBuffer {

  /** Stripes, a power of two: more than the cores that call at once, mostly. */
  static final int STRIPES = 16;
  /** Slots per stripe, a power of two. */
  static final int SLOTS = 16;
  /** Events in a stripe that make its thread drain it. */
  static final int DRAIN_AT = SLOTS / 2;
  /** Longs between two stripes' indexes: 128 bytes, so no two share a cache line (or the line the CPU prefetches). */
  private static final int PAD = 16;

  /** Per stripe: the next slot to write (producers) and the next to read (the drain), each on a line of its own. */
  private final AtomicLongArray tails = new AtomicLongArray(STRIPES * PAD);
  private final AtomicLongArray heads = new AtomicLongArray(STRIPES * PAD);
  /** A slot's value, written after its spend: a value that is not null publishes the spend beside it. */
  private final AtomicReferenceArray<String> values = new AtomicReferenceArray<>(STRIPES * SLOTS);
  private final long[] spends = new long[STRIPES * SLOTS];

  /** The calling thread's stripe. */
  static int stripe() {
    return (int) Thread.currentThread().getId() & (STRIPES - 1);
  }

  /**
   * Adds an event to {@code stripe}; true when the stripe holds {@link #DRAIN_AT} events or more (drain it), also
   * when this one was dropped.
   */
  boolean offer(int stripe, String value, long spend) {
    int at = stripe * PAD;
    long tail = tails.get(at);
    long pending = tail - heads.get(at);
    if (pending >= SLOTS || !tails.compareAndSet(at, tail, tail + 1)) {
      return true;
    }
    int slot = stripe * SLOTS + (int) (tail & (SLOTS - 1));
    spends[slot] = spend;
    values.lazySet(slot, value);
    return pending + 1 >= DRAIN_AT;
  }

  /**
   * Hands {@code stripe}'s events to {@code to}, oldest first, stopping at a slot claimed but not yet written. One
   * thread at a time: the caller holds the sketch's lock.
   */
  void drain(int stripe, ObjLongConsumer<String> to) {
    int at = stripe * PAD;
    long head = heads.get(at);
    long tail = tails.get(at);
    for (; head < tail; head++) {
      int slot = stripe * SLOTS + (int) (head & (SLOTS - 1));
      String value = values.get(slot);
      if (value == null) {
        break;
      }
      long spend = spends[slot];
      values.lazySet(slot, null);
      to.accept(value, spend);
    }
    heads.lazySet(at, head);
  }
}
