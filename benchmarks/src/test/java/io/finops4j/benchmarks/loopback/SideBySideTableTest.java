package io.finops4j.benchmarks.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.benchmarks.loopback.SideBySide.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class SideBySideTableTest {

  private static ChatClient named(String name) {
    return new ChatClient() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String complete(String user) {
        return "";
      }
    };
  }

  private static Result result(String client, int round, double callsPerSecond, double p99) {
    return new Result(client, 16, round, callsPerSecond, 100, p99, 0, 40, 30, 15, 2, 10, 5, 3, 0, 1000);
  }

  private static String finops4jRow(List<Result> results) {
    String table = SideBySide.table(results, "raw", new int[] {16}, List.of(named("raw"), named("finops4j")));
    return table.lines().filter(l -> l.startsWith("| 16 | finops4j |")).findFirst().orElseThrow();
  }

  @Test
  void throughputIsTheMedianOfEachRoundsRatioAndEveryRoundIsListedInOrder() {
    // raw's own rate doubles between rounds 0 and 1: each round is divided by raw's in that round
    List<Result> results = List.of(
        result("raw", 0, 1000, 1000), result("finops4j", 0, 900, 1100),
        result("raw", 1, 2000, 1000), result("finops4j", 1, 1600, 1100),
        result("raw", 2, 1500, 1000), result("finops4j", 2, 1425, 1100));

    String row = finops4jRow(results);

    assertThat(row).startsWith("| 16 | finops4j | 1425 | 0.90 |"); // median rate; median of 0.90, 0.80, 0.95
    assertThat(row).endsWith("| 1.10 | 0.90 0.80 0.95 |");
  }

  @Test
  void p99RatioIsTheMedianOfEachRoundsRatioNotARatioOfMediansFromDifferentRounds() {
    List<Result> results = List.of(
        result("raw", 0, 1000, 1000), result("finops4j", 0, 900, 9000),
        result("raw", 1, 1000, 5000), result("finops4j", 1, 900, 5000),
        result("raw", 2, 1000, 9000), result("finops4j", 2, 900, 9000));

    String row = finops4jRow(results);

    // the medians over rounds, 9000 against 5000 us, would say 1.8x; round by round it is 9.0, 1.0 and 1.0
    assertThat(row).contains("| 1.00 | 0.90 0.90 0.90 |");
  }
}
