package io.finops4j.providers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import okhttp3.Call;

/**
 * Whole-call deadlines (a client's call timeout, or what is left of a routing deadline, when that is sooner),
 * enforced by one daemon thread that sleeps until the earliest deadline in flight and cancels the calls past theirs.
 *
 * <p>Why not OkHttp's call timeout: okio keeps every timeout of the process in one queue under one lock, which each
 * socket read and write already takes twice, and a call timeout adds two more acquisitions per call. With 64 callers
 * on 2 cores the lock's holder is often descheduled while the others queue: raw OkHttp with a 10 min call timeout
 * ran at 0.83x its throughput without one at 64 callers, its p99 1.36x (benchmarks/notes/side-by-side.md, session
 * 12). Here a call costs a concurrent set's add and remove. Nothing wakes the watchdog unless a call's deadline is
 * sooner than every other in flight, which with one call timeout per client is almost never: on 2 cores busy with
 * 64 callers, a wake-up can preempt a thread that holds that same okio lock, so the watchdog does not tick.
 */
final class CallDeadlines {

  /** The watchdog stops after this long with nothing in flight; the next call starts it again. */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
  /**
   * {@link #wakeAt} while the watchdog looks over the calls: a call added meanwhile, which the look may miss, wakes it.
   */
  private static final long LOOKING = Long.MAX_VALUE;

  static final CallDeadlines SHARED = new CallDeadlines(IDLE_NANOS);
  /** The handle of a call without a deadline. */
  static final Timed NONE = new Timed(SHARED, null, 0);

  private final Set<Timed> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean watching = new AtomicBoolean();
  private final long idleNanos;
  private volatile Thread watchdog;
  /** When the watchdog wakes next ({@link System#nanoTime()}), or {@link #LOOKING}; a call due sooner wakes it. */
  private volatile long wakeAt = LOOKING;

  CallDeadlines(long idleNanos) {
    this.idleNanos = idleNanos;
  }

  /** A call in flight and its deadline; {@link #close()} when the call's response is closed. */
  static final class Timed implements AutoCloseable {
    private final CallDeadlines owner;
    private final Call call;
    private final long deadline;
    private volatile boolean expired;

    private Timed(CallDeadlines owner, Call call, long deadline) {
      this.owner = owner;
      this.call = call;
      this.deadline = deadline;
    }

    /** Whether the deadline passed and the call was cancelled for it. */
    boolean expired() {
      return expired;
    }

    @Override
    public void close() {
      owner.inFlight.remove(this);
    }

    /** Equality stays identity; the deadline's nanos spread as well and spare installing an identity hash. */
    @Override
    public int hashCode() {
      return Long.hashCode(deadline);
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }
  }

  /** Starts timing {@code call}, which is cancelled once {@code timeoutNanos} (> 0) have passed. */
  Timed start(Call call, long timeoutNanos) {
    Timed t = new Timed(this, call, System.nanoTime() + timeoutNanos);
    inFlight.add(t);
    if (!watching.get() && watching.compareAndSet(false, true)) {
      Thread w = new Thread(this::watch, "finops4j-call-deadlines");
      w.setDaemon(true);
      w.setContextClassLoader(null); // keeps no web application's class loader alive
      watchdog = w;
      w.start();
    } else {
      long wake = wakeAt;
      // compared as a sentinel first: nanoTime may be negative, and "deadline - MAX_VALUE" then overflows
      if (wake == LOOKING || t.deadline - wake < 0) {
        LockSupport.unpark(watchdog);
      }
    }
    return t;
  }

  /** Calls being timed (for tests: every ended call leaves). */
  int inFlight() {
    return inFlight.size();
  }

  /** Whether the watchdog thread runs (for tests: it stops when idle). */
  boolean watching() {
    return watching.get();
  }

  private void watch() {
    long busySince = System.nanoTime(); // when calls were last seen in flight
    while (true) {
      wakeAt = LOOKING;
      long now = System.nanoTime();
      long next = 0;
      boolean waiting = false;
      for (Timed t : inFlight) {
        if (now - t.deadline >= 0) {
          if (inFlight.remove(t)) {
            t.expired = true;
            t.call.cancel();
          }
        } else if (!waiting || t.deadline - next < 0) {
          next = t.deadline;
          waiting = true;
        }
      }
      if (waiting) {
        busySince = now;
      } else if (now - busySince >= idleNanos) {
        watching.set(false);
        // a call added after the look above may have seen watching still true and started no watchdog
        if (inFlight.isEmpty() || !watching.compareAndSet(false, true)) {
          return;
        }
        continue;
      } else {
        next = busySince + idleNanos;
      }
      wakeAt = next;
      LockSupport.parkNanos(this, next - now);
    }
  }
}
