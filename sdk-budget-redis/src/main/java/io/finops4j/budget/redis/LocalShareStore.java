package io.finops4j.budget.redis;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import io.finops4j.api.spi.BudgetStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory stand-in that {@link RedisBudgetStore} uses while Redis is down with {@code on-unavailable:
 * local}. Only runs during outages, so one lock keeps it obviously correct rather than fast. Counters are kept
 * until their window ends, so several outages in one window share one local allowance.
 */
final class LocalShareStore implements BudgetStore {

  private final Map<BudgetKey, long[]> counters = new HashMap<>();   // {spent, reserved, windowEnd}
  private final Map<String, Held> held = new HashMap<>();

  private record Held(List<BudgetCharge> charges) {}

  @Override
  public synchronized BudgetReservation reserve(String callId, List<BudgetCharge> charges, Instant now) {
    long nowMillis = now.toEpochMilli();
    counters.values().removeIf(c -> c[2] <= nowMillis && c[1] == 0);
    if (held.containsKey(callId)) {
      throw new IllegalStateException("call " + callId + " already holds a budget reservation");
    }
    for (int i = 0; i < charges.size(); i++) {
      BudgetCharge ch = charges.get(i);
      long[] c = counters.get(ch.key());
      long spent = c == null ? 0 : c[0];
      long reserved = c == null ? 0 : c[1];
      if (ch.amount() > ch.limit() - spent - reserved) {
        return new BudgetReservation(i, List.of(new BudgetSnapshot(ch.key(), spent, reserved)));
      }
    }
    List<BudgetSnapshot> out = new ArrayList<>(charges.size());
    for (BudgetCharge ch : charges) {
      long[] c = counters.computeIfAbsent(ch.key(), k -> new long[] {0, 0, ch.windowEnd()});
      c[1] += ch.amount();
      out.add(new BudgetSnapshot(ch.key(), c[0], c[1]));
    }
    held.put(callId, new Held(charges));
    return new BudgetReservation(-1, out);
  }

  @Override
  public synchronized List<BudgetSnapshot> settle(String callId, long[] actual, Instant now) {
    Held h = held.remove(callId);
    if (h == null) {
      return List.of();
    }
    List<BudgetSnapshot> out = new ArrayList<>(actual.length);
    for (int i = 0; i < actual.length; i++) {
      BudgetCharge ch = h.charges().get(i);
      long[] c = counters.computeIfAbsent(ch.key(), k -> new long[] {0, 0, ch.windowEnd()});
      c[0] += actual[i];
      c[1] -= ch.amount();
      out.add(new BudgetSnapshot(ch.key(), c[0], c[1]));
    }
    return out;
  }

  @Override
  public synchronized boolean release(String callId, Instant now) {
    Held h = held.remove(callId);
    if (h == null) {
      return false;
    }
    for (BudgetCharge ch : h.charges()) {
      long[] c = counters.get(ch.key());
      if (c != null) {
        c[1] -= ch.amount();
      }
    }
    return true;
  }

  @Override
  public synchronized BudgetSnapshot snapshot(BudgetKey key) {
    long[] c = counters.get(key);
    return c == null ? new BudgetSnapshot(key, 0, 0) : new BudgetSnapshot(key, c[0], c[1]);
  }

  @Override
  public synchronized List<BudgetSnapshot> snapshots() {
    List<BudgetSnapshot> out = new ArrayList<>();
    counters.forEach((k, c) -> out.add(new BudgetSnapshot(k, c[0], c[1])));
    return out;
  }
}
