package io.finops4j.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepScheduleTest {

  @Test
  void sweepsAtTheFirstCallThenAfterGapsThatDoubleUpToThePeriod() {
    SweepSchedule schedule = new SweepSchedule(60_000);
    long t0 = 1_000_000;
    List<Long> sweptAt = new ArrayList<>();
    for (long t = t0; t <= t0 + 300_000; t += 100) {
      if (schedule.due(t)) {
        sweptAt.add(t - t0);
      }
    }
    assertThat(sweptAt).containsExactly(0L, 1_000L, 3_000L, 7_000L, 15_000L, 31_000L, 63_000L, 123_000L, 183_000L,
        243_000L);
  }

  @Test
  void onlyOneOfTheCallersThatFindASweepDueSweeps() {
    SweepSchedule schedule = new SweepSchedule(60_000);
    assertThat(schedule.due(5_000)).isTrue();
    assertThat(schedule.due(5_000)).isFalse();
    assertThat(schedule.due(5_999)).isFalse();
    assertThat(schedule.due(6_000)).isTrue();
    assertThat(schedule.due(6_000)).isFalse();
  }

  @Test
  void aPeriodUnderASecondIsASecond() {
    SweepSchedule schedule = new SweepSchedule(10);
    assertThat(schedule.due(0)).isTrue();
    assertThat(schedule.due(999)).isFalse();
    assertThat(schedule.due(1_000)).isTrue();
    assertThat(schedule.due(1_999)).isFalse();
    assertThat(schedule.due(2_000)).isTrue();
  }
}
