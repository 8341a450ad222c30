package io.finops4j.ledger;

import io.finops4j.api.spi.CallRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * Appends ledger rows to JSON Lines files, one object per line, rotated by day and by size.
 *
 * <p>For {@code path = logs/ledger.jsonl} the files are {@code logs/ledger-2026-11-24.jsonl}, then
 * {@code logs/ledger-2026-11-24.1.jsonl}, {@code .2.jsonl} ... once a file would grow past the rotate size. A
 * row goes to the file of the day of its own timestamp (UTC unless another zone is set), so a file holds
 * exactly one day. A batch that fails half-way is cut off the file before the error is reported, so the
 * writer's retry does not duplicate rows. {@link JsonlLedgerReader} reads the files back in order.
 */
public final class JsonlLedgerSink implements LedgerSink {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JsonlLedgerSink.class);

  /** Default size at which a day's file rolls over to the next index: 64 MiB. */
  public static final long DEFAULT_ROTATE_SIZE = 64L * 1024 * 1024;

  private final LedgerFiles files;
  private final long rotateSize;
  private final ZoneId zone;
  private final boolean fsync;
  /** The batch's rows, written to the file from this buffer's own array. */
  private final RowBytes buffer = new RowBytes(64 * 1024);

  private FileChannel channel;
  private LedgerDay open;
  /** The day of the last row written; immutable, so a race only costs working it out again. */
  private volatile DaySpan lastDay;

  private JsonlLedgerSink(Builder b) {
    this.files = new LedgerFiles(Objects.requireNonNull(b.path, "path"));
    this.rotateSize = b.rotateSize;
    this.zone = b.zone;
    this.fsync = b.fsync;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A sink with the defaults: UTC days, 64 MiB files, no fsync per batch. */
  public static JsonlLedgerSink of(Path path) {
    return builder().path(path).build();
  }

  @Override
  public void write(List<CallRecord> records) throws IOException {
    writeRows(records);
  }

  /** As {@link #write}, for rows that are {@link CallRecord}s or {@link EncodedRow}s. */
  void writeRows(List<?> rows) throws IOException {
    int i = 0;
    while (i < rows.size()) {
      // One run of consecutive rows of the same day goes to that day's file in one write.
      LocalDate day = dayOf(rows.get(i));
      buffer.reset();
      while (i < rows.size() && dayOf(rows.get(i)).equals(day)) {
        EncodedRow.writeLine(buffer, rows.get(i++));
      }
      append(day, buffer.view());
    }
  }

  private void append(LocalDate day, ByteBuffer buf) throws IOException {
    if (open == null || !open.day.equals(day)) {
      openDay(day, files.lastIndex(day));
    }
    long before = channel.size();
    if (before > 0 && before + buf.remaining() > rotateSize) {
      openDay(day, open.index + 1);
      before = 0;
    }
    try {
      while (buf.hasRemaining()) {
        channel.write(buf, channel.size());
      }
      if (fsync) {
        channel.force(false);
      }
    } catch (IOException e) {
      // Leave the file as it was, so the retried batch is not written twice.
      try {
        channel.truncate(before);
      } catch (IOException ignored) {
        // the original error is the one to report
      }
      closeChannel();
      throw e;
    }
  }

  private void openDay(LocalDate day, int index) throws IOException {
    closeChannel();
    Path file = files.file(day, index);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (channel.size() >= rotateSize) {
      openDay(day, index + 1);
      return;
    }
    endTornLine(file);
    open = new LedgerDay(day, index);
  }

  /**
   * A file whose last byte is not a newline ends in a row cut short (the process died mid-write): start a new line,
   * so the next row is not glued to the fragment. Readers skip and report the fragment.
   */
  private void endTornLine(Path file) throws IOException {
    long size = channel.size();
    if (size == 0) {
      return;
    }
    ByteBuffer last = ByteBuffer.allocate(1);
    channel.read(last, size - 1);
    if (last.get(0) != '\n') {
      LOG.warn("finops4j ledger: {} ends in a torn row (a crash mid-write?); new rows start on the next line", file);
      channel.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
    }
  }

  private LocalDate dayOf(Object row) {
    // rows come in time order, so nearly every row falls in the day of the one before: compare seconds rather than
    // ask the zone (a ZoneOffset builds its ZoneRules on every call)
    long second = row instanceof EncodedRow e ? e.epochSecond : ((CallRecord) row).timestamp().getEpochSecond();
    DaySpan d = lastDay;
    if (d != null && second >= d.startSecond && second < d.endSecond) {
      return d.day;
    }
    LocalDate day = LocalDate.ofInstant(java.time.Instant.ofEpochSecond(second), zone);
    lastDay = new DaySpan(day, day.atStartOfDay(zone).toEpochSecond(),
        day.plusDays(1).atStartOfDay(zone).toEpochSecond());
    return day;
  }

  /** One day of the sink's zone and the epoch seconds it spans, {@code [startSecond, endSecond)}. */
  private record DaySpan(LocalDate day, long startSecond, long endSecond) {}

  private void closeChannel() throws IOException {
    open = null;
    if (channel != null) {
      FileChannel c = channel;
      channel = null;
      c.close();
    }
  }

  @Override
  public String describe() {
    return "jsonl " + files.base();
  }

  @Override
  public void close() throws IOException {
    closeChannel();
  }

  private record LedgerDay(LocalDate day, int index) {}

  /** Builds a {@link JsonlLedgerSink}. */
  public static final class Builder {
    private Path path;
    private long rotateSize = DEFAULT_ROTATE_SIZE;
    private ZoneId zone = ZoneOffset.UTC;
    private boolean fsync;

    private Builder() {}

    /** The base path, e.g. {@code ledger.jsonl}; files are named {@code ledger-DATE[.N].jsonl} beside it. */
    public Builder path(Path path) { this.path = path; return this; }

    /** Roll to the next file of the day once a file would pass this many bytes. */
    public Builder rotateSize(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("rotateSize must be at least 1024 bytes, got " + bytes);
      }
      this.rotateSize = bytes;
      return this;
    }

    /** The zone whose calendar days name the files; UTC by default. */
    public Builder zone(ZoneId zone) { this.zone = Objects.requireNonNull(zone, "zone"); return this; }

    /** Force every batch to disk before it counts as written (slower; survives power loss). */
    public Builder fsync(boolean fsync) { this.fsync = fsync; return this; }

    public JsonlLedgerSink build() {
      return new JsonlLedgerSink(this);
    }
  }
}
