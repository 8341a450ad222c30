package io.finops4j.reports.cli;

import io.finops4j.api.spi.CallRecord;
import io.finops4j.reports.AnomalyDetector;
import io.finops4j.reports.AnomalyReport;
import java.math.BigDecimal;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code finops4j anomalies}. */
@Command(name = "anomalies", mixinStandardHelpOptions = true,
    description = {"Cost anomalies first seen in the period.",
        "Daily cost spikes per feature (z-score against its own history), customer x feature cost doubling week over week, prompt growth per feature, costly sessions.",
        "Exit code 1 when anomalies are found and --fail-on-anomaly is given."})
final class AnomaliesCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Option(names = "--z", paramLabel = "Z", defaultValue = "3", description = "z-score threshold (default: ${DEFAULT-VALUE}).")
  double z;

  @Option(names = "--wow-factor", paramLabel = "X", defaultValue = "2",
      description = "Week-over-week growth factor per customer and feature (default: ${DEFAULT-VALUE}).")
  BigDecimal wowFactor;

  @Option(names = "--prompt-growth", paramLabel = "FRACTION", defaultValue = "0.5",
      description = "Growth of input tokens per request, 0.5 = +50%% (default: ${DEFAULT-VALUE}).")
  BigDecimal promptGrowth;

  @Option(names = "--session-cost", paramLabel = "USD", defaultValue = "10",
      description = "Workflow cost threshold in USD (default: ${DEFAULT-VALUE}).")
  BigDecimal sessionCost;

  @Option(names = "--fail-on-anomaly", description = "Exit with 1 when any anomaly is found.")
  boolean failOnAnomaly;

  @Override
  public Integer call() throws Exception {
    AnomalyDetector detector;
    try {
      detector = AnomalyDetector.builder().zThreshold(z).wowFactor(wowFactor).promptGrowth(promptGrowth)
          .sessionCostUsd(sessionCost).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(common.spec.commandLine(), e.getMessage());
    }
    AnomalyReport r;
    try (Stream<CallRecord> rows = common.rows()) {
      r = detector.detect(rows, common.period());
    }
    common.print(r);
    return failOnAnomaly && !r.anomalies().isEmpty() ? 1 : 0;
  }
}
