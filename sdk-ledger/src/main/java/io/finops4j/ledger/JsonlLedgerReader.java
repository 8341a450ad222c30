package io.finops4j.ledger;

import com.fasterxml.jackson.core.JsonParser;
import io.finops4j.api.spi.CallRecord;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams {@link CallRecord}s back from JSONL ledger files, one line at a time (constant memory).
 *
 * <pre>{@code
 * try (Stream<CallRecord> rows = JsonlLedgerReader.stream(Path.of("ledger.jsonl"))) {
 *   BigDecimal total = rows.map(CallRecord::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
 * }
 * }</pre>
 *
 * A line that is not a ledger row fails with an {@link UncheckedIOException} naming the file and line number.
 * Blank lines are skipped.
 */
public final class JsonlLedgerReader implements Iterator<CallRecord>, Closeable {

  private final Path file;
  private final BufferedReader in;
  private long lineNo;
  private CallRecord next;

  private JsonlLedgerReader(Path file) throws IOException {
    this.file = file;
    this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
  }

  /** A reader over one file (a rotated ledger file or a spill file). */
  public static JsonlLedgerReader open(Path file) throws IOException {
    return new JsonlLedgerReader(file);
  }

  /**
   * The files of the ledger whose base path is {@code base} (as given to {@link JsonlLedgerSink}), oldest first:
   * {@code ledger-2026-11-23.jsonl}, {@code ledger-2026-11-24.jsonl}, {@code ledger-2026-11-24.1.jsonl} ...
   */
  public static List<Path> files(Path base) throws IOException {
    return new LedgerFiles(base).all();
  }

  /**
   * All rows of a ledger, oldest file first: {@code path} is either one file, or the base path of a rotated
   * ledger. Close the stream to close the open file.
   */
  public static Stream<CallRecord> stream(Path path) throws IOException {
    List<Path> paths = Files.isRegularFile(path) ? List.of(path) : files(path);
    return paths.stream().flatMap(p -> {
      try {
        JsonlLedgerReader r = open(p);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(r, Spliterator.ORDERED | Spliterator.NONNULL),
            false).onClose(r::closeQuietly);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read ledger file " + p, e);
      }
    });
  }

  /** The number of the last line read, for messages. */
  public long lineNumber() {
    return lineNo;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    try {
      String line;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (!line.isBlank()) {
          next = parse(line);
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ledger file " + file + " at line " + (lineNo + 1), e);
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

  private CallRecord parse(String line) {
    try {
      return LedgerJson.parse(line);
    } catch (IllegalArgumentException e) {
      throw new UncheckedIOException(new IOException(file + ":" + lineNo + ": " + e.getMessage(), e));
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException ignored) {
      // nothing left to do with a file we only read
    }
  }
}
