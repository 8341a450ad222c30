package io.finops4j.api.spi;

import java.util.List;

/**
 * The outcome of {@link BudgetStore#reserve}.
 *
 * @param deniedIndex the index of the first charge that did not fit, or -1 when the reservation was granted
 * @param counters when granted, each charged counter right after this reservation (in charge order), so a
 *     caller can see a non-enforced budget going over its limit; when denied, the one counter that refused, as
 *     it stood then
 */
public record BudgetReservation(int deniedIndex, List<BudgetSnapshot> counters) {

  public BudgetReservation {
    counters = List.copyOf(counters);
  }

  public boolean granted() {
    return deniedIndex < 0;
  }
}
