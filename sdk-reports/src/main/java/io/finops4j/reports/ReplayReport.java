package io.finops4j.reports;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What a period of the ledger would have cost under another price list or model. Built by {@link Replay}.
 *
 * @param period the period replayed
 * @param scenario what was changed, in words
 * @param lines per feature, largest absolute difference first
 * @param total the sum of the lines
 * @param unpricedModels models the scenario had no price for: their rows kept their recorded cost
 */
public record ReplayReport(Period period, String scenario, List<Line> lines, Line total, List<String> unpricedModels)
    implements ReportResult {

  public ReplayReport {
    lines = List.copyOf(lines);
    unpricedModels = List.copyOf(unpricedModels);
  }

  /**
   * One feature: {@code differenceUsd = replayUsd - actualUsd}; {@code replayedCalls} were re-priced, the rest
   * kept their recorded cost; {@code changePct} is {@code null} when the actual cost was zero.
   */
  public record Line(String feature, long calls, long replayedCalls, BigDecimal actualUsd, BigDecimal replayUsd,
      BigDecimal differenceUsd, Double changePct) {}

  /** The line of {@code feature}, or {@code null}. */
  public Line line(String feature) {
    return lines.stream().filter(l -> l.feature().equals(feature)).findFirst().orElse(null);
  }

  @Override
  public String title() {
    return "finops4j what-if replay " + period + ": " + scenario;
  }

  @Override
  public List<Table> tables() {
    Table.Builder t = Table.builder("Replay", "feature", "calls", "replayed_calls", "actual_usd", "replay_usd",
        "difference_usd", "change_pct");
    for (Line l : lines) {
      t.row(l.feature, l.calls, l.replayedCalls, l.actualUsd, l.replayUsd, l.differenceUsd, l.changePct);
    }
    t.row(total.feature, total.calls, total.replayedCalls, total.actualUsd, total.replayUsd, total.differenceUsd,
        total.changePct);
    return List.of(t.build());
  }

  @Override
  public List<String> notes() {
    List<String> notes = new ArrayList<>();
    notes.add("Each call's recorded token counts (cached, cache-write and output included) are re-priced exactly; "
        + "a different model's tokenizer and answer length would change them, so treat a substitution as an "
        + "estimate.");
    if (!unpricedModels.isEmpty()) {
      notes.add("No price for " + String.join(", ", unpricedModels) + ": those calls kept their recorded cost.");
    }
    return notes;
  }
}
