package io.finops4j.reports.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.ledger.JdbcLedgerSink;
import io.finops4j.ledger.testing.TestPostgres;
import io.finops4j.reports.TestLedger;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The same report from a PostgreSQL ledger as from the JSONL ledger of the same rows. */
class JdbcLedgerCliTest {

  private static final String URL = TestPostgres.url();

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = Finops4jCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute(args)).as(String.join(" ", args)).isZero();
    return out.toString();
  }

  @Test
  void aReportFromPostgresEqualsTheReportFromJsonl(@TempDir Path dir) throws Exception {
    String table = "ledger_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (JdbcLedgerSink sink = JdbcLedgerSink.builder().url(URL).table(table).build()) {
      sink.write(TestLedger.records());
    }
    try {
      Path jsonl = io.finops4j.reports.CliFixtures.writeLedger(dir.resolve("ledger.jsonl"));
      String fromFile = run("report", "--ledger", jsonl.toString(), "--format", "json", "--from", "2026-11-01");
      String fromDb = run("report", "--jdbc", URL, "--table", table, "--format", "json", "--from", "2026-11-01");
      // Same figures; the database returns NUMERIC(20,9) money at scale 9, so compare numbers by value.
      ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
      JsonNode a = json.readTree(fromFile);
      JsonNode b = json.readTree(fromDb);
      assertThat(a.equals((x, y) -> x.isNumber() && y.isNumber()
          ? x.decimalValue().compareTo(y.decimalValue()) : x.equals(y) ? 0 : 1, b)).as(fromDb).isTrue();
      assertThat(fromDb).contains("wf-runaway");
    } finally {
      TestPostgres.dropLedger(table);
    }
  }
}
