package io.finops4j.benchmarks.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak run's promises, on a run short enough for every build: faults lose no row and leak no reservation. */
class SoakTest {

  @Test
  void faultsLoseNoLedgerRowAndLeakNoReservation(@TempDir Path dir) throws Exception {
    Soak.Report report = Soak.run(8, 3_000, 0, 0, dir);

    assertThat(report.violations()).isEmpty();
    assertThat(report.calls()).isEqualTo(3_000);
    assertThat(report.ledgerRows()).isEqualTo(3_000);
    // the faults really happened: about 6.5% of the server's requests, each retried by the engine
    assertThat(report.faults()).isBetween(150L, 300L);
    // every request the server answered well ended a call; every other request was a fault
    assertThat(report.serverRequests()).isEqualTo(report.ok() + report.faults());
    assertThat(report.budgetReserved()).hasSize(3).allSatisfy(r -> assertThat(r).isEqualByComparingTo("0"));
    // each successful call costs exactly 260 input + 2 output tokens of gpt-5-mini: 0.000069 USD
    assertThat(report.ledgerCost()).isEqualByComparingTo(new BigDecimal("0.000069").multiply(
        BigDecimal.valueOf(report.ok())));
    assertThat(report.budgetSpent()).hasSize(3).allSatisfy(s -> assertThat(s).isEqualByComparingTo(report.ledgerCost()));
  }

  @Test
  void theFaultPatternIsTheIssuesMix() {
    long[] counts = new long[LoopbackServer.Fault.values().length];
    for (long n = 0; n < 1_000_000; n++) {
      counts[Soak.fault(n).ordinal()]++;
    }
    // 5% 429s, 1% 500s, 0.5% resets, within 0.1 point
    assertThat(counts[LoopbackServer.Fault.RATE_LIMITED.ordinal()]).isBetween(49_000L, 51_000L);
    assertThat(counts[LoopbackServer.Fault.SERVER_ERROR.ordinal()]).isBetween(9_000L, 11_000L);
    assertThat(counts[LoopbackServer.Fault.RESET.ordinal()]).isBetween(4_000L, 6_000L);
  }
}
