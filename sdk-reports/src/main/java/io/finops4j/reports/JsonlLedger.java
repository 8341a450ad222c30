package io.finops4j.reports;

import io.finops4j.api.spi.CallRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a JSONL ledger file lazily, one {@link CallRecord} per non-blank line, so a report over millions of rows
 * holds aggregates only, never the rows.
 */
public final class JsonlLedger {

  private JsonlLedger() {}

  /**
   * The records of {@code file}, in file order. Close the stream. A bad line fails with a
   * {@link LedgerFormatException} naming the file and line number.
   */
  public static Stream<CallRecord> read(Path file) {
    BufferedReader reader;
    try {
      reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new LedgerFormatException("ledger file not found: " + file);
    } catch (IOException e) {
      throw new LedgerFormatException("cannot open ledger " + file + ": " + e.getMessage(), e);
    }
    Iterator<CallRecord> it = new Iterator<>() {
      private long lineNo;
      private CallRecord next;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        try {
          String line;
          while ((line = reader.readLine()) != null) {
            lineNo++;
            if (!line.isBlank()) {
              try {
                next = LedgerJson.parse(line);
              } catch (IllegalArgumentException e) {
                throw new LedgerFormatException(file + " line " + lineNo + ": " + e.getMessage(), e);
              }
              return true;
            }
          }
          return false;
        } catch (IOException e) {
          throw new UncheckedIOException("reading " + file, e);
        }
      }

      @Override
      public CallRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        CallRecord r = next;
        next = null;
        return r;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
        false).onClose(() -> {
          try {
            reader.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
