package io.finops4j.reports;

import io.finops4j.api.spi.CallRecord;
import io.finops4j.ledger.JsonlLedgerReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a JSONL ledger lazily, as the ledger module wrote it (one file, or the base path of a rotated ledger), so a
 * report over millions of rows holds aggregates only, never the rows.
 */
public final class JsonlLedger {

  private JsonlLedger() {}

  /**
   * The records of {@code path}, oldest first. Close the stream. A bad line fails with a
   * {@link LedgerFormatException} naming the file and line number.
   */
  public static Stream<CallRecord> read(Path path) {
    return read(path, null);
  }

  /**
   * As {@link #read(Path)}, telling {@code onTorn} (null: a WARN log line) about each torn row skipped: a row cut
   * short by a crash mid-write, named by file and line.
   */
  public static Stream<CallRecord> read(Path path, java.util.function.Consumer<String> onTorn) {
    Stream<CallRecord> rows;
    try {
      if (!Files.exists(path) && JsonlLedgerReader.files(path).isEmpty()) {
        throw new LedgerFormatException("ledger file not found: " + path);
      }
      rows = onTorn == null ? JsonlLedgerReader.stream(path) : JsonlLedgerReader.stream(path, onTorn);
    } catch (IOException e) {
      throw new LedgerFormatException("cannot open ledger " + path + ": " + e.getMessage(), e);
    }
    Iterator<CallRecord> it = rows.iterator();
    Iterator<CallRecord> named = new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return it.hasNext();
        } catch (UncheckedIOException e) {
          throw new LedgerFormatException(e.getCause().getMessage(), e);
        }
      }

      @Override
      public CallRecord next() {
        hasNext();
        return it.next();
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(named, Spliterator.ORDERED | Spliterator.NONNULL),
        false).onClose(rows::close);
  }
}
