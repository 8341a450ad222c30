package io.finops4j.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkRoundTripTest {

  @TempDir Path dir;
  private final List<String> pgTables = new ArrayList<>();

  @AfterEach
  void dropTables() throws SQLException {
    for (String t : pgTables) {
      TestRecords.dropPg(t);
    }
  }

  @Test
  void jsonlKeepsEveryFieldExactly() throws Exception {
    List<CallRecord> rows = List.of(TestRecords.full("a"), TestRecords.sparse("b"),
        TestRecords.full("c").toBuilder().timestamp(Instant.parse("2026-11-24T10:15:30.123456789Z")).build());
    try (JsonlLedgerSink sink = JsonlLedgerSink.of(dir.resolve("ledger.jsonl"))) {
      sink.write(rows);
    }
    List<CallRecord> back;
    try (Stream<CallRecord> s = JsonlLedgerReader.stream(dir.resolve("ledger.jsonl"))) {
      back = s.toList();
    }
    assertThat(back).containsExactlyElementsOf(rows);
    assertExact(back.get(0), back.get(1));
    assertThat(back.get(2).timestamp().getNano()).isEqualTo(123456789);
  }

  @Test
  void jsonlLineIsPlainJsonWithNumbersForMoney() throws Exception {
    try (JsonlLedgerSink sink = JsonlLedgerSink.of(dir.resolve("ledger.jsonl"))) {
      sink.write(List.of(TestRecords.sparse("b")));
    }
    String line = java.nio.file.Files.readString(dir.resolve("ledger-2026-11-24.jsonl"));
    assertThat(line).isEqualTo("{\"ts\":\"2026-11-24T23:59:59.999999Z\",\"call_id\":\"b\",\"input_tokens\":0,"
        + "\"cached_input_tokens\":0,\"cache_write_tokens\":0,\"cache_write_1h_tokens\":0,\"output_tokens\":0,"
        + "\"reasoning_tokens\":0,\"estimated\":false,\"cost_usd\":0,\"saved_usd\":0,\"cache_status\":\"off\","
        + "\"attempts\":0,\"latency_ns\":0,\"outcome\":\"rejected_budget\"}\n");
  }

  @Test
  void h2KeepsEveryFieldExactly() throws Exception {
    String url = "jdbc:h2:mem:" + TestRecords.uniqueTable() + ";DB_CLOSE_DELAY=-1";
    List<CallRecord> rows = List.of(TestRecords.full("a"), TestRecords.sparse("b"),
        TestRecords.full("c").toBuilder().timestamp(Instant.parse("2026-11-24T10:15:30.123456789Z")).build());
    try (JdbcLedgerSink sink = JdbcLedgerSink.builder().url(url).build()) {
      sink.write(rows);
      sink.write(rows); // a retried batch: no duplicates
    }
    List<CallRecord> back = readAll(url, JdbcLedgerSink.DEFAULT_TABLE);
    assertThat(back).containsExactlyElementsOf(rows);
    assertExact(back.get(0), back.get(1));
    assertThat(schemaVersion(url, JdbcLedgerSink.DEFAULT_TABLE)).isEqualTo(JdbcLedgerSink.SCHEMA_VERSION);
  }

  @Test
  void postgresKeepsEveryFieldExactly() throws Exception {
    String table = pgTable();
    List<CallRecord> rows = List.of(TestRecords.full("a"), TestRecords.sparse("b"));
    try (JdbcLedgerSink sink = JdbcLedgerSink.builder().url(TestRecords.pgUrl()).table(table).build()) {
      sink.write(rows);
      sink.write(rows); // a retried batch: no duplicates
      sink.write(List.of(TestRecords.full("a").toBuilder().costUsd(BigDecimal.ONE).build())); // first row wins
    }
    List<CallRecord> back = readAll(TestRecords.pgUrl(), table);
    assertThat(back).containsExactlyElementsOf(rows);
    assertExact(back.get(0), back.get(1));
    assertThat(schemaVersion(TestRecords.pgUrl(), table)).isEqualTo(JdbcLedgerSink.SCHEMA_VERSION);
  }

  @Test
  void everySinkLeavesOutTheUsageFieldsThatAreZero() throws Exception {
    List<CallRecord> rows = List.of(TestRecords.numbered("z", 1).toBuilder().usage(TestRecords.openAiUsage()).build(),
        TestRecords.numbered("z", 2).toBuilder().usage(Usage.builder().raw("prompt_tokens", 0).build()).build());
    Map<String, Long> nonZero = Map.of("prompt_tokens", 19L, "completion_tokens", 10L, "total_tokens", 29L,
        "service_tier=default", 1L);

    try (JsonlLedgerSink sink = JsonlLedgerSink.of(dir.resolve("ledger.jsonl"))) {
      sink.write(rows);
    }
    List<CallRecord> jsonl;
    try (Stream<CallRecord> s = JsonlLedgerReader.stream(dir.resolve("ledger.jsonl"))) {
      jsonl = s.toList();
    }
    String h2 = "jdbc:h2:mem:" + TestRecords.uniqueTable() + ";DB_CLOSE_DELAY=-1";
    String pg = pgTable();
    try (JdbcLedgerSink h2Sink = JdbcLedgerSink.builder().url(h2).build();
        JdbcLedgerSink pgSink = JdbcLedgerSink.builder().url(TestRecords.pgUrl()).table(pg).build()) {
      h2Sink.write(rows);
      pgSink.write(rows);
    }

    for (List<CallRecord> back : List.of(jsonl, readAll(h2, JdbcLedgerSink.DEFAULT_TABLE),
        readAll(TestRecords.pgUrl(), pg))) {
      assertThat(back).extracting(r -> r.usage().raw()).containsExactly(nonZero, Map.of());
      assertThat(back).extracting(CallRecord::costUsd).containsExactly(rows.get(0).costUsd(), rows.get(1).costUsd());
    }
  }

  @Test
  void postgresStoresMicrosecondsTruncatingFinerTimestamps() throws Exception {
    String table = pgTable();
    CallRecord nanos = TestRecords.sparse("n").toBuilder().timestamp(Instant.parse("2026-11-24T23:59:59.999999999Z"))
        .build();
    try (JdbcLedgerSink sink = JdbcLedgerSink.builder().url(TestRecords.pgUrl()).table(table).build()) {
      sink.write(List.of(nanos));
    }
    // Truncated, not rounded: the row stays on its own day.
    assertThat(readAll(TestRecords.pgUrl(), table).get(0).timestamp())
        .isEqualTo(Instant.parse("2026-11-24T23:59:59.999999Z"));
  }

  @Test
  void postgresSchemaHasReportIndexesAndNumericMoney() throws Exception {
    String table = pgTable();
    try (JdbcLedgerSink sink = JdbcLedgerSink.builder().url(TestRecords.pgUrl()).table(table).build()) {
      sink.migrate();
      sink.migrate(); // idempotent
    }
    List<String> indexes = new ArrayList<>();
    String costType;
    try (Connection c = DriverManager.getConnection(TestRecords.pgUrl()); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT indexdef FROM pg_indexes WHERE tablename = '" + table + "'")) {
        while (rs.next()) {
          indexes.add(rs.getString(1).replaceAll(".* USING btree ", ""));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT numeric_precision, numeric_scale FROM information_schema.columns "
          + "WHERE table_name = '" + table + "' AND column_name = 'cost_usd'")) {
        rs.next();
        costType = rs.getInt(1) + "," + rs.getInt(2);
      }
    }
    assertThat(indexes).containsExactlyInAnyOrder("(call_id)", "(ts)", "(customer, ts)", "(feature, ts)",
        "(workflow, ts)", "(model, ts)");
    assertThat(costType).isEqualTo("20,9");
  }

  @Test
  void postgresAcceptsNulCharactersWhichItCannotStore() throws Exception {
    // PostgreSQL rejects U+0000 in text and jsonb: one such value would make the batch fail for ever. Attribution
    // refuses NUL (AttributionTest); other text, such as a caller-made call id, may still carry one.
    String table = pgTable();
    CallRecord nul = TestRecords.sparse("nul\u0000id");
    try (JdbcLedgerSink sink = JdbcLedgerSink.builder().url(TestRecords.pgUrl()).table(table).build()) {
      sink.write(List.of(nul));
    }
    CallRecord back = readAll(TestRecords.pgUrl(), table).get(0);
    assertThat(back.callId()).isEqualTo("nul\uFFFDid");
  }

  private String pgTable() {
    String t = TestRecords.uniqueTable();
    pgTables.add(t);
    return t;
  }

  /** The fields equals() compares loosely, compared strictly. */
  private static void assertExact(CallRecord full, CallRecord sparse) {
    assertThat(full.costUsd().toPlainString()).isEqualTo("12345678901.123456789");
    assertThat(full.savedUsd()).isEqualByComparingTo("0.000000001");
    assertThat(full.estimated()).isTrue();
    assertThat(full.attribution().tags()).containsExactlyInAnyOrderEntriesOf(
        java.util.Map.of("region", "eu-west-1", "plan", "pro ✓"));
    assertThat(full.usage().raw()).containsEntry("cached_tokens", 800L);
    assertThat(sparse.attribution().customer()).isNull();
    assertThat(sparse.model()).isNull();
    assertThat(sparse.taskType()).isNull();
    assertThat(sparse.errorType()).isNull();
    assertThat(sparse.estimated()).isFalse();
    assertThat(sparse.costUsd()).isEqualByComparingTo("0");
  }

  static List<CallRecord> readAll(String url, String table) throws SQLException {
    List<CallRecord> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY call_id")) {
      while (rs.next()) {
        out.add(LedgerColumns.read(rs));
      }
    }
    return out;
  }

  static int schemaVersion(String url, String table) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + table + "_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
