package io.finops4j.ledger;

import io.finops4j.api.spi.CallRecord;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local overflow of a {@link LedgerWriter}: JSONL segments {@code <stem>.<seq>.jsonl} beside the configured
 * spill path, replayed in sequence order. Rows are appended to the active segment; the writer seals it (no more
 * appends) before replaying it, and deletes a segment once every row of it is in the sink. Segments left by a
 * previous run are replayed first. A lock file keeps two processes from sharing segments: the second one falls
 * back to a name with its process id.
 *
 * <p>Every method is synchronized: producers append on their own threads while the writer seals and deletes.
 */
final class SpillFile implements Closeable {

  private static final long FIRST_SEQ = 1_000_000_000_000L;

  private final Path dir;
  private final String stem;
  private final String ext;
  private final Pattern segmentName;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Deque<Long> sealed = new ArrayDeque<>();

  private long nextSeq;
  private long activeSeq = -1;
  private long activeRows;
  private OutputStream activeOut;
  /** One row at a time, appended to the active segment. */
  private final RowBytes line = new RowBytes(1024);

  SpillFile(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    this.dir = parent == null ? Path.of(".") : parent;
    Files.createDirectories(dir);
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String baseStem = dot > 0 ? name.substring(0, dot) : name;
    this.ext = dot > 0 ? name.substring(dot) : ".jsonl";
    String chosen = baseStem;
    FileChannel ch = null;
    FileLock l = null;
    for (int attempt = 0; l == null; attempt++) {
      chosen = attempt == 0 ? baseStem : baseStem + "-" + ProcessHandle.current().pid() + (attempt == 1 ? "" : "-" + attempt);
      ch = FileChannel.open(dir.resolve(chosen + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null; // held by another writer in this JVM
      }
      if (l == null) {
        ch.close();
      }
    }
    this.stem = chosen;
    this.lockChannel = ch;
    this.lock = l;
    this.segmentName = Pattern.compile(Pattern.quote(stem) + "\\.(\\d+)" + Pattern.quote(ext));
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        Matcher m = segmentName.matcher(p.getFileName().toString());
        if (m.matches()) {
          found.add(Long.parseLong(m.group(1)));
        }
      }
    }
    Collections.sort(found);
    sealed.addAll(found);
    nextSeq = found.isEmpty() ? FIRST_SEQ : found.get(found.size() - 1) + 1;
  }

  /** The file name pattern, for messages: where a human finds spilled rows. */
  synchronized String location() {
    return dir.resolve(stem + ".*" + ext).toString();
  }

  /** Appends {@code r}, a {@link CallRecord} or an {@link EncodedRow}. */
  synchronized void append(Object r) throws IOException {
    if (activeOut == null) {
      activeSeq = nextSeq++;
      activeOut = new BufferedOutputStream(Files.newOutputStream(segment(activeSeq), StandardOpenOption.CREATE,
          StandardOpenOption.APPEND), 16 * 1024);
      activeRows = 0;
    }
    writeLine(activeOut, r);
    // On disk (in the OS) before the call returns: a spilled row survives a crash of this process.
    activeOut.flush();
    activeRows++;
  }

  synchronized boolean isEmpty() {
    return sealed.isEmpty() && activeRows == 0;
  }

  /** The oldest segment to replay, sealing the active one when nothing older is left; null when empty. */
  synchronized Path nextToReplay() throws IOException {
    if (sealed.isEmpty()) {
      if (activeRows == 0) {
        return null;
      }
      closeActive();
      sealed.addLast(activeSeq);
      activeSeq = -1;
    }
    return segment(sealed.peekFirst());
  }

  /** Removes a fully replayed segment. */
  synchronized void delete(Path segment) throws IOException {
    sealed.remove(seqOf(segment));
    Files.deleteIfExists(segment);
  }

  /** Moves a segment that cannot be read aside ({@code .bad}), so that a human can look at it. */
  synchronized void quarantine(Path segment) throws IOException {
    sealed.remove(seqOf(segment));
    Files.move(segment, segment.resolveSibling(segment.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes rows older than everything already spilled into a segment that sorts first. */
  synchronized void prepend(List<?> rows) throws IOException {
    long first = sealed.isEmpty() ? (activeSeq >= 0 ? activeSeq : nextSeq) : sealed.peekFirst();
    long seq = first - 1;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(segment(seq)))) {
      for (Object r : rows) {
        writeLine(out, r);
      }
    }
    sealed.addFirst(seq);
  }

  /** {@code r} as one line to {@code out}, through this file's one line buffer (callers hold this object's lock). */
  private void writeLine(OutputStream out, Object r) throws IOException {
    line.reset();
    EncodedRow.writeLine(line, r);
    out.write(line.array(), 0, line.length());
  }

  private Path segment(long seq) {
    return dir.resolve(stem + "." + String.format("%019d", seq) + ext);
  }

  private long seqOf(Path segment) {
    Matcher m = segmentName.matcher(segment.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a spill segment: " + segment);
    }
    return Long.parseLong(m.group(1));
  }

  private void closeActive() throws IOException {
    if (activeOut != null) {
      OutputStream out = activeOut;
      activeOut = null;
      activeRows = 0;
      out.close();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    closeActive();
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }
}
