package io.finops4j.ledger;

import com.fasterxml.jackson.core.io.JsonEOFException;
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
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Blank lines are skipped, and so are <em>torn</em> rows: a JSON object cut short, as a crash mid-write leaves the
 * last line of a file (the next writer then starts a new line after it). Each torn row is reported, by default as
 * a WARN log line, with its file and line number, and counted ({@link #tornRows()}).
 */
public final class JsonlLedgerReader implements Iterator<CallRecord>, Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(JsonlLedgerReader.class);
  /** The default report of a torn row: a WARN line. */
  static final Consumer<String> LOG_TORN = message -> LOG.warn("finops4j ledger: {}", message);

  private final Path file;
  private final BufferedReader in;
  private final Consumer<String> onTorn;
  private long lineNo;
  private long torn;
  private CallRecord next;

  private JsonlLedgerReader(Path file, Consumer<String> onTorn) throws IOException {
    this.file = file;
    this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    this.onTorn = Objects.requireNonNull(onTorn, "onTorn");
  }

  /** A reader over one file (a rotated ledger file or a spill file); torn rows are logged. */
  public static JsonlLedgerReader open(Path file) throws IOException {
    return new JsonlLedgerReader(file, LOG_TORN);
  }

  /** As {@link #open(Path)}, telling {@code onTorn} about each torn row skipped. */
  public static JsonlLedgerReader open(Path file, Consumer<String> onTorn) throws IOException {
    return new JsonlLedgerReader(file, onTorn);
  }

  /** How many torn rows (JSON objects cut short by a crash) were skipped so far. */
  public long tornRows() {
    return torn;
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
    return stream(path, LOG_TORN);
  }

  /**
   * As {@link #stream(Path)}, telling {@code onTorn} about each torn row skipped. One file is open at a time and
   * rows are read as the stream is pulled: not {@code flatMap}, whose {@code iterator()} buffers a whole inner
   * stream (a whole file) before handing out its first row.
   */
  public static Stream<CallRecord> stream(Path path, Consumer<String> onTorn) throws IOException {
    Iterator<Path> paths = (Files.isRegularFile(path) ? List.of(path) : files(path)).iterator();
    JsonlLedgerReader[] current = new JsonlLedgerReader[1];
    Iterator<CallRecord> rows = new Iterator<>() {
      @Override
      public boolean hasNext() {
        while (current[0] == null || !current[0].hasNext()) {
          if (current[0] != null) {
            current[0].closeQuietly();
            current[0] = null;
          }
          if (!paths.hasNext()) {
            return false;
          }
          Path p = paths.next();
          try {
            current[0] = open(p, onTorn);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read ledger file " + p, e);
          }
        }
        return true;
      }

      @Override
      public CallRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current[0].next();
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(rows, Spliterator.ORDERED | Spliterator.NONNULL),
        false).onClose(() -> {
          if (current[0] != null) {
            current[0].closeQuietly();
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
          if (next != null) {
            return true;
          }
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

  /** The row of {@code line}; null for a torn row (reported and counted). */
  private CallRecord parse(String line) {
    try {
      return LedgerJson.parse(line);
    } catch (IllegalArgumentException e) {
      if (line.startsWith("{") && e.getCause() instanceof JsonEOFException) {
        torn++;
        onTorn.accept(file + ":" + lineNo + ": skipped a torn row (a JSON object cut short, as a crash mid-write"
            + " leaves it)");
        return null;
      }
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
