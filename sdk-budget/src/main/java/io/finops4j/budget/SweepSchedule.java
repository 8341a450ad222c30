package io.finops4j.budget;

import java.util.concurrent.atomic.AtomicLong;

/**
 * When housekeeping that runs on a caller's thread (a store's sweep) is next due: at the first call, then after gaps
 * that double from one second up to the schedule's period (1, 2, 4 ... s), then once a period.
 *
 * <p>Why the short gaps first: the JIT compiles a branch that its profile never saw taken as a trap, and the first
 * time such a branch is taken it throws away the compiled code of the whole call path it was inlined into. With a
 * period of a minute, that happened to every budget check a minute after start, in the middle of steady traffic
 * (benchmarks/notes/side-by-side.md, session 29: the round around it 8% slower). Sweeps in the first seconds are taken
 * while that code is still being profiled or compiled, so steady state is reached without a recompile later.
 */
final class SweepSchedule {

  private static final long FIRST_GAP_MILLIS = 1000;

  private final long periodMillis;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
  /** The next gap; written only by the caller that won the sweep, so a race at worst repeats a gap. */
  private long gap = FIRST_GAP_MILLIS;

  /** A schedule whose gaps grow to {@code periodMillis} (at least one second). */
  SweepSchedule(long periodMillis) {
    this.periodMillis = Math.max(FIRST_GAP_MILLIS, periodMillis);
  }

  /** True for exactly one of the callers that find a sweep due at {@code nowMillis}: that caller sweeps. */
  boolean due(long nowMillis) {
    long n = next.get();
    if (nowMillis < n) {
      return false;
    }
    long g = gap;
    if (!next.compareAndSet(n, nowMillis + g)) {
      return false;
    }
    gap = Math.min(2 * g, periodMillis);
    return true;
  }
}
