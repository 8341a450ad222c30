package io.finops4j.budget;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import io.finops4j.api.spi.BudgetStore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BudgetStore} of one instance: counters in memory, no global lock.
 *
 * <p>Each counter is two {@code long}s updated by compare-and-set. A reservation across several counters takes
 * them one by one in the order given and rolls back the ones already taken when one does not fit, so it is all
 * or nothing and spend never passes a limit. Near a limit, a concurrent call that is later rolled back can
 * briefly make another call see less room than there is: the store errs towards denying, never towards
 * overspending.
 *
 * <p>Housekeeping runs on a caller's thread every tenth of the lease (at most once a second; at first
 * after gaps of 1, 2, 4 ... s, so the JIT compiles it in while the code warms up): leases
 * older than {@code lease} are released (a crashed caller cannot hold a budget forever; a late settle of such a
 * call is still charged, for up to a day), and counters whose window ended more than a lease ago are dropped.
 */
public final class InMemoryBudgetStore implements BudgetStore {

  /** How long a reservation may stay unsettled before the store releases it. */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(10);

  private static final Logger log = LoggerFactory.getLogger(InMemoryBudgetStore.class);
  private static final long EXPIRED_RETENTION_MILLIS = Duration.ofDays(1).toMillis();

  private final long leaseMillis;
  private final SweepSchedule sweeps;
  private final ConcurrentHashMap<BudgetKey, Counter> counters = new ConcurrentHashMap<>();
  /**
   * Every call puts and removes its reservation. Sized for hundreds of calls at once from the start: in the default
   * table of 16 slots (one cache line) every put and remove of every core writes the same line.
   */
  private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>(256);
  private final ConcurrentHashMap<String, Held> expired = new ConcurrentHashMap<>();
  private final AtomicLong expiredLeases = new AtomicLong();

  /** A store with the default lease of 10 minutes. */
  public InMemoryBudgetStore() {
    this(DEFAULT_LEASE);
  }

  /** A store whose reservations expire after {@code lease}. */
  public InMemoryBudgetStore(Duration lease) {
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be positive, got " + lease);
    }
    this.leaseMillis = lease.toMillis();
    this.sweeps = new SweepSchedule(leaseMillis / 10);
  }

  @Override
  public BudgetReservation reserve(String callId, List<BudgetCharge> charges, Instant now) {
    long nowMillis = now.toEpochMilli();
    maybeSweep(nowMillis);
    int n = charges.size();
    Counter[] cs = new Counter[n];
    long[] amounts = new long[n];
    BudgetSnapshot[] out = new BudgetSnapshot[n];
    for (int i = 0; i < n; i++) {
      BudgetCharge charge = charges.get(i);
      Counter c = counter(charge.key(), charge.windowEnd());
      long after = c.tryReserve(charge.amount(), charge.limit());
      if (after < 0) {
        rollback(cs, amounts, i);
        return new BudgetReservation(i, List.of(c.snapshot()));
      }
      cs[i] = c;
      amounts[i] = charge.amount();
      long spent = c.spent;
      out[i] = new BudgetSnapshot(c.key, spent, Math.max(0, after - spent));
    }
    if (held.putIfAbsent(callId, new Held(cs, amounts, nowMillis + leaseMillis)) != null) {
      rollback(cs, amounts, n);
      throw new IllegalStateException("call " + callId + " already holds a budget reservation");
    }
    return new BudgetReservation(-1, Arrays.asList(out)); // copied once, by the reservation
  }

  @Override
  public List<BudgetSnapshot> settle(String callId, long[] actual, Instant now) {
    Held h = find(callId);
    if (h == null) {
      return List.of();
    }
    if (actual.length != h.counters.length) {
      throw new IllegalArgumentException("call " + callId + " reserved " + h.counters.length + " budgets but "
          + actual.length + " actual amounts were given");
    }
    int was = h.finish();
    forget(callId, h);
    if (was == Held.DONE) {
      return List.of();  // a repeated settle, or one after a release: already accounted
    }
    long[] after = new long[2 * actual.length];
    for (int i = 0; i < actual.length; i++) {
      Counter c = h.counters[i];
      // an expired lease was already released: charge what was spent and nothing else
      long committed = c.addCommitted(was == Held.EXPIRED ? actual[i] : actual[i] - h.amounts[i]);
      long spent = c.addSpent(actual[i]);
      after[2 * i] = spent;
      after[2 * i + 1] = Math.max(0, committed - spent);
    }
    return new Settled(h.counters, after);
  }

  @Override
  public boolean release(String callId, Instant now) {
    Held h = find(callId);
    if (h == null) {
      return false;
    }
    int was = h.finish();
    forget(callId, h);
    if (was == Held.HELD) {
      rollback(h.counters, h.amounts, h.counters.length);
    }
    return was != Held.DONE;
  }

  @Override
  public BudgetSnapshot snapshot(BudgetKey key) {
    Counter c = counters.get(key);
    return c == null ? new BudgetSnapshot(key, 0, 0) : c.snapshot();
  }

  @Override
  public List<BudgetSnapshot> snapshots() {
    List<BudgetSnapshot> out = new ArrayList<>(counters.size());
    for (Counter c : counters.values()) {
      out.add(c.snapshot());
    }
    return out;
  }

  /** Counters tracked now. */
  public int size() {
    return counters.size();
  }

  /** Reservations held by calls in flight. */
  public int inFlight() {
    return held.size();
  }

  /** Leases released because their call neither settled nor released in time, since start. */
  public long expiredLeases() {
    return expiredLeases.get();
  }

  /** Runs housekeeping now: expires old leases, drops counters of windows that ended. */
  public void sweep(Instant now) {
    sweep(now.toEpochMilli());
  }

  private void maybeSweep(long nowMillis) {
    if (sweeps.due(nowMillis)) {
      sweep(nowMillis);
    }
  }

  private void sweep(long nowMillis) {
    for (Map.Entry<String, Held> e : held.entrySet()) {
      Held h = e.getValue();
      if (h.expiresAt <= nowMillis && h.expire()) {
        // parked in expired before leaving held, so a settle racing with this sweep always finds the call
        expired.put(e.getKey(), h);
        held.remove(e.getKey(), h);
        rollback(h.counters, h.amounts, h.counters.length);
        expiredLeases.incrementAndGet();
        log.warn("budget reservation of call {} expired after {} ms without settle or release; released it",
            e.getKey(), leaseMillis);
      }
    }
    expired.values().removeIf(h -> h.expiresAt <= nowMillis - EXPIRED_RETENTION_MILLIS || h.state == Held.DONE);
    // a call still in flight holds its counters directly, so dropping an ended window loses nothing it needs
    counters.values().removeIf(c -> c.windowEnd <= nowMillis - leaseMillis);
  }

  private Held find(String callId) {
    Held h = held.get(callId);
    return h != null ? h : expired.get(callId);
  }

  private void forget(String callId, Held h) {
    held.remove(callId, h);
    expired.remove(callId, h);
  }

  private Counter counter(BudgetKey key, long windowEnd) {
    Counter c = counters.get(key);
    return c != null ? c : counters.computeIfAbsent(key, k -> new Counter(k, windowEnd));
  }

  private static void rollback(Counter[] cs, long[] amounts, int upTo) {
    for (int j = 0; j < upTo; j++) {
      cs[j].addCommitted(-amounts[j]);
    }
  }

  /**
   * The counters right after a settle, as {@link BudgetSnapshot}s made when read: the caller looks at a few
   * figures of each, so two numbers per counter are kept instead of a snapshot object per counter and call.
   */
  private static final class Settled extends AbstractList<BudgetSnapshot> implements RandomAccess {
    private final Counter[] counters;
    /** spent and reserved of counter i at 2i and 2i+1. */
    private final long[] after;

    Settled(Counter[] counters, long[] after) {
      this.counters = counters;
      this.after = after;
    }

    @Override
    public BudgetSnapshot get(int i) {
      Objects.checkIndex(i, counters.length);
      return new BudgetSnapshot(counters[i].key, after[2 * i], after[2 * i + 1]);
    }

    @Override
    public int size() {
      return counters.length;
    }
  }

  /**
   * A reservation held by one call. Its state moves once from HELD to DONE (settled or released), or from HELD
   * to EXPIRED and then to DONE (a late settle); the compare-and-set on it, not the maps, decides who accounts.
   */
  private static final class Held {
    static final int HELD = 0;
    static final int EXPIRED = 1;
    static final int DONE = 2;
    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Held.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Counter[] counters;
    final long[] amounts;
    final long expiresAt;
    volatile int state;

    Held(Counter[] counters, long[] amounts, long expiresAt) {
      this.counters = counters;
      this.amounts = amounts;
      this.expiresAt = expiresAt;
    }

    /** Marks this DONE; the state it had, DONE meaning someone else finished it first. */
    int finish() {
      return (int) STATE.getAndSet(this, DONE);
    }

    /** HELD to EXPIRED; false when the call finished first. */
    boolean expire() {
      return STATE.compareAndSet(this, HELD, EXPIRED);
    }
  }

  /**
   * One counter. {@code committed} is spent plus reserved: the one figure the limit check needs, so a
   * reservation is a single compare-and-set. {@code spent} is kept beside it for reading and for alerts.
   */
  static final class Counter {
    private static final VarHandle COMMITTED;
    private static final VarHandle SPENT;

    static {
      try {
        MethodHandles.Lookup l = MethodHandles.lookup();
        COMMITTED = l.findVarHandle(Counter.class, "committed", long.class);
        SPENT = l.findVarHandle(Counter.class, "spent", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final BudgetKey key;
    final long windowEnd;
    volatile long committed;
    volatile long spent;

    Counter(BudgetKey key, long windowEnd) {
      this.key = key;
      this.windowEnd = windowEnd;
    }

    /** Adds {@code amount} if it fits under {@code limit}; the new committed total, or -1 when it does not. */
    long tryReserve(long amount, long limit) {
      while (true) {
        long c = committed;
        if (amount > limit - c) {
          return -1;
        }
        if (COMMITTED.compareAndSet(this, c, c + amount)) {
          return c + amount;
        }
      }
    }

    long addCommitted(long delta) {
      return (long) COMMITTED.getAndAdd(this, delta) + delta;
    }

    long addSpent(long delta) {
      return (long) SPENT.getAndAdd(this, delta) + delta;
    }

    BudgetSnapshot snapshot() {
      long s = spent;
      return new BudgetSnapshot(key, s, Math.max(0, committed - s));
    }
  }
}
