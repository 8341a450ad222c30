package io.finops4j.reports.cli;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.reports.Forecast;
import io.finops4j.reports.ForecastReport;
import io.finops4j.reports.Period;
import io.finops4j.reports.PriceFile;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code finops4j forecast}. */
@Command(name = "forecast", mixinStandardHelpOptions = true,
    description = {"Month-end cost per feature, with its assumptions.",
        "The month so far plus requests/day x tokens/request x current prices for the remaining days."})
final class ForecastCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Option(names = "--as-of", paramLabel = "DATE",
      description = "Last day of actuals (default: --to, else the ledger's last day).")
  LocalDate asOf;

  @Option(names = "--prices", paramLabel = "FILE",
      description = "Current prices, JSON keyed by provider/model (default: the costs recorded in the ledger).")
  Path prices;

  @Option(names = "--window", paramLabel = "DAYS", defaultValue = "7",
      description = "Trailing days that set the run rate (default: ${DEFAULT-VALUE}).")
  int window;

  @Override
  public Integer call() throws Exception {
    if (window < 1) {
      throw new ParameterException(common.spec.commandLine(), "--window must be at least 1 day, got " + window);
    }
    Period period = common.period();
    LocalDate day = asOf != null ? asOf : period.to();
    if (day == null) {
      try (Stream<CallRecord> rows = common.rows()) {
        day = rows.map(r -> Period.day(r.timestamp())).max(LocalDate::compareTo).orElse(null);
      }
      if (day == null) {
        throw new ParameterException(common.spec.commandLine(), "the ledger is empty; give --as-of");
      }
    }
    Map<ModelId, ModelPrice> current = prices == null ? Map.of() : PriceFile.read(prices);
    ForecastReport r;
    try (Stream<CallRecord> rows = common.rows()) {
      r = Forecast.run(rows::iterator, day, current, window);
    }
    common.print(r);
    return 0;
  }
}
