package io.finops4j.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A range of whole UTC days, both ends inclusive; either end may be open ({@code null}).
 *
 * <p>Reports bucket by UTC day because ledger timestamps are UTC instants and provider usage exports are dated in
 * UTC, so a day means the same thing on both sides of a reconciliation.
 */
public record Period(LocalDate from, LocalDate to) {

  public Period {
    if (from != null && to != null && to.isBefore(from)) {
      throw new IllegalArgumentException("period end " + to + " is before its start " + from);
    }
  }

  /** Every day. */
  public static Period all() {
    return new Period(null, null);
  }

  /** From {@code from} to {@code to}, both inclusive. */
  public static Period of(LocalDate from, LocalDate to) {
    return new Period(from, to);
  }

  /** The UTC day of an instant. */
  public static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }

  public boolean contains(LocalDate day) {
    return (from == null || !day.isBefore(from)) && (to == null || !day.isAfter(to));
  }

  public boolean contains(Instant t) {
    return contains(day(t));
  }

  @Override
  public String toString() {
    return (from == null ? "start" : from.toString()) + ".." + (to == null ? "end" : to.toString());
  }
}
