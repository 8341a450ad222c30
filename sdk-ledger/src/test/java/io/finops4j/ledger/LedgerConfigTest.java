package io.finops4j.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.ConfigException;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.api.spi.ConfigNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerConfigTest {

  @TempDir Path dir;

  private static ConfigNode ledger(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return ConfigNode.root("app.yaml", "finops4j.ledger", m);
  }

  private static void assertError(ConfigNode node, String path, String message) {
    assertThatThrownBy(() -> LedgerWriter.fromConfig(node)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(path + ": " + message).hasMessageContaining("(in app.yaml)")
        .extracting(e -> ((ConfigException) e).path()).isEqualTo(path);
  }

  @Test
  void badValuesNameTheirPath() {
    assertError(ledger("type", "csv"), "finops4j.ledger.type", "expected one of [jdbc, jsonl, none], got 'csv'");
    assertError(ledger("path", "x.jsonl"), "finops4j.ledger.type", "required value is missing");
    assertError(ledger("type", "jsonl"), "finops4j.ledger.path", "required value is missing");
    assertError(ledger("type", "jsonl", "path", "x.jsonl", "batch-size", "lots"), "finops4j.ledger.batch-size",
        "expected a whole number, got 'lots'");
    assertError(ledger("type", "jsonl", "path", "x.jsonl", "batch-size", 0), "finops4j.ledger.batch-size",
        "expected a whole number from 1 to 100000, got 0");
    assertError(ledger("type", "jsonl", "path", "x.jsonl", "batch-size", 100, "queue-capacity", 10),
        "finops4j.ledger.queue-capacity", "must be at least batch-size (100), got 10");
    assertError(ledger("type", "jsonl", "path", "x.jsonl", "rotate-size", "huge"), "finops4j.ledger.rotate-size",
        "expected a size such as 512KB, 64MB or 1GB, got 'huge'");
    assertError(ledger("type", "jsonl", "path", "x.jsonl", "flush-interval", "soon"),
        "finops4j.ledger.flush-interval", "expected a duration such as 500ms");
    assertError(ledger("type", "jsonl", "path", "x.jsonl", "queue-full-wait", "2m"),
        "finops4j.ledger.queue-full-wait", "expected a duration from 0s to 60s, got '2m'");
    assertError(ledger("type", "jsonl", "path", "x.jsonl", "url", "jdbc:h2:mem:x"), "finops4j.ledger.url",
        "does not apply to type: jsonl");
    assertError(ledger("type", "jdbc", "table", "drop table;"), "finops4j.ledger.table",
        "table must be a name of letters, digits and underscores");
    assertError(ledger("type", "jdbc", "pasword", "x"), "finops4j.ledger.pasword", "unknown key; expected one of");
  }

  @Test
  void noneOrAbsentMeansNoWriter() {
    assertThat(LedgerWriter.fromConfig(ledger("type", "none"))).isNull();
    assertThat(LedgerWriter.fromConfig(ConfigNode.root("app.yaml", "finops4j.ledger", null))).isNull();
  }

  @Test
  void jsonlConfigWritesRotatedFiles() throws Exception {
    Path base = dir.resolve("logs/ledger.jsonl");
    LedgerWriter w = LedgerWriter.fromConfig(ledger("type", "jsonl", "path", base.toString(), "rotate-size", "64MB",
        "batch-size", 2, "flush-interval", "50ms", "queue-capacity", 100, "queue-full-wait", "0ms"));
    try (w) {
      w.onCall(TestRecords.numbered("cfg", 1));
      assertThat(w.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(w.sink().describe()).isEqualTo("jsonl " + base);
    }
    try (Stream<CallRecord> s = JsonlLedgerReader.stream(base)) {
      assertThat(s.map(CallRecord::callId)).containsExactly("cfg-1");
    }
    assertThat(dir.resolve("logs/ledger-2026-11-24.jsonl")).exists();
  }

  @Test
  void jdbcConfigNeverShowsThePassword() throws Exception {
    String url = "jdbc:h2:mem:" + TestRecords.uniqueTable() + ";DB_CLOSE_DELAY=-1";
    LedgerWriter w = LedgerWriter.fromConfig(ledger("type", "jdbc", "url", url + ";password=hunter2", "username",
        "sa", "password", "s3cret", "table", "costs", "spill-path", dir.resolve("spill.jsonl").toString()));
    try (w) {
      assertThat(w.sink().describe()).isEqualTo("jdbc:h2:mem:" + url.substring("jdbc:h2:mem:".length())
          + ";password=**** table costs").doesNotContain("s3cret");
      assertThat(w.sink().toString()).doesNotContain("s3cret");
    }
  }

  @Test
  void driverErrorsNeverQuoteThePassword() {
    JdbcLedgerSink sink = JdbcLedgerSink.builder().url("jdbc:nosuchdb://h/db?password=hunter2").build();
    assertThatThrownBy(() -> sink.write(List.of(TestRecords.sparse("x"))))
        .hasMessage("no JDBC driver on the classpath for jdbc:nosuchdb://h/db?password=****: "
            + "add org.postgresql:postgresql or com.h2database:h2");
  }

  @Test
  void sizesAcceptBinaryUnits() {
    assertThat(LedgerConfig.size(ConfigNode.root(null, "s", "64MB"), 0)).isEqualTo(64L << 20);
    assertThat(LedgerConfig.size(ConfigNode.root(null, "s", "512kb"), 0)).isEqualTo(512L << 10);
    assertThat(LedgerConfig.size(ConfigNode.root(null, "s", "1GB"), 0)).isEqualTo(1L << 30);
    assertThat(LedgerConfig.size(ConfigNode.root(null, "s", 4096), 0)).isEqualTo(4096);
    assertThat(LedgerConfig.size(ConfigNode.root(null, "s", null), 7)).isEqualTo(7);
  }

  @Test
  void defaultQueueHoldsTwoBatchesOfALargeBatchSize() {
    Path base = dir.resolve("q.jsonl");
    LedgerWriter.Builder builder = LedgerWriter.builder().sink(new MemorySink()).shutdownHook(false);
    try (LedgerWriter small = LedgerWriter.fromConfig(ledger("type", "jsonl", "path", base.toString()));
        LedgerWriter large = LedgerWriter.fromConfig(ledger("type", "jsonl", "path", base.toString(),
            "batch-size", 5000));
        LedgerWriter set = LedgerWriter.fromConfig(ledger("type", "jsonl", "path", base.toString(),
            "batch-size", 5000, "queue-capacity", 6000));
        LedgerWriter built = builder.batchSize(3000).spillPath(dir.resolve("a-spill.jsonl")).build();
        LedgerWriter rebuilt = builder.batchSize(5000).spillPath(dir.resolve("b-spill.jsonl")).build()) {
      assertThat(small.queueCapacity()).isEqualTo(4096);
      assertThat(large.queueCapacity()).isEqualTo(10_000);
      assertThat(set.queueCapacity()).isEqualTo(6000);
      assertThat(built.queueCapacity()).isEqualTo(6000);
      assertThat(rebuilt.queueCapacity()).isEqualTo(10_000); // a default follows the builder's batch size
    }
  }

  @Test
  void builderRejectsNonsense() {
    assertThatThrownBy(() -> LedgerWriter.builder().sink(new MemorySink()).batchSize(100).queueCapacity(10).build())
        .hasMessage("queueCapacity (10) must be at least batchSize (100)");
    assertThatThrownBy(() -> JdbcLedgerSink.builder().build())
        .hasMessage("set exactly one of url(...) or dataSource(...)");
  }
}
