package io.finops4j.reports;

import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds cost anomalies in a ledger. Each detector compares a series with its own history, so a feature that is
 * always expensive is not an anomaly, and a cheap one that suddenly doubles is.
 *
 * <ul>
 *   <li>Daily cost per feature: z-score of the day against the feature's trailing {@code historyDays} (at least
 *       {@code minHistoryDays} since the feature's first call); only rises are reported. Consecutive flagged days
 *       are one anomaly. The standard deviation is floored at 5% of the mean, so a perfectly flat history does
 *       not turn a one-cent change into an infinite z-score.</li>
 *   <li>Cost per customer per feature: the 7 days ending on a day against the 7 days before; flagged at
 *       {@code wowFactor} (2 = doubled) when the earlier week cost at least {@code minWeeklyBaselineUsd} and lies
 *       wholly after the pair's first call.</li>
 *   <li>Prompt size per feature: a day's mean input tokens per successful uncached request against the
 *       trailing 7 days' mean; flagged at {@code 1 + promptGrowth}.</li>
 *   <li>Sessions: a workflow whose cost exceeds {@code sessionCostUsd}; the first day is when it crossed.</li>
 * </ul>
 */
public final class AnomalyDetector {

  /** The floor of the daily-cost spread, as a share of the mean (see {@link #detect}). */
  static final double MIN_RELATIVE_SD = 0.05;

  private final double zThreshold;
  private final int historyDays;
  private final int minHistoryDays;
  private final BigDecimal wowFactor;
  private final BigDecimal minWeeklyBaselineUsd;
  private final BigDecimal promptGrowth;
  private final long minPromptRequests;
  private final BigDecimal sessionCostUsd;

  private AnomalyDetector(Builder b) {
    this.zThreshold = b.zThreshold;
    this.historyDays = b.historyDays;
    this.minHistoryDays = b.minHistoryDays;
    this.wowFactor = b.wowFactor;
    this.minWeeklyBaselineUsd = b.minWeeklyBaselineUsd;
    this.promptGrowth = b.promptGrowth;
    this.minPromptRequests = b.minPromptRequests;
    this.sessionCostUsd = b.sessionCostUsd;
  }

  /** The defaults: z 3 over 28 trailing days (at least 7), doubling week over week, prompts +50%, sessions $10. */
  public static AnomalyDetector defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public AnomalyReport detect(Stream<CallRecord> records, Period period) {
    return detect((Iterable<CallRecord>) records::iterator, period);
  }

  /** Anomalies first appearing in {@code period}; records before it serve as history. */
  public AnomalyReport detect(Iterable<CallRecord> records, Period period) {
    Map<String, TreeMap<LocalDate, BigDecimal>> featureDaily = new TreeMap<>();
    Map<List<String>, TreeMap<LocalDate, BigDecimal>> customerFeatureDaily = new HashMap<>();
    Map<String, TreeMap<LocalDate, long[]>> promptDaily = new TreeMap<>();
    Map<String, Session> sessions = new HashMap<>();
    LocalDate firstDay = null;
    LocalDate lastDay = null;
    for (CallRecord r : records) {
      LocalDate day = Period.day(r.timestamp());
      if (period.to() != null && day.isAfter(period.to())) {
        continue;
      }
      firstDay = firstDay == null || day.isBefore(firstDay) ? day : firstDay;
      lastDay = lastDay == null || day.isAfter(lastDay) ? day : lastDay;
      String feature = Showback.key(r.attribution().feature());
      String customer = Showback.key(r.attribution().customer());
      featureDaily.computeIfAbsent(feature, k -> new TreeMap<>()).merge(day, r.costUsd(), BigDecimal::add);
      customerFeatureDaily.computeIfAbsent(List.of(customer, feature), k -> new TreeMap<>())
          .merge(day, r.costUsd(), BigDecimal::add);
      if (CallRecord.OK.equals(r.outcome()) && !"hit".equals(r.cacheStatus())) {
        long[] sumCount = promptDaily.computeIfAbsent(feature, k -> new TreeMap<>())
            .computeIfAbsent(day, d -> new long[2]);
        sumCount[0] += r.usage().inputTokens();
        sumCount[1]++;
      }
      String wf = r.attribution().workflow();
      if (wf != null) {
        sessions.computeIfAbsent(wf, k -> new Session(customer, feature)).daily.merge(day, r.costUsd(),
            BigDecimal::add);
      }
    }
    List<Anomaly> found = new ArrayList<>();
    if (firstDay != null) {
      LocalDate from = period.from() != null ? period.from() : firstDay;
      LocalDate to = period.to() != null ? period.to() : lastDay;
      featureDaily.forEach((f, daily) -> dailySpikes(f, daily, from, to, found));
      customerFeatureDaily.forEach((cf, daily) -> weekOverWeek(cf.get(0), cf.get(1), daily, from, to, found));
      promptDaily.forEach((f, daily) -> promptGrowth(f, daily, from, to, found));
      sessions.forEach((wf, s) -> costlySession(wf, s, period, found));
    }
    found.sort(Comparator.comparing(Anomaly::firstDay).thenComparing(Anomaly::kind)
        .thenComparing(a -> Objects.toString(a.feature(), "")).thenComparing(a -> Objects.toString(a.customer(), ""))
        .thenComparing(a -> Objects.toString(a.workflow(), "")));
    return new AnomalyReport(period, found, settings());
  }

  List<String> settings() {
    return List.of(
        String.format(Locale.ROOT, "DAILY_COST_SPIKE: z >= %s against the trailing %d days (at least %d of history)",
            zThreshold, historyDays, minHistoryDays),
        "CUSTOMER_FEATURE_WOW: 7-day cost >= " + wowFactor.toPlainString() + "x the 7 days before (baseline >= "
            + minWeeklyBaselineUsd.toPlainString() + " USD)",
        "PROMPT_GROWTH: a day's mean input tokens/request >= " + BigDecimal.ONE.add(promptGrowth).toPlainString()
            + "x the trailing 7 days' mean (at least " + minPromptRequests + " requests of history)",
        "COSTLY_SESSION: workflow cost > " + sessionCostUsd.toPlainString() + " USD",
        "Days are UTC; first_day is the first day the anomaly appeared.");
  }

  private void dailySpikes(String feature, TreeMap<LocalDate, BigDecimal> daily, LocalDate from, LocalDate to,
      List<Anomaly> found) {
    LocalDate born = daily.firstKey();
    Anomaly open = null;
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      LocalDate start = d.minusDays(historyDays);
      if (start.isBefore(born)) {
        start = born;
      }
      int n = (int) (d.toEpochDay() - start.toEpochDay());
      boolean flagged = false;
      if (n >= minHistoryDays) {
        double[] xs = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
          xs[i] = daily.getOrDefault(start.plusDays(i), BigDecimal.ZERO).doubleValue();
          mean += xs[i];
        }
        mean /= n;
        double var = 0;
        for (double x : xs) {
          var += (x - mean) * (x - mean);
        }
        // A perfectly flat history has no spread, and a one-cent rise would be "infinitely" unusual: floor the
        // spread at a small share of the mean so that only real moves are flagged.
        double sd = Math.max(Math.sqrt(var / n), MIN_RELATIVE_SD * mean);
        BigDecimal today = daily.getOrDefault(d, BigDecimal.ZERO);
        double x = today.doubleValue();
        double z = sd == 0 ? (x > 0 ? Double.POSITIVE_INFINITY : 0) : (x - mean) / sd;
        flagged = z >= zThreshold;
        if (flagged && open == null) {
          open = new Anomaly(Anomaly.Kind.DAILY_COST_SPIKE, feature, null, null, today, decimal(mean), "USD/day", d,
              sd == 0 ? "z = inf (no cost in history)" : String.format(Locale.ROOT, "z = %.1f", z));
          found.add(open);
        }
      }
      if (!flagged) {
        open = null;
      }
    }
  }

  private void weekOverWeek(String customer, String feature, TreeMap<LocalDate, BigDecimal> daily, LocalDate from,
      LocalDate to, List<Anomaly> found) {
    boolean open = false;
    // A week that began before the pair's first call is a ramp-up, not a baseline.
    LocalDate start = from.isBefore(daily.firstKey().plusDays(13)) ? daily.firstKey().plusDays(13) : from;
    for (LocalDate d = start; !d.isAfter(to); d = d.plusDays(1)) {
      BigDecimal cur = sum(daily, d.minusDays(6), d);
      BigDecimal prev = sum(daily, d.minusDays(13), d.minusDays(7));
      boolean flagged = prev.compareTo(minWeeklyBaselineUsd) >= 0 && cur.compareTo(prev.multiply(wowFactor)) >= 0;
      if (flagged && !open) {
        // The window ends 6 days after the change started; name the first day that ran at the new rate.
        BigDecimal dailyBar = prev.multiply(wowFactor).divide(BigDecimal.valueOf(7), MathContext.DECIMAL64);
        LocalDate first = d.minusDays(6);
        for (LocalDate x = d.minusDays(6); !x.isAfter(d); x = x.plusDays(1)) {
          if (daily.getOrDefault(x, BigDecimal.ZERO).compareTo(dailyBar) >= 0) {
            first = x;
            break;
          }
        }
        found.add(new Anomaly(Anomaly.Kind.CUSTOMER_FEATURE_WOW, feature, customer, null, cur, prev, "USD/7d", first,
            String.format(Locale.ROOT, "x%.2f week over week (7 days ending %s)", ratio(cur, prev), d)));
      }
      open = flagged;
    }
  }

  private void promptGrowth(String feature, TreeMap<LocalDate, long[]> daily, LocalDate from, LocalDate to,
      List<Anomaly> found) {
    boolean open = false;
    BigDecimal factor = BigDecimal.ONE.add(promptGrowth);
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      long[] today = daily.get(d);
      long sum = 0;
      long count = 0;
      for (long[] v : daily.subMap(d.minusDays(7), true, d.minusDays(1), true).values()) {
        sum += v[0];
        count += v[1];
      }
      boolean flagged = false;
      if (today != null && count >= minPromptRequests && sum > 0) {
        BigDecimal mean = BigDecimal.valueOf(today[0]).divide(BigDecimal.valueOf(today[1]), 2, RoundingMode.HALF_UP);
        BigDecimal base = BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(count), 2, RoundingMode.HALF_UP);
        flagged = mean.compareTo(base.multiply(factor)) >= 0;
        if (flagged && !open) {
          found.add(new Anomaly(Anomaly.Kind.PROMPT_GROWTH, feature, null, null, mean, base, "tokens/request", d,
              String.format(Locale.ROOT, "+%.0f%% input tokens per request", (ratio(mean, base) - 1) * 100)));
        }
      }
      if (today != null) {
        open = flagged;
      }
    }
  }

  private void costlySession(String workflow, Session s, Period period, List<Anomaly> found) {
    BigDecimal cumulative = BigDecimal.ZERO;
    LocalDate crossed = null;
    for (Map.Entry<LocalDate, BigDecimal> e : s.daily.entrySet()) {
      cumulative = cumulative.add(e.getValue());
      if (crossed == null && cumulative.compareTo(sessionCostUsd) > 0) {
        crossed = e.getKey();
      }
    }
    if (crossed != null && period.contains(crossed)) {
      found.add(new Anomaly(Anomaly.Kind.COSTLY_SESSION, s.feature, s.customer, workflow, cumulative, sessionCostUsd,
          "USD", crossed, "session cost above threshold"));
    }
  }

  private static BigDecimal sum(TreeMap<LocalDate, BigDecimal> daily, LocalDate from, LocalDate to) {
    BigDecimal s = BigDecimal.ZERO;
    for (BigDecimal v : daily.subMap(from, true, to, true).values()) {
      s = s.add(v);
    }
    return s;
  }

  private static double ratio(BigDecimal a, BigDecimal b) {
    return a.divide(b, MathContext.DECIMAL64).doubleValue();
  }

  private static BigDecimal decimal(double v) {
    return BigDecimal.valueOf(v).setScale(9, RoundingMode.HALF_UP).stripTrailingZeros();
  }

  /** One workflow's cost per day. */
  private static final class Session {
    final String customer;
    final String feature;
    final TreeMap<LocalDate, BigDecimal> daily = new TreeMap<>();

    Session(String customer, String feature) {
      this.customer = customer;
      this.feature = feature;
    }
  }

  /** Builds an {@link AnomalyDetector}; every setting has the default described on the class. */
  public static final class Builder {
    private double zThreshold = 3.0;
    private int historyDays = 28;
    private int minHistoryDays = 7;
    private BigDecimal wowFactor = BigDecimal.valueOf(2);
    private BigDecimal minWeeklyBaselineUsd = new BigDecimal("0.01");
    private BigDecimal promptGrowth = new BigDecimal("0.5");
    private long minPromptRequests = 10;
    private BigDecimal sessionCostUsd = BigDecimal.TEN;

    private Builder() {}

    public Builder zThreshold(double v) {
      if (!(v > 0)) {
        throw new IllegalArgumentException("z-score threshold must be positive, got " + v);
      }
      zThreshold = v;
      return this;
    }

    public Builder historyDays(int v) {
      if (v < 2) {
        throw new IllegalArgumentException("history must be at least 2 days, got " + v);
      }
      historyDays = v;
      return this;
    }

    public Builder minHistoryDays(int v) {
      if (v < 2) {
        throw new IllegalArgumentException("minimum history must be at least 2 days, got " + v);
      }
      minHistoryDays = v;
      return this;
    }

    public Builder wowFactor(BigDecimal v) {
      if (v.compareTo(BigDecimal.ONE) <= 0) {
        throw new IllegalArgumentException("week-over-week factor must be above 1, got " + v);
      }
      wowFactor = v;
      return this;
    }

    public Builder minWeeklyBaselineUsd(BigDecimal v) {
      minWeeklyBaselineUsd = Objects.requireNonNull(v);
      return this;
    }

    public Builder promptGrowth(BigDecimal v) {
      if (v.signum() <= 0) {
        throw new IllegalArgumentException("prompt growth must be positive (0.5 = +50%), got " + v);
      }
      promptGrowth = v;
      return this;
    }

    public Builder minPromptRequests(long v) {
      minPromptRequests = v;
      return this;
    }

    public Builder sessionCostUsd(BigDecimal v) {
      if (v.signum() <= 0) {
        throw new IllegalArgumentException("session cost threshold must be positive, got " + v);
      }
      sessionCostUsd = v;
      return this;
    }

    public AnomalyDetector build() {
      if (minHistoryDays > historyDays) {
        throw new IllegalArgumentException("minimum history (" + minHistoryDays + " days) exceeds history ("
            + historyDays + " days)");
      }
      return new AnomalyDetector(this);
    }
  }
}
