package io.finops4j.spring;

import io.finops4j.api.Money;
import io.finops4j.api.spi.CallListener;
import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Today's spend (UTC day) by feature and by model, for the actuator endpoint. Memory is bounded: past
 * {@code maxKeys} distinct features (or models) in a day, further ones are counted under {@value #OTHER}.
 * Lock-free on the call path: one map lookup and two atomic adds per dimension.
 */
final class SpendAggregator implements CallListener {

  static final String OTHER = "(other)";
  static final String NONE = "(none)";

  private final int maxKeys;
  private final AtomicReference<Day> today = new AtomicReference<>(new Day(LocalDate.MIN));

  SpendAggregator(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  @Override
  public void onCall(CallRecord record) {
    LocalDate date = LocalDate.ofInstant(record.timestamp(), ZoneOffset.UTC);
    Day day = today.get();
    while (date.isAfter(day.date)) {
      Day next = new Day(date);
      day = today.compareAndSet(day, next) ? next : today.get();
    }
    if (!date.equals(day.date)) {
      return; // a late record of yesterday: today's view ignores it
    }
    long nanos = Money.toNanos(record.costUsd());
    String feature = record.attribution().feature();
    day.add(day.byFeature, feature == null ? NONE : feature, nanos, maxKeys);
    day.add(day.byModel, record.model() == null ? NONE : record.model().toString(), nanos, maxKeys);
  }

  /** The day's totals, each dimension sorted by spend, highest first, at most {@code limit} rows. */
  Map<String, Object> snapshot(int limit) {
    Day day = today.get();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("date", day.date.equals(LocalDate.MIN) ? null : day.date.toString());
    out.put("byFeature", top(day.byFeature, limit));
    out.put("byModel", top(day.byModel, limit));
    return out;
  }

  private static List<Map<String, Object>> top(Map<String, Totals> totals, int limit) {
    return totals.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<String, Totals> e) -> e.getValue().nanos.get()).reversed()
            .thenComparing(Map.Entry::getKey))
        .limit(limit)
        .map(e -> {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("name", e.getKey());
          row.put("calls", e.getValue().calls.get());
          row.put("costUsd", Money.fromNanos(e.getValue().nanos.get()).stripTrailingZeros().toPlainString());
          return row;
        })
        .toList();
  }

  /** Today's spend on {@code feature}, in USD (for tests and callers that want one number). */
  BigDecimal featureSpend(String feature) {
    Totals t = today.get().byFeature.get(feature);
    return t == null ? BigDecimal.ZERO : Money.fromNanos(t.nanos.get());
  }

  private static final class Day {
    final LocalDate date;
    final Map<String, Totals> byFeature = new ConcurrentHashMap<>();
    final Map<String, Totals> byModel = new ConcurrentHashMap<>();

    Day(LocalDate date) {
      this.date = date;
    }

    void add(Map<String, Totals> map, String key, long nanos, int maxKeys) {
      Totals t = map.get(key);
      if (t == null) {
        // size() may overshoot by the number of racing threads; the bound stays maxKeys + a few.
        t = map.size() < maxKeys ? map.computeIfAbsent(key, k -> new Totals()) : map.computeIfAbsent(OTHER, k -> new Totals());
      }
      t.calls.incrementAndGet();
      t.nanos.addAndGet(nanos);
    }
  }

  private static final class Totals {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong nanos = new AtomicLong();
  }
}
