package io.finops4j.api.spi;

import java.time.Instant;
import java.util.List;

/**
 * Where budget counters live: in memory for one instance, or in a shared store (Redis) for every instance of an
 * app. Implements the reservation protocol that keeps spend under a limit however many calls run at once.
 *
 * <p>A counter is identified by a {@link BudgetKey} (budget id, scope value, window start) and holds two
 * {@code long}s in the budget's unit (nano-USD or tokens): {@code spent} (settled) and {@code reserved} (worst
 * cases held by calls in flight). The protocol, per call id:
 * <ol>
 *   <li>{@link #reserve}: for every charge, atomically and all-or-nothing across the charges, if
 *       {@code spent + reserved + amount > limit} deny, else {@code reserved += amount}. A granted reservation is
 *       a lease: if it is neither settled nor released within the store's lease time (a crashed caller), the
 *       store releases it by itself.</li>
 *   <li>{@link #settle}: {@code spent += actual}, {@code reserved -= amount}, once per call id: a repeated settle
 *       (a retry) changes nothing. A settle that arrives after the lease expired still charges {@code actual}
 *       (the money was spent) and nothing else.</li>
 *   <li>{@link #release}: {@code reserved -= amount}, for a call that failed before the provider billed it.</li>
 * </ol>
 * A Redis implementation does each of reserve, settle and release in one atomic script (one round trip).
 * Implementations are thread-safe.
 */
public interface BudgetStore extends AutoCloseable {

  /**
   * Reserves {@code charges} for {@code callId}, all or nothing. The charges of one call name distinct keys.
   *
   * @return the outcome; when denied, nothing is held and {@link BudgetReservation#deniedIndex()} names the
   *     first charge that did not fit
   * @throws IllegalStateException when {@code callId} already holds a reservation
   */
  BudgetReservation reserve(String callId, List<BudgetCharge> charges, Instant now);

  /**
   * Settles {@code callId}'s reservation with the actual amounts, one per reserved charge, in the same order.
   *
   * @return the counters after the settlement (each {@code spent} is the value right after this call's amount
   *     was added, so a caller can tell exactly which settle crossed an alert threshold), or an empty list when
   *     there was nothing to settle: already settled or released, or never reserved
   */
  List<BudgetSnapshot> settle(String callId, long[] actual, Instant now);

  /** Releases {@code callId}'s reservation without charging; false when there was nothing to release. */
  boolean release(String callId, Instant now);

  /** The counter of {@code key}; zeros when the store does not track it (yet or any more). */
  BudgetSnapshot snapshot(BudgetKey key);

  /** Every counter the store tracks, for dashboards. May be slow on a shared store: not for the hot path. */
  List<BudgetSnapshot> snapshots();

  /** Releases resources; the default does nothing. */
  @Override
  default void close() {}
}
