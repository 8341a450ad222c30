package io.finops4j.reports;

import io.finops4j.ledger.JsonlLedgerReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files of a file ledger: JSONL files as the sink writes them, and Parquet files compacted from closed ones
 * ({@link LedgerCompaction}). A JSONL file whose Parquet twin (same name, {@code .parquet}) exists is left out, so
 * a compaction stopped between writing the twin and deleting the JSONL file never counts a row twice.
 *
 * @param jsonl the JSONL files to read
 * @param parquet the Parquet files to read
 */
record FileLedger(List<Path> jsonl, List<Path> parquet) {

  /**
   * The ledger's columns and their DuckDB types, as the JSONL writer names them: the one place the file ledger's
   * schema is spelled for DuckDB (reading JSONL, writing and reading Parquet). Money is read from JSON numbers as
   * {@code DECIMAL(18,9)}: exact to the nano-USD below $1,000,000 a row.
   */
  static final Map<String, String> COLUMNS = columns();

  /** The columns showback reads. */
  static final List<String> SHOWBACK = List.of("ts", "customer", "feature", "workflow", "model", "tier",
      "input_tokens", "output_tokens", "cost_usd", "saved_usd", "cache_status", "outcome");

  private static Map<String, String> columns() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("ts", "TIMESTAMP_NS");
    for (String text : List.of("call_id", "customer", "feature", "workflow", "user", "team", "environment")) {
      c.put(text, "VARCHAR");
    }
    c.put("tags", "JSON");
    c.put("task_type", "VARCHAR");
    c.put("tier", "VARCHAR");
    c.put("model", "VARCHAR");
    for (String count : List.of("input_tokens", "cached_input_tokens", "cache_write_tokens", "cache_write_1h_tokens",
        "output_tokens", "reasoning_tokens")) {
      c.put(count, "BIGINT");
    }
    c.put("usage_raw", "JSON");
    c.put("estimated", "BOOLEAN");
    c.put("cost_usd", "DECIMAL(18,9)");
    c.put("saved_usd", "DECIMAL(18,9)");
    c.put("cache_status", "VARCHAR");
    c.put("route_reason", "VARCHAR");
    c.put("attempts", "INTEGER");
    c.put("latency_ns", "BIGINT");
    c.put("outcome", "VARCHAR");
    c.put("error_type", "VARCHAR");
    c.put("price_version", "VARCHAR");
    return Collections.unmodifiableMap(c);
  }

  /**
   * The files of {@code ledger}: one {@code .jsonl} or {@code .parquet} file; a directory (its {@code .jsonl} and
   * {@code .parquet} files, not the writer's {@code -spill} files); or the base path of a rotated ledger
   * ({@code logs/ledger.jsonl}: its dated JSONL files
   * and their Parquet twins next to them).
   */
  static FileLedger of(Path ledger) throws IOException {
    if (Files.isRegularFile(ledger)) {
      return isParquet(ledger) ? new FileLedger(List.of(), List.of(ledger)) : new FileLedger(List.of(ledger),
          List.of());
    }
    List<Path> candidates = new ArrayList<>();
    if (Files.isDirectory(ledger)) {
      try (Stream<Path> files = Files.list(ledger)) {
        // Not the writer's spill files: their rows are still on their way into the ledger.
        files.filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().contains("-spill"))
            .forEach(candidates::add);
      }
    } else {
      candidates.addAll(JsonlLedgerReader.files(ledger));
      Path dir = ledger.toAbsolutePath().getParent();
      String stem = stem(ledger) + "-";
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.list(dir)) {
          files.filter(p -> isParquet(p) && p.getFileName().toString().startsWith(stem)).forEach(candidates::add);
        }
      }
    }
    Set<String> compacted = candidates.stream().filter(FileLedger::isParquet).map(FileLedger::stem)
        .collect(Collectors.toCollection(TreeSet::new));
    List<Path> jsonl = candidates.stream().filter(p -> p.getFileName().toString().endsWith(".jsonl"))
        .filter(p -> !compacted.contains(stem(p))).sorted().toList();
    List<Path> parquet = candidates.stream().filter(FileLedger::isParquet).sorted().toList();
    return new FileLedger(jsonl, parquet);
  }

  boolean isEmpty() {
    return jsonl.isEmpty() && parquet.isEmpty();
  }

  static boolean isParquet(Path p) {
    return p.getFileName().toString().endsWith(".parquet");
  }

  /** The file name without its last extension: the name a JSONL file and its Parquet twin share. */
  static String stem(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  /** {@code read_json} of {@code files} with the types of {@code columns}: DuckDB samples nothing, guesses nothing. */
  static String readJson(List<Path> files, List<String> columns) {
    return "read_json(" + list(files) + ", format = 'newline_delimited', columns = {" + columns.stream()
        .map(c -> c + ": '" + COLUMNS.get(c) + "'").collect(Collectors.joining(", ")) + "})";
  }

  /**
   * The rows of every file as one DuckDB relation of {@code columns}: the JSONL and the Parquet files together.
   * The JSONL files are parsed once, into a temporary table of {@code c}: the queries that follow would each parse
   * them again (10M rows: 23 CPU seconds this way, 42 parsing per query). Parquet is read in place.
   */
  String relation(Connection c, List<String> columns) throws SQLException {
    String cols = String.join(", ", columns);
    List<String> parts = new ArrayList<>();
    if (!jsonl.isEmpty()) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TEMP TABLE finops4j_jsonl AS SELECT " + cols + " FROM " + readJson(jsonl, columns));
      }
      parts.add("SELECT " + cols + " FROM finops4j_jsonl");
    }
    if (!parquet.isEmpty()) {
      parts.add("SELECT " + cols + " FROM read_parquet(" + list(parquet) + ")");
    }
    return "(" + String.join(" UNION ALL ", parts) + ")";
  }

  /** A DuckDB list literal of absolute paths. */
  static String list(List<Path> files) {
    return files.stream().map(FileLedger::literal).collect(Collectors.joining(", ", "[", "]"));
  }

  /** A DuckDB string literal of a path, made absolute. */
  static String literal(Path p) {
    return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
  }
}
