package io.finops4j.reports;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.api.spi.Pricing;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Projects each feature's cost to the end of the month: actual cost so far, plus for every remaining day the
 * feature's recent requests per day times its recent tokens per request at current prices.
 *
 * <p>The recent window is the {@code windowDays} (default 7) days ending on {@code asOf}, shortened to the
 * feature's first day when it is younger. Re-pricing the window's own token counts (rather than multiplying
 * averages) keeps each model's share and each call's cached / uncached split exact.
 */
public final class Forecast {

  /** Trailing days that set the run rate, by default. */
  public static final int DEFAULT_WINDOW_DAYS = 7;

  private Forecast() {}

  /** Forecast at the prices of {@code pricing}. */
  public static ForecastReport run(Iterable<CallRecord> records, LocalDate asOf, Pricing pricing) {
    return run(records, asOf, PriceLookup.of(pricing), DEFAULT_WINDOW_DAYS);
  }

  /** Forecast at {@code prices} over the default 7-day window. */
  public static ForecastReport run(Iterable<CallRecord> records, LocalDate asOf, Map<ModelId, ModelPrice> prices) {
    return run(records, asOf, prices, DEFAULT_WINDOW_DAYS);
  }

  /**
   * Forecast at {@code prices}; an empty map projects at the prices recorded on the ledger rows. Models absent
   * from the map keep their recorded cost, and the assumptions say which.
   */
  public static ForecastReport run(Iterable<CallRecord> records, LocalDate asOf, Map<ModelId, ModelPrice> prices,
      int windowDays) {
    return run(records, asOf, PriceLookup.of(prices, prices.isEmpty() ? null : "a list of " + prices.size() + " models"),
        windowDays);
  }

  static ForecastReport run(Iterable<CallRecord> records, LocalDate asOf, PriceLookup prices, int windowDays) {
    if (windowDays < 1) {
      throw new IllegalArgumentException("forecast window must be at least 1 day, got " + windowDays);
    }
    LocalDate monthStart = asOf.withDayOfMonth(1);
    LocalDate monthEnd = asOf.withDayOfMonth(asOf.lengthOfMonth());
    LocalDate windowStart = asOf.minusDays(windowDays - 1L);
    Map<String, Acc> byFeature = new HashMap<>();
    TreeSet<String> unpriced = new TreeSet<>();
    Map<ModelId, Optional<ModelPrice>> cache = new HashMap<>();
    for (CallRecord r : records) {
      LocalDate day = Period.day(r.timestamp());
      if (day.isAfter(asOf)) {
        continue;
      }
      Acc a = byFeature.computeIfAbsent(Showback.key(r.attribution().feature()), k -> new Acc());
      a.firstDay = a.firstDay == null || day.isBefore(a.firstDay) ? day : a.firstDay;
      if (!day.isBefore(monthStart)) {
        a.monthToDate = a.monthToDate.add(r.costUsd());
      }
      if (!day.isBefore(windowStart)) {
        a.requests++;
        a.input += r.usage().inputTokens();
        a.output += r.usage().outputTokens();
        Optional<ModelPrice> p = r.model() == null ? Optional.empty()
            : cache.computeIfAbsent(r.model(), prices::find);
        if (p.isPresent()) {
          a.windowCost = a.windowCost.add(p.get().cost(r.usage()));
        } else {
          a.windowCost = a.windowCost.add(r.costUsd());
          if (r.model() != null && r.usage().totalTokens() > 0) {
            unpriced.add(r.model().qualified());
          }
        }
      }
    }
    long remaining = monthEnd.toEpochDay() - asOf.toEpochDay();
    List<ForecastReport.Line> lines = new ArrayList<>();
    byFeature.forEach((f, a) -> {
      if (a.requests > 0 || a.monthToDate.signum() != 0) {
        lines.add(a.line(f, windowStart, asOf, remaining));
      }
    });
    lines.sort(Comparator.comparing(ForecastReport.Line::projectedMonthEndUsd).reversed()
        .thenComparing(ForecastReport.Line::feature));
    ForecastReport.Line total = total(lines, remaining);

    List<String> assumptions = new ArrayList<>();
    assumptions.add("Actuals: ledger cost from " + monthStart + " to " + asOf + " inclusive (UTC days); "
        + remaining + " days remain to " + monthEnd + ".");
    assumptions.add("Run rate: requests per day and tokens per request over the " + windowDays + " days ending " + asOf
        + " (" + windowStart + ".." + asOf + "), or since the feature's first call if later.");
    assumptions.add(prices.version() == null ? "Prices: as recorded on the ledger rows (no current price list given)."
        : "Prices: current prices (" + prices.version() + "), applied to each window call's exact token counts.");
    if (!unpriced.isEmpty()) {
      assumptions.add("No current price for " + String.join(", ", unpriced) + ": their recorded costs were used.");
    }
    assumptions.add("Assumes the recent run rate holds for the rest of the month: no growth, seasonality or "
        + "price change.");
    return new ForecastReport(asOf, monthEnd, lines, total, assumptions);
  }

  private static ForecastReport.Line total(List<ForecastReport.Line> lines, long remaining) {
    BigDecimal mtd = BigDecimal.ZERO;
    BigDecimal rpd = BigDecimal.ZERO;
    BigDecimal daily = BigDecimal.ZERO;
    BigDecimal end = BigDecimal.ZERO;
    long requests = 0;
    for (ForecastReport.Line l : lines) {
      mtd = mtd.add(l.monthToDateUsd());
      rpd = rpd.add(l.requestsPerDay());
      daily = daily.add(l.projectedDailyUsd());
      end = end.add(l.projectedMonthEndUsd());
      requests += l.windowRequests();
    }
    return new ForecastReport.Line("TOTAL", mtd, requests, rpd, null, null, null, daily, remaining, end);
  }

  /** One feature's running figures. */
  private static final class Acc {
    LocalDate firstDay;
    BigDecimal monthToDate = BigDecimal.ZERO;
    long requests;
    long input;
    long output;
    BigDecimal windowCost = BigDecimal.ZERO;

    ForecastReport.Line line(String feature, LocalDate windowStart, LocalDate asOf, long remaining) {
      LocalDate start = firstDay.isAfter(windowStart) ? firstDay : windowStart;
      BigDecimal days = BigDecimal.valueOf(asOf.toEpochDay() - start.toEpochDay() + 1);
      BigDecimal n = BigDecimal.valueOf(requests);
      BigDecimal rpd = n.divide(days, 4, RoundingMode.HALF_UP);
      BigDecimal perRequest = requests == 0 ? BigDecimal.ZERO : windowCost.divide(n, MathContext.DECIMAL64);
      BigDecimal daily = windowCost.divide(days, MathContext.DECIMAL64);
      BigDecimal end = monthToDate.add(daily.multiply(BigDecimal.valueOf(remaining))).setScale(6, RoundingMode.HALF_UP);
      return new ForecastReport.Line(feature, monthToDate, requests, rpd, perRequestOf(input), perRequestOf(output),
          perRequest.setScale(9, RoundingMode.HALF_UP), daily.setScale(6, RoundingMode.HALF_UP), remaining, end);
    }

    private BigDecimal perRequestOf(long tokens) {
      return requests == 0 ? BigDecimal.ZERO
          : BigDecimal.valueOf(tokens).divide(BigDecimal.valueOf(requests), 1, RoundingMode.HALF_UP);
    }
  }
}
