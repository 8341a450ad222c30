package io.finops4j.budget.redis;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import io.finops4j.api.spi.BudgetStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lease mode (PERFORMANCE.md T8): reserves a slice of each budget from a shared store (a {@link RedisBudgetStore})
 * in one call, spends it locally with the reservation protocol, and gives back what is unused (settling what
 * was spent) when the slice is used up or gets old. Calls reach Redis only to renew slices, so most reserves and
 * settles cost no round trip.
 *
 * <p>Never overspends: a slice is a reservation in the shared store, so the slices of all instances fit under
 * each limit, and a call is granted only what its instance's slice still has. Near a limit slices shrink to a
 * quarter of the room left, so an instance holding an idle slice cannot starve the others for long; a slice is
 * used for new calls for at most {@code sliceTtl} (keep it well under the shared store's lease) and is returned
 * as soon as its last call finishes.
 *
 * <p>What it gives up, compared with the shared store used directly: the counters a reserve or settle returns are
 * this instance's view (the shared counter as last seen plus what this instance spent since), so threshold alerts
 * fire per instance from that view and may fire on more than one instance, or late; and what an instance spent
 * on its current slices is lost to the counters if it crashes (at most one slice per counter). Once the shared
 * store refuses a slice, calls larger than the room it reported are refused locally for a tenth of the slice TTL.
 */
public final class LeasedBudgetStore implements BudgetStore {

  private final BudgetStore shared;
  private final double sliceShare;
  private final long sliceTtlMillis;
  /** How long a refusal from the shared store is remembered, so a spent budget does not cost a call per request. */
  private final long denyMemoryMillis;
  private final String instance = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong sliceIds = new AtomicLong();
  private final AtomicLong sharedCalls = new AtomicLong();
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
  private final ConcurrentHashMap<BudgetKey, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Held> calls = new ConcurrentHashMap<>();

  private LeasedBudgetStore(Builder b) {
    this.shared = b.shared;
    this.sliceShare = b.sliceShare;
    this.sliceTtlMillis = b.sliceTtl.toMillis();
    this.denyMemoryMillis = Math.max(1, sliceTtlMillis / 10);
  }

  /** Lease mode over {@code shared}, typically a {@link RedisBudgetStore}; closing this store closes it. */
  public static Builder over(BudgetStore shared) {
    return new Builder(shared);
  }

  /** One slice of one counter: a reservation of {@code size} in the shared store. Guarded by its counter. */
  private static final class Slice {
    final String id;
    final long size;
    final long usableUntil;
    long held;
    long spent;
    int open;
    boolean retired;

    Slice(String id, long size, long usableUntil) {
      this.id = id;
      this.size = size;
      this.usableUntil = usableUntil;
    }
  }

  /** This instance's side of one shared counter; its monitor guards it and its slices. */
  private static final class Counter {
    final BudgetKey key;
    final long windowEnd;
    Slice current;
    long sharedSpent;
    long sharedReserved;
    long unpushedSpent;
    long roomSeen;                        // what the shared store had left when it last refused a slice
    long refusedUntil = Long.MIN_VALUE;   // until when that refusal is remembered

    Counter(BudgetKey key, long windowEnd) {
      this.key = key;
      this.windowEnd = windowEnd;
    }

    BudgetSnapshot view(long extraHeld) {
      return new BudgetSnapshot(key, sharedSpent + unpushedSpent, Math.max(0, sharedReserved + extraHeld));
    }
  }

  private record Held(Counter[] counters, Slice[] slices, long[] amounts) {}

  @Override
  public BudgetReservation reserve(String callId, List<BudgetCharge> charges, Instant now) {
    maybeSweep(now);
    if (calls.containsKey(callId)) {
      throw new IllegalStateException("call " + callId + " already holds a budget reservation");
    }
    int n = charges.size();
    Counter[] cs = new Counter[n];
    Slice[] slices = new Slice[n];
    long[] amounts = new long[n];
    List<BudgetSnapshot> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      BudgetCharge ch = charges.get(i);
      Counter c = counters.computeIfAbsent(ch.key(), k -> new Counter(k, ch.windowEnd()));
      BudgetSnapshot[] denied = new BudgetSnapshot[1];
      Slice s;
      try {
        s = take(c, ch, now, denied);
      } catch (RuntimeException e) {
        for (int j = 0; j < i; j++) {
          finish(cs[j], slices[j], amounts[j], 0, false, now);   // e.g. the shared store is unreachable
        }
        throw e;
      }
      if (s == null) {
        for (int j = 0; j < i; j++) {
          finish(cs[j], slices[j], amounts[j], 0, false, now);
        }
        return new BudgetReservation(i, List.of(denied[0]));
      }
      cs[i] = c;
      slices[i] = s;
      amounts[i] = ch.amount();
      synchronized (c) {
        out.add(c.view(0));
      }
    }
    if (calls.putIfAbsent(callId, new Held(cs, slices, amounts)) != null) {
      for (int j = 0; j < n; j++) {
        finish(cs[j], slices[j], amounts[j], 0, false, now);
      }
      throw new IllegalStateException("call " + callId + " already holds a budget reservation");
    }
    return new BudgetReservation(-1, out);
  }

  @Override
  public List<BudgetSnapshot> settle(String callId, long[] actual, Instant now) {
    Held h = calls.get(callId);
    if (h == null) {
      return List.of();
    }
    if (actual.length != h.amounts.length) {
      throw new IllegalArgumentException("call " + callId + " reserved " + h.amounts.length + " budgets but "
          + actual.length + " actual amounts were given");
    }
    if (!calls.remove(callId, h)) {
      return List.of();
    }
    List<BudgetSnapshot> out = new ArrayList<>(actual.length);
    for (int i = 0; i < actual.length; i++) {
      out.add(finish(h.counters[i], h.slices[i], h.amounts[i], actual[i], true, now));
    }
    return out;
  }

  @Override
  public boolean release(String callId, Instant now) {
    Held h = calls.remove(callId);
    if (h == null) {
      return false;
    }
    for (int i = 0; i < h.amounts.length; i++) {
      finish(h.counters[i], h.slices[i], h.amounts[i], 0, false, now);
    }
    return true;
  }

  /** The shared counter (one round trip), plus what this instance spent that is not in it yet. */
  @Override
  public BudgetSnapshot snapshot(BudgetKey key) {
    sharedCalls.incrementAndGet();
    BudgetSnapshot s = shared.snapshot(key);
    Counter c = counters.get(key);
    if (c == null) {
      return s;
    }
    synchronized (c) {
      return new BudgetSnapshot(key, s.spent() + c.unpushedSpent, s.reserved(), s.known());
    }
  }

  @Override
  public List<BudgetSnapshot> snapshots() {
    sharedCalls.incrementAndGet();
    return shared.snapshots();
  }

  /** Calls this store made to the shared store (slice reservations, returns, snapshots), since start. */
  public long sharedCalls() {
    return sharedCalls.get();
  }

  /** Counters this instance holds state for. */
  int tracked() {
    return counters.size();
  }

  /**
   * Returns the slices that are too old for new calls (each goes back when its last call finishes) and forgets
   * counters whose window ended a slice TTL ago; runs on reserve every tenth of the slice TTL.
   */
  public void sweep(Instant now) {
    long nowMillis = now.toEpochMilli();
    for (Counter c : counters.values()) {
      synchronized (c) {
        Slice s = c.current;
        if (s != null && nowMillis >= s.usableUntil) {
          retire(c, s, now);
        }
        if (c.current == null && nowMillis >= c.windowEnd + sliceTtlMillis) {
          counters.remove(c.key, c);
        }
      }
    }
  }

  /**
   * Returns every slice to the shared store (those of calls still in flight when their last call finishes,
   * or with their lease), then closes the shared store.
   */
  @Override
  public void close() {
    Instant now = Instant.now();
    for (Counter c : counters.values()) {
      synchronized (c) {
        if (c.current != null) {
          retire(c, c.current, now);
        }
      }
    }
    try {
      shared.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the shared budget store failed", e);
    }
  }

  private Slice take(Counter c, BudgetCharge ch, Instant now, BudgetSnapshot[] denied) {
    long nowMillis = now.toEpochMilli();
    synchronized (c) {
      Slice s = c.current;
      if (s != null && nowMillis < s.usableUntil && ch.amount() <= s.size - s.held - s.spent) {
        s.held += ch.amount();
        s.open++;
        return s;
      }
      if (s != null) {
        retire(c, s, now);   // used up or old: what it spent goes to the shared counter before the next slice
      }
      if (nowMillis < c.refusedUntil && ch.amount() > c.roomSeen) {
        // refused moments ago for less than this: refuse without asking (errs towards denying, briefly)
        denied[0] = new BudgetSnapshot(c.key, c.sharedSpent + c.unpushedSpent, c.sharedReserved);
        return null;
      }
      long size = sizeFor(c, ch);
      String id = nextSliceId();
      BudgetReservation r = reserveSlice(id, c, ch, size, now);
      if (!r.granted() && size > ch.amount() && fits(r.counters().get(0), ch)) {
        size = ch.amount();
        id = nextSliceId();
        r = reserveSlice(id, c, ch, size, now);
      }
      BudgetSnapshot seen = r.counters().get(0);
      c.sharedSpent = seen.spent();
      c.sharedReserved = seen.reserved();
      if (!r.granted()) {
        c.roomSeen = Math.max(0, ch.limit() - seen.spent() - seen.reserved());
        c.refusedUntil = nowMillis + denyMemoryMillis;
        denied[0] = new BudgetSnapshot(c.key, seen.spent() + c.unpushedSpent, seen.reserved());
        return null;
      }
      s = new Slice(id, size, nowMillis + sliceTtlMillis);
      s.held = ch.amount();
      s.open = 1;
      c.current = s;
      return s;
    }
  }

  /** Whether the call alone would fit the counter as the shared store just reported it. */
  private static boolean fits(BudgetSnapshot seen, BudgetCharge ch) {
    return ch.amount() <= ch.limit() - seen.spent() - seen.reserved();
  }

  private String nextSliceId() {
    return "slice-" + instance + "-" + sliceIds.incrementAndGet();
  }

  private BudgetReservation reserveSlice(String id, Counter c, BudgetCharge ch, long size, Instant now) {
    sharedCalls.incrementAndGet();
    return shared.reserve(id, List.of(new BudgetCharge(c.key, size, ch.limit(), ch.windowEnd())), now);
  }

  /**
   * A slice as large as a share of the limit, but at most a quarter of the room left, and never smaller than
   * the call; unlimited (count-only) budgets take slices of 32 calls.
   */
  private long sizeFor(Counter c, BudgetCharge ch) {
    if (ch.limit() == BudgetCharge.UNLIMITED) {
      return ch.amount() > Long.MAX_VALUE / 32 ? ch.amount() : Math.max(1, ch.amount() * 32);
    }
    long room = ch.limit() - c.sharedSpent - c.unpushedSpent - c.sharedReserved;
    long size = Math.min((long) (ch.limit() * sliceShare), room / 4);
    return Math.max(ch.amount(), size);
  }

  /** A call leaves its slice: settled with {@code actual}, or released. The counter as this instance sees it. */
  private BudgetSnapshot finish(Counter c, Slice s, long amount, long actual, boolean settled, Instant now) {
    synchronized (c) {
      s.held -= amount;
      s.open--;
      if (settled) {
        s.spent += actual;
        c.unpushedSpent += actual;
      }
      BudgetSnapshot view = c.view(0);
      if (s.retired && s.open == 0) {
        giveBack(c, s, now);
      }
      return view;
    }
  }

  /** No new calls on {@code s}; returned now if idle, else when its last call finishes. Under c's monitor. */
  private void retire(Counter c, Slice s, Instant now) {
    s.retired = true;
    if (c.current == s) {
      c.current = null;
    }
    if (s.open == 0) {
      giveBack(c, s, now);
    }
  }

  /** Settles the slice in the shared store with what was spent on it: its unused part returns to the pool. */
  private void giveBack(Counter c, Slice s, Instant now) {
    sharedCalls.incrementAndGet();
    List<BudgetSnapshot> after = shared.settle(s.id, new long[] {s.spent}, now);
    c.unpushedSpent -= s.spent;
    if (!after.isEmpty()) {
      c.sharedSpent = after.get(0).spent();
      c.sharedReserved = after.get(0).reserved();
    } else {
      c.sharedSpent += s.spent;   // queued by the shared store: count it here meanwhile
    }
  }

  private void maybeSweep(Instant now) {
    long nowMillis = now.toEpochMilli();
    long next = nextSweep.get();
    if (nowMillis >= next && nextSweep.compareAndSet(next, nowMillis + Math.max(1, sliceTtlMillis / 10))) {
      sweep(now);
    }
  }

  /** Builds a {@link LeasedBudgetStore}. */
  public static final class Builder {
    private final BudgetStore shared;
    private double sliceShare = 0.02;
    private Duration sliceTtl = Duration.ofSeconds(10);

    private Builder(BudgetStore shared) {
      this.shared = Objects.requireNonNull(shared, "shared");
    }

    /** The most of a limit one slice may hold (0.02 = 2% by default); near the limit slices get smaller. */
    public Builder sliceShare(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("slice share must be above 0 and at most 1, got " + share);
      }
      sliceShare = share;
      return this;
    }

    /** How long a slice takes new calls (10 s by default); keep it well under the shared store's lease. */
    public Builder sliceTtl(Duration d) {
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("slice TTL must be positive, got " + d);
      }
      sliceTtl = d;
      return this;
    }

    public LeasedBudgetStore build() {
      return new LeasedBudgetStore(this);
    }
  }
}
