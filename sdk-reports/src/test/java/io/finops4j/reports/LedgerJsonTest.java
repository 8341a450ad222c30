package io.finops4j.reports;

import io.finops4j.ledger.LedgerJson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerJsonTest {

  static final String LINE = "{\"ts\":\"2026-11-24T10:00:00Z\",\"call_id\":\"c1\",\"customer\":\"acme\","
      + "\"feature\":\"support-reply\",\"workflow\":\"w1\",\"user\":\"u1\",\"team\":\"t1\",\"environment\":\"prod\","
      + "\"tags\":{\"plan\":\"pro\"},\"task_type\":\"support-reply\",\"tier\":\"medium\","
      + "\"model\":\"openai/gpt-5-mini\",\"input_tokens\":120,\"cached_input_tokens\":20,\"cache_write_tokens\":10,"
      + "\"cache_write_1h_tokens\":5,\"output_tokens\":40,\"reasoning_tokens\":8,\"estimated\":false,"
      + "\"cost_usd\":0.000123456789012,\"saved_usd\":0,\"cache_status\":\"miss\",\"route_reason\":\"tier\","
      + "\"attempts\":2,\"latency_ns\":12500000,\"outcome\":\"ok\",\"error_type\":null,\"price_version\":\"2026-11-01\"}";

  @Test
  void readsTheDocumentedLineFormat() {
    CallRecord r = LedgerJson.parse(LINE);
    assertThat(r.timestamp()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
    assertThat(r.attribution()).isEqualTo(Attribution.builder().customer("acme").feature("support-reply")
        .workflow("w1").user("u1").team("t1").environment("prod").tag("plan", "pro").build());
    assertThat(r.model()).isEqualTo(ModelId.parse("openai/gpt-5-mini"));
    assertThat(r.usage()).isEqualTo(new Usage(120, 40, 20, 10, 5, 8, false, null));
    assertThat(r.costUsd()).isEqualTo(new BigDecimal("0.000123456789012"));
    assertThat(r.latencyNanos()).isEqualTo(12_500_000);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(r.errorType()).isNull();
  }

  @Test
  void readsTimestampsLikeInstantParse() {
    for (String ts : List.of("2026-11-24T10:00:00Z", "2026-11-24T10:00:00.5Z", "2026-11-24T23:59:59.123456789Z",
        "2024-02-29T00:00:00.010Z", "2026-11-24T10:00:00+01:00", "1999-12-31T23:59:59.000001Z")) {
      String line = LINE.replace("2026-11-24T10:00:00Z", ts);
      assertThat(LedgerJson.parse(line).timestamp()).as(ts).isEqualTo(java.time.OffsetDateTime.parse(ts).toInstant());
    }
    assertThatThrownBy(() -> LedgerJson.parse(LINE.replace("2026-11-24T10:00:00Z", "2026-02-30T10:00:00Z")))
        .hasMessageContaining("not a ledger row");
  }

  /** The line the README documents is exactly what the writer writes, and the reader reads it back. */
  @Test
  void theReadmeLineIsWhatTheWriterWrites() throws Exception {
    List<String> readme = Files.readAllLines(Path.of("README.md"));
    int heading = readme.indexOf(readme.stream().filter(l -> l.startsWith("**Ledger line format**")).findFirst()
        .orElseThrow(() -> new AssertionError("README.md has no **Ledger line format** paragraph")));
    String documented = readme.stream().skip(heading).filter(l -> l.startsWith("`{")).findFirst().orElseThrow();
    documented = documented.substring(1, documented.length() - 1);
    assertThat(LedgerJson.write(LedgerJson.parse(documented))).isEqualTo(documented);
    assertThat(LedgerJson.parse(documented)).isEqualTo(LedgerJson.parse(LINE));
  }

  @Test
  void writeThenReadIsTheSameRecord() {
    CallRecord r = LedgerJson.parse(LINE);
    assertThat(LedgerJson.parse(LedgerJson.write(r))).isEqualTo(r);
    assertThat(LedgerJson.write(r)).contains("\"cost_usd\":0.000123456789012");
  }

  @Test
  void badLinesAreNamedByFileAndLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("l.jsonl");
    Files.writeString(f, LINE + "\n\n" + LINE.replace("\"input_tokens\":120", "\"input_tokens\":\"many\"") + "\n");
    try (Stream<CallRecord> rows = JsonlLedger.read(f)) {
      assertThatThrownBy(rows::toList).isInstanceOf(LedgerFormatException.class)
          .hasMessageContaining("l.jsonl:3: not a ledger row");
    }
    Files.writeString(f, "{\"call_id\":\"c\",\"outcome\":\"ok\"}\n");
    try (Stream<CallRecord> rows = JsonlLedger.read(f)) {
      assertThatThrownBy(rows::toList).hasMessageContaining("l.jsonl:1: not a ledger row");
    }
  }

  @Test
  void readsEveryLineOfAFile(@TempDir Path dir) throws Exception {
    List<CallRecord> all = TestLedger.records();
    Path f = dir.resolve("l.jsonl");
    Files.write(f, all.stream().map(LedgerJson::write).toList());
    try (Stream<CallRecord> rows = JsonlLedger.read(f)) {
      assertThat(rows.toList()).isEqualTo(all);
    }
  }
}
