package io.finops4j.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BudgetPeriodTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static BudgetPeriod.Window window(BudgetPeriod p, String instant, ZoneId zone) {
    return p.windowAt(Instant.parse(instant).toEpochMilli(), zone);
  }

  private static long ms(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void theDayOfTheAutumnClockChangeInBerlinLasts25Hours() {
    BudgetPeriod.Window w = window(BudgetPeriod.day(), "2026-10-25T12:00:00Z", BERLIN);

    assertThat(w.start()).isEqualTo(ms("2026-10-24T22:00:00Z"));   // 00:00 CEST
    assertThat(w.end()).isEqualTo(ms("2026-10-25T23:00:00Z"));     // 00:00 CET
    assertThat(Duration.ofMillis(w.end() - w.start())).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void theDayOfTheSpringClockChangeInBerlinLasts23Hours() {
    BudgetPeriod.Window w = window(BudgetPeriod.day(), "2026-03-29T12:00:00Z", BERLIN);

    assertThat(Duration.ofMillis(w.end() - w.start())).isEqualTo(Duration.ofHours(23));
  }

  @Test
  void aCalendarDayFollowsTheZoneNotUtc() {
    // 23:30 UTC on the 24th is already the 25th in Berlin
    assertThat(window(BudgetPeriod.day(), "2026-10-24T22:30:00Z", BERLIN).start()).isEqualTo(ms("2026-10-24T22:00:00Z"));
    assertThat(window(BudgetPeriod.day(), "2026-10-24T22:30:00Z", ZoneOffset.UTC).start())
        .isEqualTo(ms("2026-10-24T00:00:00Z"));
  }

  @Test
  void weeksRunMondayToMondayAndMonthsFromTheFirst() {
    // Sunday 2026-11-29 in Berlin belongs to the week of Monday 2026-11-23
    BudgetPeriod.Window week = window(BudgetPeriod.week(), "2026-11-29T20:00:00Z", BERLIN);
    assertThat(week.start()).isEqualTo(ms("2026-11-22T23:00:00Z"));
    assertThat(week.end()).isEqualTo(ms("2026-11-29T23:00:00Z"));

    BudgetPeriod.Window october = window(BudgetPeriod.month(), "2026-10-31T22:59:59Z", BERLIN);
    assertThat(october.start()).isEqualTo(ms("2026-09-30T22:00:00Z"));
    assertThat(october.end()).isEqualTo(ms("2026-10-31T23:00:00Z"));
    assertThat(window(BudgetPeriod.month(), "2026-10-31T23:00:00Z", BERLIN).start())
        .isEqualTo(ms("2026-10-31T23:00:00Z"));
  }

  @Test
  void durationsAreFixedBucketsAlignedToTheEpoch() {
    BudgetPeriod sixHours = BudgetPeriod.fixed(Duration.ofHours(6));

    BudgetPeriod.Window w = window(sixHours, "2026-11-24T13:45:00Z", BERLIN);

    assertThat(w.start()).isEqualTo(ms("2026-11-24T12:00:00Z"));
    assertThat(w.end()).isEqualTo(ms("2026-11-24T18:00:00Z"));
    assertThat(sixHours.name()).isEqualTo("6h");
    assertThat(BudgetPeriod.fixed(Duration.ofDays(7)).name()).isEqualTo("7d");
    assertThat(BudgetPeriod.fixed(Duration.ofMinutes(90)).name()).isEqualTo("90m");
  }
}
