package io.finops4j.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowBytesTest {

  @Test
  void stringsAreTheBytesJacksonWrites() throws IOException {
    String[] fixed = {"", "acme", "say \"hi\"", "back\\slash", "line\nbreak\ttab\r\b\f", "\u0000\u001f\u007f",
        "café", "語", "\uD83D\uDE00 emoji", "lone \uD800 surrogate", "</script>", "a/b"};
    for (String s : fixed) {
      assertThat(rowBytes(s)).as(s).isEqualTo(jackson(s));
    }
    Random random = new Random(24);
    char[] alphabet = "aZ09 \"\\/\n\u0001\u007f\u0080é語\uD83D\uDE00".toCharArray();
    for (int i = 0; i < 2_000; i++) {
      char[] c = new char[random.nextInt(40)];
      for (int k = 0; k < c.length; k++) {
        c[k] = alphabet[random.nextInt(alphabet.length)];
      }
      String s = new String(c);
      assertThat(rowBytes(s)).as(s).isEqualTo(jackson(s));
    }
  }

  @Test
  void aSlotRepeatsItsLastValueAndFollowsAChange() {
    RowBytes out = new RowBytes(4);
    String acme = "acme";
    out.string(0, acme);
    out.string(0, acme);
    out.string(0, new String("acme"));
    out.string(0, "globex \"eu\"");
    out.string(1, acme);
    assertThat(out.toString()).isEqualTo("\"acme\"\"acme\"\"acme\"\"globex \\\"eu\\\"\"\"acme\"");
  }

  @Test
  void numbersAreDecimalDigits() {
    for (long v : new long[] {0, 7, 10, 99, 100, 260, -1, -10, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
        1_000_000_007L, 98_765_432_109L, Long.MAX_VALUE, Long.MIN_VALUE}) {
      RowBytes out = new RowBytes(1);
      out.number(v);
      assertThat(out.toString()).isEqualTo(Long.toString(v));
    }
  }

  @Test
  void decimalsAreWhatToPlainStringWrites() {
    String[] fixed = {"0", "0.000000000", "0.000069000", "0.5", "1", "12.340", "123456789.123456789",
        "999999999999999999", "0.000000000000000001", "1E+3", "0E+2", "-0.000069000", "-5",
        "1234567890123456789", "0.1234567890123456789", "12345678901234567890.5"};
    for (String v : fixed) {
      assertThat(decimal(new BigDecimal(v))).as(v).isEqualTo(new BigDecimal(v).toPlainString());
    }
    Random random = new Random(24);
    for (int i = 0; i < 20_000; i++) {
      long unscaled = random.nextLong() >>> random.nextInt(64);
      BigDecimal d = new BigDecimal(BigInteger.valueOf(unscaled), random.nextInt(24) - 2);
      assertThat(decimal(d)).as(d.toString()).isEqualTo(d.toPlainString());
    }
  }

  private static String decimal(BigDecimal d) {
    RowBytes out = new RowBytes(1);
    out.raw('[');
    out.decimal(d);
    out.raw(']');
    return out.toString().substring(1, out.length() - 1);
  }

  @Test
  void theBufferGrowsPastItsFirstCapacity() {
    RowBytes out = new RowBytes(1);
    String s = "x".repeat(10_000);
    out.string(s);
    assertThat(out.toString()).isEqualTo('"' + s + '"');
  }

  private static String rowBytes(String s) {
    RowBytes out = new RowBytes(4);
    out.string(s);
    return out.toString();
  }

  private static String jackson(String s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.writeString(s);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
