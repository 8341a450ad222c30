package io.finops4j.providers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import okhttp3.Call;

/**
 * The timeouts of provider calls: the whole-call deadline (a client's call timeout, or what is left of a routing
 * deadline, when that is sooner) and the read timeout (the longest a call goes without progress), enforced by one
 * daemon thread that sleeps until the earliest one due in flight and cancels the calls past theirs.
 *
 * <p>Why not OkHttp's timeouts: okio keeps every timeout of the process in one queue under one lock. A socket read or
 * write timeout takes it twice per read and per write, and a new timeout at the head of the queue wakes okio's
 * watchdog thread; a call timeout takes it twice more per call. With 64 callers on 2 cores the lock's holder is often
 * descheduled while the others queue: raw OkHttp with a 10 min call timeout ran at 0.83x its throughput without one
 * at 64 callers, its p99 1.36x; and without its default socket timeouts at 1.3x its throughput at 1 caller, where
 * okio's watchdog woke 1.5 times per call (benchmarks/notes/side-by-side.md, sessions 12 and 13). Here a call costs
 * a concurrent set's add and remove, and a volatile write where it makes progress. Nothing wakes the watchdog unless
 * a call is due sooner than every other in flight, which with one pair of timeouts per client is almost never: on 2
 * cores busy with 64 callers, a wake-up can preempt a thread that holds a lock others wait for, so the watchdog does
 * not tick (but for a dozen wake-ups in the minute after it starts, for the JIT: {@link #PRIME_FIRST_GAP_NANOS}).
 *
 * <p>Progress is what the provider clients can see: the response's headers, each line of a stream, each chunk of a
 * large request body written. So a non-streamed body must arrive within the read timeout of its headers, where
 * OkHttp's allowed that long between any two reads of it.
 */
final class CallDeadlines {

  /** The watchdog stops after this long with nothing in flight; the next call starts it again. */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
  /**
   * {@link #wakeAt} while the watchdog looks over the calls: a call added meanwhile, which the look may miss, wakes it.
   */
  private static final long LOOKING = Long.MAX_VALUE;

  /**
   * After it starts the watchdog leaves {@link #wakeAt} at {@link #LOOKING} after six looks 1, 2, 4 ... 32 s apart
   * (the last 63 s in), so the next call to start takes the branch that wakes it. Why: that branch is otherwise first
   * taken at the watchdog's first look after the read timeout (a minute), and the JIT compiles a branch it never saw
   * taken as a trap whose first use throws away the compiled code of every call's path
   * (benchmarks/notes/side-by-side.md, session 29). Taken during warm-up, it is compiled in.
   */
  private static final long PRIME_FIRST_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long PRIME_LAST_GAP_NANOS = TimeUnit.SECONDS.toNanos(32);

  static final CallDeadlines SHARED = new CallDeadlines(IDLE_NANOS);
  /** The handle of a call without a deadline. */
  static final Timed NONE = new Timed(SHARED, null, 0, 0, 0);

  private final Set<Timed> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean watching = new AtomicBoolean();
  private final long idleNanos;
  private volatile Thread watchdog;
  /** When the watchdog wakes next ({@link System#nanoTime()}), or {@link #LOOKING}; a call due sooner wakes it. */
  private volatile long wakeAt = LOOKING;

  CallDeadlines(long idleNanos) {
    this.idleNanos = idleNanos;
  }

  /** Why a call was cut. */
  enum Cut {
    /** Not cut. */
    NO,
    /** The whole call's deadline passed. */
    CALL_TIMEOUT,
    /** The read timeout passed without progress. */
    READ_TIMEOUT
  }

  /**
   * A call in flight and when it is due; {@link #progressed()} where it makes progress, {@link #close()} when the
   * call's response is closed.
   */
  static final class Timed implements AutoCloseable {
    private final CallDeadlines owner;
    private final Call call;
    private final long start;
    /** The whole call's deadline, when it has one ({@code hasDeadline}). */
    private final long deadline;
    private final boolean hasDeadline;
    /** The read timeout; 0: none. */
    private final long idleNanos;
    /** When the call last made progress. */
    private volatile long progress;
    private volatile Cut cut = Cut.NO;

    private Timed(CallDeadlines owner, Call call, long start, long timeoutNanos, long idleNanos) {
      this.owner = owner;
      this.call = call;
      this.start = start;
      this.deadline = start + timeoutNanos;
      this.hasDeadline = timeoutNanos != 0;
      this.idleNanos = idleNanos;
      this.progress = start;
    }

    /** Which timeout cut the call, if one did. */
    Cut cut() {
      return cut;
    }

    /** The call made progress: its read timeout starts again. */
    void progressed() {
      if (idleNanos != 0) {
        progress = System.nanoTime();
      }
    }

    /** When the call is due: its deadline, or its read timeout's end, whichever comes first. */
    private long due() {
      if (idleNanos == 0) {
        return deadline;
      }
      long idleEnd = progress + idleNanos;
      return hasDeadline && deadline - idleEnd < 0 ? deadline : idleEnd;
    }

    @Override
    public void close() {
      owner.inFlight.remove(this);
    }

    /** Equality stays identity; the start's nanos spread as well and spare installing an identity hash. */
    @Override
    public int hashCode() {
      return Long.hashCode(start);
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }
  }

  /**
   * Starts timing {@code call}, which is cancelled once {@code timeoutNanos} have passed, or {@code idleNanos}
   * without {@link Timed#progressed() progress}; 0: no such limit ({@link #NONE} when neither is set).
   */
  Timed start(Call call, long timeoutNanos, long idleNanos) {
    if (timeoutNanos == 0 && idleNanos == 0) {
      return NONE;
    }
    Timed t = new Timed(this, call, System.nanoTime(), timeoutNanos, idleNanos);
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
      if (wake == LOOKING || t.due() - wake < 0) {
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
    long primeGap = PRIME_FIRST_GAP_NANOS;
    long primeAt = busySince + primeGap;
    while (true) {
      wakeAt = LOOKING;
      long now = System.nanoTime();
      long next = 0;
      boolean waiting = false;
      for (Timed t : inFlight) {
        long due = t.due();
        if (now - due >= 0) {
          if (inFlight.remove(t)) {
            t.cut = t.hasDeadline && now - t.deadline >= 0 ? Cut.CALL_TIMEOUT : Cut.READ_TIMEOUT;
            t.call.cancel();
          }
        } else if (!waiting || due - next < 0) {
          next = due;
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
      long sleep = next - now;
      if (primeGap <= PRIME_LAST_GAP_NANOS) {
        if (now - primeAt >= 0) {
          wakeAt = LOOKING; // the next call to start wakes the watchdog, as one that starts during a look does
          primeGap *= 2;
          primeAt = now + primeGap;
        }
        sleep = Math.min(sleep, primeAt - now);
      }
      LockSupport.parkNanos(this, sleep);
    }
  }
}
