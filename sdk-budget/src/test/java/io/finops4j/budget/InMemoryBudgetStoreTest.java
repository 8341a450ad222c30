package io.finops4j.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import io.finops4j.api.spi.BudgetStoreContract;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store protocol (inherited) and the in-memory store's housekeeping. */
class InMemoryBudgetStoreTest extends BudgetStoreContract<InMemoryBudgetStore> {

  @Override
  protected InMemoryBudgetStore createStore(Duration lease) {
    return new InMemoryBudgetStore(lease);
  }

  @Override
  protected void assertNoReservationLeft(BudgetKey key) {
    assertThat(store.inFlight()).isZero();
  }

  @Test
  void aSweepReleasesEveryExpiredLeaseWhateverKeysItHolds() {
    store.reserve("crashed", List.of(charge(A, 900, 1000)), T0);
    store.reserve("slow", List.of(charge(B, 400, 1000)), T0);
    Instant afterLease = T0.plus(LEASE);

    BudgetReservation r = store.reserve("c3", List.of(charge(A, 200, 1000)), afterLease);

    assertThat(r.granted()).isTrue();
    assertThat(store.expiredLeases()).isEqualTo(2);
    assertThat(store.snapshot(B)).isEqualTo(new BudgetSnapshot(B, 0, 0));
    assertThat(store.settle("slow", new long[] {350}, afterLease)).containsExactly(new BudgetSnapshot(B, 350, 0));
    assertThat(store.settle("slow", new long[] {350}, afterLease)).isEmpty();
    assertThat(store.snapshot(B)).isEqualTo(new BudgetSnapshot(B, 350, 0));
  }

  @Test
  void countersOfEndedWindowsAreDroppedAfterALease() {
    store.reserve("c1", List.of(charge(A, 100, 1000)), T0);
    store.settle("c1", new long[] {100}, T0);
    assertThat(store.size()).isEqualTo(1);

    store.sweep(Instant.ofEpochMilli(WINDOW_END).plus(Duration.ofMinutes(9)));
    assertThat(store.size()).isEqualTo(1);
    store.sweep(Instant.ofEpochMilli(WINDOW_END).plus(LEASE));
    assertThat(store.size()).isZero();
    assertThat(store.snapshots()).isEmpty();
  }
}
