package io.finops4j.reports.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.reports.CliFixtures;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class Finops4jCliTest {

  @TempDir
  Path dir;

  private Path ledger;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void writeLedger() throws Exception {
    ledger = CliFixtures.writeLedger(dir.resolve("ledger.jsonl"));
  }

  private int run(String... args) {
    CommandLine cli = Finops4jCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** The CSV row of the output that starts with {@code key}. */
  private String[] csvRow(String key) {
    return out.toString().lines().filter(l -> l.startsWith(key + ",")).findFirst().orElseThrow().split(",");
  }

  @Test
  void reportPrintsAlignedTables() {
    assertThat(run("report", "--ledger", ledger.toString(), "--from", "2026-11-01", "--to", "2026-11-28")).isZero();
    String text = out.toString();
    assertThat(text).contains("By customer").contains("Top workflows").contains("Loop tail (above p99)");
    // Numbers are right-aligned: every line of the totals table ends at the same column.
    String[] totals = text.substring(text.indexOf("Totals\n") + 7).split("\n", 4);
    assertThat(totals[0].length()).isEqualTo(totals[2].length());
    assertThat(totals[2]).matches(".* 15\\.934650 +0\\.027300");
  }

  @Test
  void csvCellsThatASpreadsheetWouldRunAsAFormulaAreNeutralised() throws Exception {
    java.util.List<String> rows = new java.util.ArrayList<>();
    String[] customers = {"=HYPERLINK(\"http://evil\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
        "\u0000=1"};
    int i = 0;
    for (String customer : customers) {
      // written as a ledger row would be by another tool: the builder refuses control characters
      String row = io.finops4j.ledger.LedgerJson.write(io.finops4j.reports.TestLedger.records().get(i++));
      rows.add(row.replaceFirst("\"customer\":\"[^\"]*\"", java.util.regex.Matcher.quoteReplacement(
          "\"customer\":" + new ObjectMapper().writeValueAsString(customer))));
    }
    Files.write(ledger, rows);
    assertThat(run("report", "--ledger", ledger.toString(), "--format", "csv")).as(err::toString).isZero();
    String csv = out.toString();
    assertThat(csv).contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"", "'+1+cmd|' /C calc'!A0", "'-2+3",
        "'@SUM(A1)");
    for (String line : csv.lines().toList()) {
      assertThat(line).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-").doesNotStartWith("@")
          .doesNotContain(",=").doesNotContain(",+").doesNotContain(",@").doesNotContain(",-2")
          .doesNotContain("\u0000");
    }
  }

  @Test
  void ledgerCompactWritesParquetThatReportReadsToTheSameFigures() throws Exception {
    assertThat(run("report", "--ledger", ledger.toString(), "--format", "json")).isZero();
    String fromJsonl = out.toString();
    out.getBuffer().setLength(0);
    Path day = Files.move(ledger, dir.resolve("ledger-2026-11-01.jsonl"));
    assertThat(run("ledger", "compact", day.toString(), "--to", dir.toString())).as(err::toString).isZero();
    assertThat(out.toString()).contains(day + " (").contains("ledger-2026-11-01.parquet (");
    assertThat(day).doesNotExist();
    out.getBuffer().setLength(0);
    assertThat(run("report", "--ledger", dir.toString(), "--format", "json")).as(err::toString).isZero();
    assertThat(out.toString()).isEqualTo(fromJsonl);
  }

  @Test
  void aTornLastRowIsSkippedAndReportedNotFatal() throws Exception {
    String whole = Files.readString(ledger);
    String lastRow = whole.substring(whole.lastIndexOf('\n', whole.length() - 2) + 1);
    Files.writeString(ledger, whole + lastRow.substring(0, lastRow.length() / 2)); // a crash mid-write
    assertThat(run("report", "--ledger", ledger.toString(), "--format", "json")).as(err::toString).isZero();
    assertThat(err.toString()).contains(ledger + ":" + (whole.lines().count() + 1) + ": skipped a torn row");
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.at("/tables/Totals/0/cost_usd").decimalValue()).isEqualByComparingTo("15.93465");
  }

  @Test
  void reportAsJsonHasExactMoney() throws Exception {
    assertThat(run("report", "--ledger", ledger.toString(), "--format", "json")).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.at("/tables/Totals/0/cost_usd").decimalValue()).isEqualByComparingTo("15.93465");
    assertThat(json.at("/tables/By customer/2/customer").asText()).isEqualTo("tiny-co");
  }

  @Test
  void reportAsHtmlToAFile() throws Exception {
    Path page = dir.resolve("showback.html");
    assertThat(run("report", "--ledger", ledger.toString(), "--format", "html", "-o", page.toString())).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(Files.readString(page)).contains("<svg ").doesNotContain("http");
  }

  @Test
  void anomaliesExitOneOnlyWhenAskedToFail() {
    assertThat(run("anomalies", "--ledger", ledger.toString(), "--session-cost", "5")).isZero();
    assertThat(out.toString()).contains("COSTLY_SESSION").contains("wf-runaway");
    assertThat(run("anomalies", "--ledger", ledger.toString(), "--fail-on-anomaly")).isEqualTo(Finops4jCli.FINDINGS);
    assertThat(run("anomalies", "--ledger", ledger.toString(), "--fail-on-anomaly", "--from", "2026-11-01",
        "--to", "2026-11-14")).isEqualTo(Finops4jCli.OK);
  }

  @Test
  void forecastPrintsItsAssumptions() {
    assertThat(run("forecast", "--ledger", ledger.toString(), "--format", "csv")).isZero();
    String[] sr = csvRow("support-reply");
    assertThat(new BigDecimal(sr[1])).isEqualByComparingTo("6.825");
    assertThat(sr[2]).isEqualTo("210");
    assertThat(new BigDecimal(sr[9])).isEqualByComparingTo("7.455");
    assertThat(out.toString()).contains("\nTOTAL,");
    assertThat(run("forecast", "--ledger", ledger.toString())).isZero();
    assertThat(out.toString()).contains("* Prices: as recorded on the ledger rows");
  }

  @Test
  void replaySubstitutesAModelFromThePriceFile() throws Exception {
    Path prices = CliFixtures.writePrices(dir.resolve("prices.json"));
    assertThat(run("replay", "--ledger", ledger.toString(), "--prices", prices.toString(), "--feature",
        "support-reply", "--model", "anthropic/claude-haiku-4-5", "--format", "csv")).isZero();
    String[] sr = csvRow("support-reply");
    assertThat(sr[1]).isEqualTo("650");
    assertThat(new BigDecimal(sr[4])).isEqualByComparingTo("2.275");
    assertThat(new BigDecimal(sr[5])).isEqualByComparingTo("-4.55");
  }

  @Test
  void reconcileExitsOneOnDriftWhenAsked() throws Exception {
    Path export = CliFixtures.writeExport(dir.resolve("export.csv"));
    assertThat(run("reconcile", "--ledger", ledger.toString(), "--export", export.toString())).isZero();
    assertThat(out.toString()).contains("UNTRACKED");
    assertThat(run("reconcile", "--ledger", ledger.toString(), "--export", export.toString(), "--fail-on-drift"))
        .isEqualTo(Finops4jCli.FINDINGS);
  }

  @Test
  void anUnreachableLedgerDatabaseIsAnInputErrorWithoutThePassword() {
    assertThat(run("report", "--jdbc", "jdbc:postgresql://127.0.0.1:1/x?user=u&password=hunter2"))
        .isEqualTo(Finops4jCli.INPUT);
    assertThat(err.toString()).contains("cannot open the ledger database").doesNotContain("hunter2");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("report")).isEqualTo(Finops4jCli.USAGE);
    assertThat(err.toString()).contains("--ledger");
    assertThat(run("report", "--ledger", ledger.toString(), "--format", "pdf")).isEqualTo(Finops4jCli.USAGE);
    assertThat(run("report", "--ledger", ledger.toString(), "--from", "2026-11-10", "--to", "2026-11-01"))
        .isEqualTo(Finops4jCli.USAGE);
    assertThat(run("report", "--jdbc", "jdbc:postgresql://127.0.0.1:5432/test", "--table", "no;table"))
        .isEqualTo(Finops4jCli.USAGE);
    assertThat(err.toString()).contains("--table: table must be a name of letters");
    assertThat(run("replay", "--ledger", ledger.toString(), "--prices", "p.json", "--feature", "x"))
        .isEqualTo(Finops4jCli.USAGE);
    assertThat(run()).isEqualTo(Finops4jCli.USAGE);
    assertThat(run("nonsense")).isEqualTo(Finops4jCli.USAGE);
  }

  @Test
  void inputErrorsExitThreeAndNameTheFileAndLine() throws Exception {
    assertThat(run("report", "--ledger", dir.resolve("missing.jsonl").toString())).isEqualTo(Finops4jCli.INPUT);
    assertThat(err.toString()).contains("ledger file not found").contains("missing.jsonl");
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, Files.readAllLines(ledger).get(0) + "\n{not json\n");
    assertThat(run("report", "--ledger", bad.toString())).isEqualTo(Finops4jCli.INPUT);
    assertThat(err.toString()).contains("bad.jsonl:2: not a ledger row");
    assertThat(run("replay", "--ledger", ledger.toString(), "--prices", dir.resolve("none.json").toString()))
        .isEqualTo(Finops4jCli.INPUT);
  }

  @Test
  void pricesDiffListsWhereTheBundledTableAndLiteLlmDisagree() {
    // An excerpt of LiteLLM's real price map (sdk-core's test resources, litellm/SOURCE.md says which entries).
    Path litellm = Path.of("../sdk-core/src/test/resources/io/finops4j/core/litellm/model_prices_excerpt.json");
    assertThat(run("prices", "diff", "--litellm", litellm.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("differs openai/gpt-5-pro: max-output-tokens 272000 (finops4j) vs 128000 (litellm)")
        .contains("only in litellm: openai/chatgpt-4o-latest");

    assertThat(run("prices", "diff", "--litellm", dir.resolve("missing.json").toString())).isEqualTo(3);
    assertThat(err.toString()).contains("price map not found").contains("missing.json");
  }

  @Test
  void helpForEveryCommand() {
    for (String cmd : new String[] {"report", "anomalies", "forecast", "replay", "reconcile", "prices"}) {
      assertThat(run(cmd, "--help")).isZero();
      assertThat(out.toString()).contains("Usage: finops4j " + cmd);
    }
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Exit codes:").contains("3   input error");
  }
}
