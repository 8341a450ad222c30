package io.finops4j.ledger;

import java.time.Instant;

/**
 * {@link Instant#toString()} without its formatter: the ledger writes a timestamp per row, and
 * {@code DateTimeFormatter.ISO_INSTANT} cost as much as the rest of the row. Same text, same fraction groups (none,
 * 3, 6 or 9 digits); instants outside years 0000–9999 fall back to {@code toString()}.
 */
final class Timestamps {

  private static final long SECONDS_0000_TO_1970 = 62_167_219_200L;
  private static final long SECONDS_10000_TO_1970 = 253_402_300_800L;

  private Timestamps() {}

  static String iso(Instant t) {
    char[] c = new char[30];
    int n = iso(t, c);
    return n < 0 ? t.toString() : new String(c, 0, n);
  }

  /**
   * Writes {@code t} as {@link #iso(Instant)} does into {@code c} (30 chars at least); the length written, or -1
   * for an instant outside years 0000–9999 (then write {@code t.toString()}). For a writer that takes chars, so a
   * row costs no string for its timestamp.
   */
  static int iso(Instant t, char[] c) {
    long seconds = t.getEpochSecond();
    if (seconds < -SECONDS_0000_TO_1970 || seconds >= SECONDS_10000_TO_1970) {
      return -1;
    }
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    // civil-from-days (Howard Hinnant's algorithm), exact for the proleptic Gregorian calendar
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    int nanos = t.getNano();
    int i = 0;
    i = digits(c, i, year, 4);
    c[i++] = '-';
    i = digits(c, i, month, 2);
    c[i++] = '-';
    i = digits(c, i, day, 2);
    c[i++] = 'T';
    i = digits(c, i, secondOfDay / 3600, 2);
    c[i++] = ':';
    i = digits(c, i, secondOfDay / 60 % 60, 2);
    c[i++] = ':';
    i = digits(c, i, secondOfDay % 60, 2);
    if (nanos != 0) {
      c[i++] = '.';
      if (nanos % 1_000_000 == 0) {
        i = digits(c, i, nanos / 1_000_000, 3);
      } else if (nanos % 1000 == 0) {
        i = digits(c, i, nanos / 1000, 6);
      } else {
        i = digits(c, i, nanos, 9);
      }
    }
    c[i++] = 'Z';
    return i;
  }

  private static int digits(char[] c, int at, int value, int width) {
    for (int k = at + width - 1; k >= at; k--) {
      c[k] = (char) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }
}
