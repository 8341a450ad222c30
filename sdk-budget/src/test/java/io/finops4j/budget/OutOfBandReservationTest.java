package io.finops4j.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.spi.BudgetView;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reservations of calls that do not run through the chain: batch items, answered hours after submission. */
class OutOfBandReservationTest {

  private static final Attribution ACME = Attribution.of("acme", "tagging");
  private final List<BudgetAlert> alerts = new ArrayList<>();
  private final BudgetInterceptor budgets = BudgetInterceptor.builder()
      .clock(Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC))
      .budget(Budget.builder().scope("customer").limit(new BigDecimal("1.00")).alertAt(0.5).build())
      .listener(alerts::add)
      .build();

  private BudgetView.BudgetUsage acme() {
    return budgets.usage(ACME).get(0);
  }

  @Test
  void reservesSettlesAndReleasesByCallId() {
    assertThat(budgets.reserveOutOfBand("item-1", ACME, 400_000_000L, 10_000, true)).isTrue();
    assertThat(budgets.reserveOutOfBand("item-2", ACME, 400_000_000L, 10_000, true)).isTrue();
    assertThat(acme().reserved()).isEqualByComparingTo("0.80");

    budgets.settleOutOfBand("item-1", ACME, new BigDecimal("0.6"), 900);
    budgets.settleOutOfBand("item-1", ACME, new BigDecimal("0.6"), 900); // a repeated settle changes nothing
    assertThat(budgets.releaseOutOfBand("item-2")).isTrue();
    assertThat(acme().spent()).isEqualByComparingTo("0.6");
    assertThat(acme().reserved()).isEqualByComparingTo("0");
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).callId()).isEqualTo("item-1");
  }

  @Test
  void refusesWhatDoesNotFitUnlessAskedOnlyToCount() {
    budgets.reserveOutOfBand("item-1", ACME, 800_000_000L, 10_000, true);
    assertThatThrownBy(() -> budgets.reserveOutOfBand("item-2", ACME, 300_000_000L, 10_000, true))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("acme");
    // re-holding an item admitted before a restart is never refused
    assertThat(budgets.reserveOutOfBand("item-3", ACME, 300_000_000L, 10_000, false)).isTrue();
    assertThat(acme().reserved()).isEqualByComparingTo("1.1");
  }

  @Test
  void nothingIsReservedWhenNoBudgetCountsTheCall() {
    assertThat(budgets.reserveOutOfBand("item-1", Attribution.NONE, 1, 1, true)).isFalse();
  }
}
