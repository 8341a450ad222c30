package io.finops4j.budget;

import io.finops4j.api.Attribution;
import io.finops4j.api.spi.BudgetKey;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One budget: a limit in USD or tokens over a window, for a scope (global, or one or more attribution
 * dimensions such as customer, or customer x feature), optionally narrowed by {@code match} to given values.
 *
 * <p>Without a match every value of the scope gets its own counter: a 50 USD customer budget gives each
 * customer 50 USD. A call whose attribution lacks a scoped dimension (no customer, say) is not counted by that
 * budget. Immutable; build with {@link #builder()}.
 */
public final class Budget {

  /** The dimensions a budget can be scoped by (besides {@code global}); {@code tag.NAME} is accepted too. */
  public static final Set<String> DIMENSIONS = Set.of("customer", "feature", "workflow", "user", "team",
      "environment");

  /** What a budget counts. */
  public enum Unit {
    /** Money, counted in nano-USD. */
    USD("USD"),
    /** Input plus output tokens. */
    TOKENS("tokens");

    private final String label;

    Unit(String label) {
      this.label = label;
    }

    /** {@code USD} or {@code tokens}, as {@link io.finops4j.api.spi.BudgetView.BudgetUsage#unit()} says. */
    public String label() {
      return label;
    }
  }

  /** What happens when a call's worst case does not fit. */
  public enum OnExceed {
    /** Refuse the call with {@link io.finops4j.api.BudgetExceededException} before any network traffic. */
    REJECT,
    /** Let the call through and record a {@code budget.downgrade} event; routing picks a cheaper tier. */
    DOWNGRADE,
    /** Let the call through and record a {@code budget.exceeded} event. */
    ALERT_ONLY
  }

  static final String GLOBAL_KEY = "*";
  /** Dimensions of a combined scope are separated by commas or by " x ", as {@link #scope()} prints them. */
  static final String SCOPE_SEPARATOR = ",|\\s+x\\s+";

  private final String id;
  private final List<String> dimensions;
  private final Map<String, String> match;
  private final BigDecimal limit;
  private final Unit unit;
  private final BudgetPeriod period;
  private final ZoneId zone;
  private final double[] alertAt;
  private final double downgradeAt;
  private final OnExceed onExceed;
  private final String scopeName;
  // derived, for the hot path
  private final long limitUnits;
  private final long[] thresholdUnits;
  private final String[] matchByDimension;
  private volatile BudgetPeriod.Window current = new BudgetPeriod.Window(0, 0);
  /** The counter key of the last call, reused by the next one of the same scope value and window. */
  private volatile BudgetKey lastKey;

  private Budget(Builder b) {
    this.dimensions = List.copyOf(b.dimensions);
    for (String d : dimensions) {
      if (!DIMENSIONS.contains(d) && !(d.startsWith("tag.") && d.length() > 4)) {
        throw new IllegalArgumentException("unknown scope '" + d + "'; expected global or a combination of "
            + new java.util.TreeSet<>(DIMENSIONS) + " or tag.NAME");
      }
    }
    if (new java.util.HashSet<>(dimensions).size() != dimensions.size()) {
      throw new IllegalArgumentException("scope names a dimension twice: " + dimensions);
    }
    this.match = Map.copyOf(b.match);
    for (String k : match.keySet()) {
      if (!dimensions.contains(k)) {
        throw new IllegalArgumentException("match names '" + k + "', which is not in the scope "
            + (dimensions.isEmpty() ? "global" : dimensions));
      }
    }
    this.limit = Objects.requireNonNull(b.limit, "limit");
    if (limit.signum() < 0) {
      throw new IllegalArgumentException("limit cannot be negative, got " + limit.toPlainString());
    }
    this.unit = b.unit;
    this.period = Objects.requireNonNull(b.period, "period");
    this.zone = b.zone;
    this.alertAt = b.alertAt.clone();
    Arrays.sort(alertAt);
    for (double a : alertAt) {
      if (!(a > 0) || Double.isInfinite(a)) {
        throw new IllegalArgumentException("alert-at fractions must be above 0 (0.7 means 70%), got " + a);
      }
    }
    if (!(b.downgradeAt >= 0 && b.downgradeAt <= 1)) {
      throw new IllegalArgumentException("downgrade-at must be a fraction between 0 and 1, got " + b.downgradeAt);
    }
    this.onExceed = b.onExceed;
    // a downgrade budget with no explicit point tells routing to downgrade once the limit is reached
    this.downgradeAt = b.downgradeAt == 0 && onExceed == OnExceed.DOWNGRADE ? 1.0 : b.downgradeAt;
    this.scopeName = dimensions.isEmpty() ? "global" : String.join(" x ", dimensions);
    this.id = b.id != null ? b.id : defaultId();
    if (id.isBlank()) {
      throw new IllegalArgumentException("budget id cannot be blank");
    }
    if (unit == Unit.USD) {
      this.limitUnits = limit.movePointRight(9).setScale(0, RoundingMode.FLOOR).longValueExact();
    } else {
      if (limit.stripTrailingZeros().scale() > 0) {
        throw new IllegalArgumentException("a token limit must be a whole number, got " + limit.toPlainString());
      }
      this.limitUnits = limit.longValueExact();
    }
    this.thresholdUnits = new long[alertAt.length];
    for (int i = 0; i < alertAt.length; i++) {
      thresholdUnits[i] = BigDecimal.valueOf(alertAt[i]).multiply(BigDecimal.valueOf(limitUnits))
          .setScale(0, RoundingMode.CEILING).longValueExact();
    }
    this.matchByDimension = new String[dimensions.size()];
    for (int i = 0; i < dimensions.size(); i++) {
      matchByDimension[i] = match.get(dimensions.get(i));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The id, e.g. {@code customer-month} or {@code feature:support-reply-month}. */
  public String id() { return id; }
  /** The scoped dimensions in order; empty for a global budget. */
  public List<String> dimensions() { return dimensions; }
  /** {@code global}, {@code customer}, or {@code customer x feature}. */
  public String scope() { return scopeName; }
  /** Dimension values a call must have for this budget to count it; empty to count every value. */
  public Map<String, String> match() { return match; }
  public BigDecimal limit() { return limit; }
  public Unit unit() { return unit; }
  public BudgetPeriod period() { return period; }
  public ZoneId zone() { return zone; }
  /** Alert thresholds as fractions of the limit, ascending. */
  public double[] alertAt() { return alertAt.clone(); }
  /** The fraction of the limit past which routing should pick a cheaper tier, or 0 for never. */
  public double downgradeAt() { return downgradeAt; }
  public OnExceed onExceed() { return onExceed; }

  /** The limit in counter units: nano-USD (rounded down, so it is never exceeded) or tokens. */
  long limitUnits() { return limitUnits; }

  long[] thresholdUnits() { return thresholdUnits; }

  double alertFraction(int i) { return alertAt[i]; }

  /**
   * The counter key of {@code a} in this budget ({@code *} for global, the value, or values joined by
   * {@code /}), or null when this budget does not count the call.
   */
  String keyFor(Attribution a) {
    int n = matchByDimension.length;
    if (n == 0) {
      return GLOBAL_KEY;
    }
    if (n == 1) {
      String v = a.dimension(dimensions.get(0));
      return v == null || (matchByDimension[0] != null && !matchByDimension[0].equals(v)) ? null : v;
    }
    StringBuilder s = new StringBuilder(32);
    for (int i = 0; i < n; i++) {
      String v = a.dimension(dimensions.get(i));
      if (v == null || (matchByDimension[i] != null && !matchByDimension[i].equals(v))) {
        return null;
      }
      if (i > 0) {
        s.append('/');
      }
      s.append(v);
    }
    return s.toString();
  }

  /**
   * The counter key of {@code scopeKey} in the window starting at {@code windowStart}. A budget keyed by team or
   * feature sees the same value call after call, so the last key is kept (a race only costs a fresh key).
   */
  BudgetKey counterKey(String scopeKey, long windowStart) {
    BudgetKey k = lastKey;
    if (k != null && k.windowStart() == windowStart && k.scopeKey().equals(scopeKey)) {
      return k;
    }
    k = new BudgetKey(id, scopeKey, windowStart);
    lastKey = k;
    return k;
  }

  /** The window containing {@code epochMillis}, cached because almost every call falls in the current one. */
  BudgetPeriod.Window windowAt(long epochMillis) {
    BudgetPeriod.Window w = current;
    if (w.contains(epochMillis)) {
      return w;
    }
    w = period.windowAt(epochMillis, zone);
    if (epochMillis >= current.start()) {
      current = w;
    }
    return w;
  }

  private String defaultId() {
    StringBuilder s = new StringBuilder();
    if (dimensions.isEmpty()) {
      s.append("global");
    }
    for (String d : dimensions) {
      if (s.length() > 0) {
        s.append('-');
      }
      s.append(d);
      if (match.containsKey(d)) {
        s.append(':').append(match.get(d));
      }
    }
    s.append('-').append(period.name());
    if (unit == Unit.TOKENS) {
      s.append("-tokens");
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return "Budget{" + id + ", " + scopeName + (match.isEmpty() ? "" : " " + match) + ", " + limit.toPlainString()
        + " " + unit.label() + " per " + period.name() + (period.isCalendar() ? " (" + zone + ")" : "") + ", "
        + onExceed.name().toLowerCase(Locale.ROOT).replace('_', '-') + "}";
  }

  /** Builds a {@link Budget}. Required: the limit. Defaults: global scope, USD, month in UTC, reject. */
  public static final class Builder {
    private String id;
    private final List<String> dimensions = new ArrayList<>();
    private final Map<String, String> match = new LinkedHashMap<>();
    private BigDecimal limit;
    private Unit unit = Unit.USD;
    private BudgetPeriod period = BudgetPeriod.month();
    private ZoneId zone = ZoneOffset.UTC;
    private double[] alertAt = new double[0];
    private double downgradeAt;
    private OnExceed onExceed = OnExceed.REJECT;

    private Builder() {}

    /** The id; defaults to scope, match and period, e.g. {@code customer-month}. */
    public Builder id(String v) { id = v; return this; }

    /** The scope: {@code global}, one dimension, or several ({@code "customer", "feature"}). */
    public Builder scope(String... dims) {
      dimensions.clear();
      for (String d : dims) {
        for (String part : d.split(SCOPE_SEPARATOR)) {
          String p = part.trim();
          if (!p.isEmpty() && !p.equalsIgnoreCase("global")) {
            dimensions.add(p.startsWith("tag.") ? p : p.toLowerCase(Locale.ROOT));
          }
        }
      }
      return this;
    }

    /** Counts only calls whose (single) scoped dimension has this value. */
    public Builder match(String value) {
      if (dimensions.size() != 1) {
        throw new IllegalArgumentException("a single match value needs a scope of one dimension; use a map of "
            + "dimension to value for " + (dimensions.isEmpty() ? "global" : dimensions));
      }
      match.clear();
      match.put(dimensions.get(0), value);
      return this;
    }

    /** Counts only calls whose dimensions have these values, e.g. {@code {customer: acme}}. */
    public Builder match(Map<String, String> values) {
      match.clear();
      match.putAll(values);
      return this;
    }

    public Builder limit(BigDecimal v) { limit = v; return this; }
    public Builder unit(Unit v) { unit = Objects.requireNonNull(v); return this; }
    public Builder period(BudgetPeriod v) { period = v; return this; }
    /** The zone of calendar periods; UTC by default. */
    public Builder zone(ZoneId v) { zone = Objects.requireNonNull(v); return this; }
    /** Fractions of the limit at which to alert once per window, e.g. {@code 0.7, 0.9}. */
    public Builder alertAt(double... v) { alertAt = v.clone(); return this; }
    public Builder downgradeAt(double v) { downgradeAt = v; return this; }
    public Builder onExceed(OnExceed v) { onExceed = Objects.requireNonNull(v); return this; }

    public Budget build() {
      return new Budget(this);
    }
  }
}
