package io.finops4j.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Compacts closed JSONL ledger files to Parquet, one Parquet file per JSONL file, written by DuckDB in process
 * ({@code org.duckdb:duckdb_jdbc} on the class path; no Hadoop). The JSONL ledger stays the write format
 * (append-only, a torn last row is all a crash can cost); a file is compacted once the sink has moved on from it
 * (a rotated file of an earlier day, or one it rotated away from for size). Every column is kept, with the types
 * of {@link FileLedger#COLUMNS}, so the Parquet file is the same ledger, 27 times smaller for the benchmark ledger,
 * and read several times faster by showback ({@link Showback#ofJsonl}), which reads a directory of both formats.
 *
 * <pre>{@code
 * LedgerCompaction.compact(List.of(Path.of("logs/ledger-2026-11-23.jsonl")), Path.of("logs"), false);
 * // logs/ledger-2026-11-23.parquet; the JSONL file deleted
 * }</pre>
 */
public final class LedgerCompaction {

  private LedgerCompaction() {}

  /**
   * Writes {@code dir/<name>.parquet} for each JSONL file, then deletes the JSONL file unless {@code keep}. The
   * Parquet file is written under a temporary name and moved into place, so a reader sees it whole or not at all;
   * while both exist (a stopped compaction, or {@code keep}) readers take the Parquet file and skip its JSONL twin.
   * A file DuckDB cannot read (a torn or malformed row) fails with its name, and nothing of it is written.
   *
   * @return the Parquet files written, in the order of {@code jsonl}
   */
  public static List<Path> compact(List<Path> jsonl, Path dir, boolean keep) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    try (Connection c = SqlShowback.duckDbConnection(); Statement st = c.createStatement()) {
      for (Path file : jsonl) {
        if (!Files.isRegularFile(file) || !file.getFileName().toString().endsWith(".jsonl")) {
          throw new IOException("not a JSONL ledger file: " + file);
        }
        Path target = dir.resolve(FileLedger.stem(file) + ".parquet");
        Path tmp = dir.resolve(FileLedger.stem(file) + ".parquet.tmp");
        try {
          st.execute("COPY (SELECT * FROM " + FileLedger.readJson(List.of(file), List.copyOf(FileLedger.COLUMNS
              .keySet())) + ") TO " + FileLedger.literal(tmp) + " (FORMAT parquet, COMPRESSION zstd)");
        } catch (SQLException e) {
          Files.deleteIfExists(tmp);
          throw new IOException("cannot compact ledger file " + file + ": " + e.getMessage(), e);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (!keep) {
          Files.delete(file);
        }
        written.add(target);
      }
    } catch (SQLException e) {
      throw new IOException("cannot start DuckDB to compact the ledger: " + e.getMessage(), e);
    }
    return written;
  }
}
