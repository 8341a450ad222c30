package io.finops4j.budget;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;

/**
 * The window a budget counts over: a calendar day, ISO week (Monday to Monday) or month in the budget's time
 * zone, or a fixed duration.
 *
 * <p>A duration period ({@code 24h}, {@code 30m}, {@code 7d}) is a sequence of fixed buckets aligned to the Unix
 * epoch (UTC), not a sliding window: {@code 24h} resets at 00:00 UTC every day whatever the zone. Fixed buckets
 * keep one counter per window, so every instance sharing a store agrees on the window without coordination.
 * Calendar periods follow the zone's rules, so a day can last 23 or 25 hours across a daylight-saving change.
 */
public final class BudgetPeriod {

  private enum Kind { DAY, WEEK, MONTH, FIXED }

  private static final BudgetPeriod DAY = new BudgetPeriod(Kind.DAY, 0);
  private static final BudgetPeriod WEEK = new BudgetPeriod(Kind.WEEK, 0);
  private static final BudgetPeriod MONTH = new BudgetPeriod(Kind.MONTH, 0);

  private final Kind kind;
  private final long millis;

  private BudgetPeriod(Kind kind, long millis) {
    this.kind = kind;
    this.millis = millis;
  }

  /** The calendar day in the budget's zone. */
  public static BudgetPeriod day() { return DAY; }

  /** The ISO week (Monday 00:00 to the next Monday 00:00) in the budget's zone. */
  public static BudgetPeriod week() { return WEEK; }

  /** The calendar month in the budget's zone. */
  public static BudgetPeriod month() { return MONTH; }

  /** Fixed buckets of {@code length}, aligned to the Unix epoch; at least one second. */
  public static BudgetPeriod fixed(Duration length) {
    Objects.requireNonNull(length, "length");
    if (length.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("a budget period must be at least 1s, got " + length);
    }
    return new BudgetPeriod(Kind.FIXED, length.toMillis());
  }

  /** {@code day}, {@code week}, {@code month}, or null when {@code name} is none of them. */
  static BudgetPeriod calendar(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "day": case "daily": return DAY;
      case "week": case "weekly": return WEEK;
      case "month": case "monthly": return MONTH;
      default: return null;
    }
  }

  /** True for day, week and month, which depend on a time zone. */
  public boolean isCalendar() {
    return kind != Kind.FIXED;
  }

  /** {@code day}, {@code week}, {@code month}, or the duration such as {@code 24h}. */
  public String name() {
    switch (kind) {
      case DAY: return "day";
      case WEEK: return "week";
      case MONTH: return "month";
      default: return formatDuration(millis);
    }
  }

  /** The window containing {@code epochMillis}. */
  Window windowAt(long epochMillis, ZoneId zone) {
    if (kind == Kind.FIXED) {
      long start = Math.floorDiv(epochMillis, millis) * millis;
      return new Window(start, start + millis);
    }
    LocalDate date = Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate();
    LocalDate start;
    LocalDate end;
    switch (kind) {
      case DAY:
        start = date;
        end = date.plusDays(1);
        break;
      case WEEK:
        start = date.minusDays(date.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue());
        end = start.plusWeeks(1);
        break;
      default:
        start = date.withDayOfMonth(1);
        end = start.plusMonths(1);
        break;
    }
    return new Window(start.atStartOfDay(zone).toInstant().toEpochMilli(),
        end.atStartOfDay(zone).toInstant().toEpochMilli());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BudgetPeriod p && p.kind == kind && p.millis == millis;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Long.hashCode(millis);
  }

  @Override
  public String toString() {
    return name();
  }

  private static String formatDuration(long ms) {
    if (ms % 86_400_000L == 0 && ms > 86_400_000L) {   // 24h reads better than 1d
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  /** One window, {@code [start, end)} in epoch milliseconds. */
  record Window(long start, long end) {
    boolean contains(long epochMillis) {
      return epochMillis >= start && epochMillis < end;
    }
  }
}
