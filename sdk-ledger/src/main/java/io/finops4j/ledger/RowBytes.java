package io.finops4j.ledger;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Ledger rows as UTF-8 JSON, appended straight into one growable byte array: the writer thread's buffer for a
 * batch, or one line for the spill file. A row has a fixed shape (names known in advance, values mostly short ASCII),
 * and going through a {@code JsonGenerator} cost a context check per value and an escaping pass per name; here a
 * name is a copy of its pre-encoded bytes and a plain ASCII value a copy of its chars. Anything else is escaped
 * exactly as Jackson's UTF-8 generator escapes it with its defaults (a test holds the two to the same bytes), so a
 * row is the same bytes it was when a generator wrote it.
 */
final class RowBytes {

  private byte[] buf;
  private int len;
  /** Per field slot, the last value written there and its quoted bytes: rows repeat the same value instances. */
  private final String[] lastValue = new String[SLOTS];
  private final byte[][] lastBytes = new byte[SLOTS][];

  /** How many field slots {@link #string(int, String)} remembers a value for. */
  static final int SLOTS = 16;
  /** {@link RecordJson}'s scratch for a row's timestamp ({@link Timestamps#iso(java.time.Instant, char[])}). */
  private final char[] timestamp = new char[30];
  /** {@link RecordJson}'s scratch for the maps of the rows written here; made on first use. */
  private RecordJson.MapFields mapFields;

  RowBytes(int capacity) {
    buf = new byte[capacity];
  }

  void reset() {
    len = 0;
  }

  /** Drops what was written after the first {@code length} bytes. */
  void truncate(int length) {
    len = length;
  }

  /** The bytes written so far, as a buffer over this object's array (valid until the next write). */
  ByteBuffer view() {
    return ByteBuffer.wrap(buf, 0, len);
  }

  byte[] array() {
    return buf;
  }

  int length() {
    return len;
  }

  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }

  char[] timestampChars() {
    return timestamp;
  }

  RecordJson.MapFields mapFields() {
    if (mapFields == null) {
      mapFields = new RecordJson.MapFields();
    }
    return mapFields;
  }

  /** {@code ,"name":} (or {@code "name":}) as bytes, for {@link #raw(byte[])}. */
  static byte[] name(String name, boolean first) {
    return ((first ? "" : ",") + '"' + name + "\":").getBytes(StandardCharsets.UTF_8);
  }

  void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
  }

  void raw(char ascii) {
    ensure(1);
    buf[len++] = (byte) ascii;
  }

  /** Chars known to be ASCII and to need no escaping (digits, a timestamp, a plain decimal). */
  void ascii(CharSequence s) {
    int n = s.length();
    ensure(n);
    byte[] b = buf;
    int p = len;
    for (int i = 0; i < n; i++) {
      b[p++] = (byte) s.charAt(i);
    }
    len = p;
  }

  void ascii(char[] c, int from, int to) {
    ensure(to - from);
    byte[] b = buf;
    int p = len;
    for (int i = from; i < to; i++) {
      b[p++] = (byte) c[i];
    }
    len = p;
  }

  void number(long v) {
    if (v >= 0 && v < 10) {
      raw((char) ('0' + v)); // most token counts of a row are 0
    } else if (v < 0 || v > Integer.MAX_VALUE) {
      ascii(Long.toString(v)); // a latency past 2.1 s in nanoseconds, say: a String is fine there
    } else {
      int n = (int) v; // int division is several times cheaper than long division
      int digits = 1;
      for (int t = n; t >= 10; t /= 10) {
        digits++;
      }
      ensure(digits);
      int p = len + digits;
      len = p;
      do {
        buf[--p] = (byte) ('0' + n % 10);
        n /= 10;
      } while (n != 0);
    }
  }

  /**
   * {@code d} as {@link BigDecimal#toPlainString()} writes it ({@code 0.000069000}: a cost keeps its scale), the
   * digits written here for a non-negative value of up to 18 digits, where the JDK builds three Strings per value.
   */
  void decimal(BigDecimal d) {
    int scale = d.scale();
    if (d.signum() < 0 || scale < 0 || scale > 18 || d.precision() > 18) {
      ascii(d.toPlainString());
      return;
    }
    long u = d.unscaledValue().longValue();
    int digits = 1;
    for (long t = u; t >= 10; t /= 10) {
      digits++;
    }
    // digits before the point (at least "0"), the point, then scale digits, leading zeros included
    int whole = Math.max(1, digits - scale);
    int n = scale == 0 ? digits : whole + 1 + scale;
    ensure(n);
    int end = len + n;
    int p = end;
    for (int i = 0; i < scale; i++) {
      buf[--p] = (byte) ('0' + u % 10);
      u /= 10;
    }
    if (scale > 0) {
      buf[--p] = '.';
    }
    do {
      buf[--p] = (byte) ('0' + u % 10);
      u /= 10;
    } while (u != 0);
    len = end;
  }

  void bool(boolean v) {
    ascii(v ? "true" : "false");
  }

  /**
   * As {@link #string(String)}, remembering {@code s}'s bytes in {@code slot} (one per field): a value equal to the
   * last one written in that slot (a task type, tier, customer... rows repeat them) is a copy of those bytes.
   */
  void string(int slot, String s) {
    String last = lastValue[slot];
    if (s == last || s.equals(last)) {
      lastValue[slot] = s;
      raw(lastBytes[slot]);
      return;
    }
    int start = len;
    string(s);
    lastBytes[slot] = Arrays.copyOfRange(buf, start, len);
    lastValue[slot] = s;
  }

  /** {@code s} as a JSON string, quoted and escaped as Jackson escapes it. */
  void string(String s) {
    int n = s.length();
    ensure(n + 2);
    byte[] b = buf;
    int p = len;
    b[p++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
        len = p;
        escaped(s, i);
        return;
      }
      b[p++] = (byte) c;
    }
    b[p++] = '"';
    len = p;
  }

  /**
   * The rest of {@code s} from {@code from}, escaped as Jackson's UTF-8 generator escapes with its defaults: quote
   * and backslash, control chars as {@code \\n}-style or {@code \\u00XX}, each surrogate char as {@code \\uXXXX}
   * (so a lone one never fails the row), any other char as UTF-8; then the closing quote.
   */
  private void escaped(String s, int from) {
    int n = s.length();
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      ensure(6);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        buf[len++] = (byte) c;
      } else if (c == '"' || c == '\\') {
        buf[len++] = '\\';
        buf[len++] = (byte) c;
      } else if (c < 0x20) {
        int shortForm = SHORT_ESCAPES.indexOf(c);
        if (shortForm >= 0) {
          buf[len++] = '\\';
          buf[len++] = (byte) "btnfr".charAt(shortForm);
        } else {
          unicodeEscape(c);
        }
      } else if (c < 0x800) {
        buf[len++] = (byte) (0xC0 | (c >> 6));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        unicodeEscape(c);
      } else {
        buf[len++] = (byte) (0xE0 | (c >> 12));
        buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    raw('"');
  }

  private static final String SHORT_ESCAPES = "\b\t\n\f\r";
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private void unicodeEscape(char c) {
    buf[len++] = '\\';
    buf[len++] = 'u';
    buf[len++] = HEX[c >> 12];
    buf[len++] = HEX[(c >> 8) & 0xF];
    buf[len++] = HEX[(c >> 4) & 0xF];
    buf[len++] = HEX[c & 0xF];
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
