package io.finops4j.ledger;

import io.finops4j.api.spi.CallListener;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.api.spi.ConfigNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's {@link CallListener}: the caller's thread only enqueues the row; one background daemon thread,
 * {@value #THREAD_NAME}, writes batches to a {@link LedgerSink}.
 *
 * <p>How rows are never lost, and how little the call waits for them:
 * <ul>
 *   <li>A batch is written when it reaches {@code batchSize} rows or its oldest row has waited
 *       {@code flushInterval}.</li>
 *   <li>When two batches or more wait (the writer gets too little CPU among many callers), a JSONL ledger's
 *       callers encode their rows themselves and queue the lines ({@code EncodedRow} says why).</li>
 *   <li>When the bounded queue is full while the sink works (it is slower than the calls), the call waits for
 *       room, at most {@code queueFullWait} (100 ms by default), as Logback's and Log4j 2's asynchronous appenders
 *       block by default: a burst is absorbed in memory, and a sustained rate above the sink's is slowed to it.
 *       Spilling instead would cost both sides more per row (a file append per call, a parse per replayed row),
 *       so at such a rate the writer would never catch up.</li>
 *   <li>When there is still no room after that wait (the sink hangs), rows go to a local JSONL spill file, on
 *       the caller's thread (one short file append; no wait on the network). From then on every row goes there,
 *       until the writer has written the queue and then the spill file, so the sink sees rows in the order they
 *       arrived.</li>
 *   <li>When a write fails (the database is down), the failed batch and the queue move to the spill file, and
 *       from then on every row is appended there as it arrives, until the writer has written it all: a process
 *       killed during an outage loses no row it had finished. The spill file is retried with exponential backoff
 *       ({@code retryBackoff}), oldest rows first. Each spilled row reaches the operating system before
 *       {@code onCall} returns (it survives a killed JVM); it is not fsynced, so a power cut may lose the last
 *       ones.</li>
 *   <li>Spill files left by a previous run are replayed before new rows.</li>
 *   <li>{@link #close()} writes everything still queued or spilled, waiting at most {@code closeTimeout};
 *       whatever it cannot write is saved in the spill file for the next start, and one log line says how many
 *       rows and where.</li>
 * </ul>
 * Rows that arrive while {@code close()} drains (calls that were in flight) go to the spill file: the drain
 * writes them if it has time, else the next start does. A row is dropped only if the spill file itself cannot be
 * written (disk full) or the row arrives after {@code close()} returned; both are counted in {@link #stats()} and
 * logged with the call id.
 */
public final class LedgerWriter implements CallListener, AutoCloseable {

  /** The name of the background thread. */
  public static final String THREAD_NAME = "finops4j-ledger-writer";
  public static final int DEFAULT_BATCH_SIZE = 500;
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
  /**
   * About eight batches of the default size. A queue is for bursts: a row waiting in it outlives young
   * collections, each of which copies it, so a longer queue behind a writer short of CPU (many callers on few
   * cores) adds pauses, not throughput.
   */
  public static final int DEFAULT_QUEUE_CAPACITY = 4_096;
  public static final Duration DEFAULT_QUEUE_FULL_WAIT = Duration.ofMillis(100);
  public static final Path DEFAULT_SPILL_PATH = Path.of("finops4j-ledger-spill.jsonl");
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);

  private final LedgerSink sink;
  private final int batchSize;
  private final long flushIntervalNanos;
  private final int capacity;
  private final long queueFullWaitNanos;
  private final long closeTimeoutNanos;
  private final long retryInitialNanos;
  private final long retryMaxNanos;
  private final SpillFile spill;
  private final Thread thread;
  private final Thread shutdownHook;

  /** Rows in arrival order: {@link CallRecord}s, or {@link EncodedRow}s made by callers while the writer is behind. */
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
  /** The JSONL sink, which takes encoded rows; null for any other (which is only ever given records). */
  private final JsonlLedgerSink jsonl;
  /** From this many queued rows on (two batches: the writer is behind), callers encode their rows themselves. */
  int encodeDepth;
  private final AtomicInteger depth = new AtomicInteger();
  /** True while rows must go to the spill file to stay behind rows already spilled. Guarded by spill's lock. */
  private volatile boolean spillMode;
  private volatile boolean closing;
  private volatile long closeDeadline;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set once the spill file is closed, at the end of close(). Guarded by spill's lock. */
  private boolean spillClosed;

  private final LongAdder enqueued = new LongAdder();
  private final LongAdder spilled = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();

  /** Tests only: runs on the calling thread between a row's admission to the queue and its queueing. */
  Runnable beforeQueueing;

  /** Callers waiting for room in a full queue; the writer signals {@link #room} when it takes a batch. */
  private final ReentrantLock roomLock = new ReentrantLock();
  private final Condition room = roomLock.newCondition();
  private volatile int roomWaiters;
  private volatile boolean roomWaitLogged;

  private final Object flushMonitor = new Object();
  private volatile long flushRequested;
  private volatile long flushCompleted;

  private LedgerWriter(Builder b) {
    this.sink = Objects.requireNonNull(b.sink, "sink");
    this.jsonl = sink instanceof JsonlLedgerSink j ? j : null;
    this.batchSize = b.batchSize;
    this.encodeDepth = 2 * b.batchSize;
    this.flushIntervalNanos = b.flushInterval.toNanos();
    this.capacity = b.capacity();
    this.queueFullWaitNanos = b.queueFullWait.toNanos();
    this.closeTimeoutNanos = b.closeTimeout.toNanos();
    this.retryInitialNanos = b.retryInitial.toNanos();
    this.retryMaxNanos = b.retryMax.toNanos();
    try {
      this.spill = new SpillFile(b.spillPath);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the ledger spill file " + b.spillPath + ": " + e.getMessage(), e);
    }
    if (!spill.isEmpty()) {
      // Rows of a previous run come first: new rows queue up behind them in the spill file.
      spillMode = true;
      log.info("finops4j ledger: replaying rows left in {} by a previous run", spill.location());
    }
    this.thread = new Thread(this::run, THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
    if (b.shutdownHook) {
      shutdownHook = new Thread(this::close, THREAD_NAME + "-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      shutdownHook = null;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A writer from the {@code finops4j.ledger} section: {@code type: jsonl | jdbc | none}, {@code path},
   * {@code url}, {@code username}, {@code password}, {@code table}, {@code batch-size}, {@code flush-interval},
   * {@code queue-capacity}, {@code queue-full-wait}, {@code spill-path}, {@code rotate-size}, {@code close-timeout}.
   * Returns {@code null} for {@code type: none} or an absent section: there is no ledger to write. Bad values fail
   * with a {@link io.finops4j.api.ConfigException} naming the key path.
   */
  public static LedgerWriter fromConfig(ConfigNode ledgerNode) {
    return LedgerConfig.writer(ledgerNode, null);
  }

  /**
   * As {@link #fromConfig(ConfigNode)}, writing {@code type: jdbc} rows through {@code dataSource} when the
   * section names no {@code url} (a Spring application's own pool, say).
   */
  public static LedgerWriter fromConfig(ConfigNode ledgerNode, javax.sql.DataSource dataSource) {
    return LedgerConfig.writer(ledgerNode, dataSource);
  }

  /**
   * Enqueues the row and returns; never throws. Waits only when the queue is full, at most
   * {@code queueFullWait}, then spills the row instead.
   */
  @Override
  public void onCall(CallRecord record) {
    if (record == null) {
      return;
    }
    try {
      // The writer is behind (it gets too little CPU among many callers): the caller encodes, and the queue holds
      // a line instead of the record's graph, which would live through young collections there.
      Object row = jsonl != null && depth.get() >= encodeDepth ? EncodedRow.of(record) : record;
      if (closed.get()) {
        spillDuringClose(row);
        return;
      }
      if (!spillMode && (offer(row) || awaitRoom(row))) {
        return;
      }
      if (closed.get()) {
        spillDuringClose(row);
        return;
      }
      spillOrEnqueue(row);
    } catch (Throwable t) {
      dropped.increment();
      if (dropped.sum() % 1000 == 1) {
        log.error("finops4j ledger: row {} could not be queued or spilled and is lost ({} lost so far): {}",
            record.callId(), dropped.sum(), t.toString());
      }
    }
  }

  /** A row of a call that was in flight when close() began: kept in the spill file, never dropped silently. */
  private void spillDuringClose(Object r) throws IOException {
    synchronized (spill) {
      if (spillClosed) {
        dropped.increment();
        log.error("finops4j ledger: row {} arrived after close() returned and is lost ({} lost so far); close the"
            + " ledger after the calls that feed it", EncodedRow.callIdOf(r), dropped.sum());
        return;
      }
      spillMode = true;
      spill.append(r);
    }
    spilled.increment();
  }

  /** True once close() has begun (tests wait for it). */
  boolean closing() {
    return closed.get();
  }

  private boolean offer(Object r) {
    int d = depth.incrementAndGet();
    // Spilling is checked after the count, and the writer, having begun to spill, drains until the count settles
    // (drainSettled): so a row either sees spilling and goes to the spill file behind the rows moved there, or is
    // counted in time to be moved with them. Checked before the count, a row could be queued just after the drain
    // and be written ahead of every row it followed.
    if (d > capacity || spillMode) {
      depth.decrementAndGet();
      return false;
    }
    Runnable hook = beforeQueueing;
    if (hook != null) {
      hook.run();
    }
    queue.offer(r);
    enqueued.increment();
    if (d == batchSize) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  /**
   * The queue is full: waits up to {@code queueFullWait} for the writer to take a batch, then enqueues. False
   * (the row is to be spilled) on timeout, when spilling has begun (the sink failed), on close, or when the
   * writer thread is gone.
   */
  private boolean awaitRoom(Object r) {
    if (queueFullWaitNanos == 0 || Thread.currentThread() == thread || spillMode) {
      return false; // the writer (a sink that makes calls) would wait for itself; a spilling writer takes the row
    }
    if (!roomWaitLogged) {
      roomWaitLogged = true;
      log.warn("finops4j ledger: queue full ({} rows) writing to {}; calls wait up to {} ms for room before rows"
          + " spill (raise queue-capacity, or use a faster sink)", capacity, sink.describe(),
          queueFullWaitNanos / 1_000_000);
    }
    long left = queueFullWaitNanos;
    roomLock.lock();
    try {
      roomWaiters++;
      while (true) {
        // The writer lowers the depth, then signals if roomWaiters > 0: offer() after the increment sees it.
        if (spillMode || closed.get() || !thread.isAlive()) {
          return false;
        }
        if (offer(r)) {
          return true;
        }
        if (left <= 0) {
          return false;
        }
        LockSupport.unpark(thread);
        left = room.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      roomWaiters--;
      roomLock.unlock();
    }
  }

  /** Wakes callers waiting for room: a batch was taken, spilling began, or the writer is closing or gone. */
  private void signalRoom() {
    if (roomWaiters > 0) {
      roomLock.lock();
      try {
        room.signalAll();
      } finally {
        roomLock.unlock();
      }
    }
  }

  private void spillOrEnqueue(Object r) throws IOException {
    synchronized (spill) {
      if (!spillMode) {
        if (offer(r)) {
          return;
        }
        spillMode = true;
        log.warn("finops4j ledger: queue full ({} rows) writing to {}; spilling rows to {} until it catches up",
            capacity, sink.describe(), spill.location());
      }
      spill.append(r);
    }
    spilled.increment();
  }

  /**
   * Waits until every row given to {@link #onCall} before this call is in the sink (queue and spill file
   * included), at most {@code timeout}. Returns false on timeout, or when the writer has stopped.
   */
  public boolean flush(Duration timeout) {
    long target;
    synchronized (flushMonitor) {
      target = flushRequested + 1;
      flushRequested = target;
    }
    LockSupport.unpark(thread);
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (flushMonitor) {
      while (flushCompleted < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !thread.isAlive()) {
          return false;
        }
        try {
          flushMonitor.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  /** The counters since start. */
  public LedgerStats stats() {
    return new LedgerStats(enqueued.sum(), spilled.sum(), written.get(), replayed.get(), failedBatches.get(),
        dropped.sum(), depth.get());
  }

  /** The rows this writer holds in memory before calls wait for room. */
  int queueCapacity() {
    return capacity;
  }

  /** The sink this writer writes to. */
  public LedgerSink sink() {
    return sink;
  }

  // ---- the writer thread ----

  private void run() {
    List<Object> batch = new ArrayList<>(batchSize);
    long lastEmpty = System.nanoTime();
    try {
      while (true) {
        long request = flushRequested;
        boolean stopping = closing;
        Object r;
        int taken = 0;
        while (batch.size() < batchSize && (r = queue.poll()) != null) {
          batch.add(r);
          taken++;
        }
        if (taken > 0) {
          depth.addAndGet(-taken); // once per batch: the counter is shared with every caller
          signalRoom();
        }
        long now = System.nanoTime();
        if (!batch.isEmpty()) {
          // Every row in the batch arrived after lastEmpty: it has waited at most now - lastEmpty.
          if (batch.size() >= batchSize || stopping || request > flushCompleted
              || now - lastEmpty >= flushIntervalNanos) {
            if (!writeOnce(batch) && spillOnFailure(batch)) {
              continue; // the outage is now handled by replaying the spill file
            }
            if (!batch.isEmpty() && !writeWithRetry(batch)) {
              // The batch and the rest of the queue came before anything spilled.
              batch.addAll(drainQueue());
              saveOnGiveUp(batch, List.of());
              return;
            }
            written.addAndGet(batch.size());
            batch.clear();
          } else {
            LockSupport.parkNanos(this, flushIntervalNanos - (now - lastEmpty));
          }
          continue;
        }
        lastEmpty = now;
        if (spillMode || !spill.isEmpty()) {
          // The queue holds nothing older than the spilled rows: they are next.
          boolean ok;
          try {
            ok = replaySpill();
          } catch (IOException e) {
            // The spill file cannot be read or deleted now: keep it, and try again later.
            log.error("finops4j ledger: replaying {} failed: {}; retrying", spill.location(), e.toString());
            ok = backoff(retryMaxNanos);
          }
          if (!ok) {
            // Rows still queued raced with spilling: they go after it.
            saveOnGiveUp(List.of(), drainQueue());
            return;
          }
          continue;
        }
        if (request > flushCompleted) {
          synchronized (flushMonitor) {
            flushCompleted = request;
            flushMonitor.notifyAll();
          }
        }
        if (stopping) {
          return;
        }
        LockSupport.parkNanos(this, flushIntervalNanos);
      }
    } catch (Throwable t) {
      log.error("finops4j ledger: the writer thread failed; saving queued rows to the spill file", t);
      saveOnGiveUp(batch, drainQueue());
    } finally {
      signalRoom();
      synchronized (flushMonitor) {
        flushMonitor.notifyAll();
      }
    }
  }

  /** Writes the spill segments, oldest first; leaves spill mode once nothing is left. False on give-up. */
  private boolean replaySpill() throws IOException {
    while (true) {
      Path segment;
      synchronized (spill) {
        segment = spill.nextToReplay();
        if (segment == null) {
          spillMode = false;
          return true;
        }
      }
      if (!replaySegment(segment)) {
        return false;
      }
      spill.delete(segment);
    }
  }

  private boolean replaySegment(Path segment) throws IOException {
    List<Object> batch = new ArrayList<>(batchSize);
    long bad = 0;
    try (JsonlLedgerReader reader = JsonlLedgerReader.open(segment)) {
      while (true) {
        try {
          if (!reader.hasNext()) {
            break;
          }
          batch.add(reader.next());
        } catch (UncheckedIOException e) {
          // A torn last line after a crash: the rest of the file is still good.
          bad++;
          log.error("finops4j ledger: skipping an unreadable line in spill file: {}", e.getCause().getMessage());
          continue;
        }
        if (batch.size() == batchSize && !writeReplayed(batch)) {
          return false;
        }
      }
      if (!batch.isEmpty() && !writeReplayed(batch)) {
        return false;
      }
    }
    if (bad > 0) {
      dropped.add(bad);
    }
    return true;
  }

  /** Hands {@code batch} to the sink: encoded rows are made only for the JSONL sink, so any other gets records. */
  @SuppressWarnings("unchecked")
  private void write(List<Object> batch) throws Exception {
    if (jsonl != null) {
      jsonl.writeRows(batch);
    } else {
      sink.write((List<CallRecord>) (List<?>) batch);
    }
  }

  /**
   * A first try at {@code batch}; true when written (then the batch is counted and cleared). A failure is counted
   * and logged as by {@link #writeWithRetry}.
   */
  private boolean writeOnce(List<Object> batch) {
    try {
      write(batch);
    } catch (Exception | LinkageError e) {
      failedBatches.incrementAndGet();
      log.warn("finops4j ledger: writing {} rows to {} failed ({}); rows are kept in {} until it is writable",
          batch.size(), sink.describe(), failure(e), spill.location());
      return false;
    }
    written.addAndGet(batch.size());
    batch.clear();
    return true;
  }

  /**
   * The sink failed: moves {@code batch} and the queue (older than anything spilled since) to the front of the
   * spill file and sends new rows there too, so an outage holds no row in memory only. False (nothing moved)
   * when the spill file cannot be written: the batch is then retried from memory.
   */
  private boolean spillOnFailure(List<Object> batch) {
    List<Object> rows = new ArrayList<>(batch);
    synchronized (spill) {
      spillMode = true;
      rows.addAll(drainSettled());
      try {
        spill.prepend(rows);
      } catch (IOException | RuntimeException e) {
        log.error("finops4j ledger: cannot spill to {} ({}); keeping {} rows in memory", spill.location(),
            e.toString(), rows.size());
        requeue(rows.subList(batch.size(), rows.size()));
        return false;
      }
    }
    spilled.add(rows.size());
    batch.clear();
    signalRoom(); // callers waiting for room spill now, behind these rows
    return true;
  }

  /** Puts rows drained from the queue back (only after the spill file failed). */
  private void requeue(List<Object> rows) {
    for (Object r : rows) {
      queue.offer(r);
      depth.incrementAndGet();
    }
  }

  private boolean writeReplayed(List<Object> batch) {
    if (!writeWithRetry(batch)) {
      return false;
    }
    written.addAndGet(batch.size());
    replayed.addAndGet(batch.size());
    batch.clear();
    return true;
  }

  /** Writes one batch, retrying with backoff; false only when closing and the close deadline has passed. */
  private boolean writeWithRetry(List<Object> batch) {
    int failures = 0;
    while (true) {
      if (closing && System.nanoTime() - closeDeadline >= 0) {
        return false; // close() is out of time: the rows are kept in the spill file instead
      }
      try {
        write(batch);
        if (failures > 0) {
          log.info("finops4j ledger: {} is writable again after {} failed attempts", sink.describe(), failures);
        }
        return true;
      } catch (Exception | LinkageError e) {
        // LinkageError: a driver class missing or broken; a configuration problem worth retrying, not dying of.
        failures++;
        failedBatches.incrementAndGet();
        long wait = Math.min(retryMaxNanos, retryInitialNanos << Math.min(failures - 1, 30));
        if (failures == 1 || failures % 20 == 0) {
          log.warn("finops4j ledger: writing {} rows to {} failed (attempt {}: {}); retrying in {} ms, rows are kept",
              batch.size(), sink.describe(), failures, failure(e), wait / 1_000_000);
        }
        if (!backoff(wait)) {
          return false;
        }
      }
    }
  }

  /**
   * A failure for a log line, without row values: a database's message about a failed batch quotes the
   * statement with every value (PostgreSQL: {@code Batch entry 0 INSERT ... VALUES ('acme', ...)}), so a
   * {@link SQLException} is named by its class, SQLState and error code, plus its message only for connection
   * failures (SQLState class 08), which are about the server, not the rows.
   */
  static String failure(Throwable e) {
    if (e instanceof SQLException sql) {
      String state = sql.getSQLState();
      String s = e.getClass().getSimpleName() + " (SQLState " + state + ", error code " + sql.getErrorCode() + ")";
      return state != null && state.startsWith("08") ? s + ": " + e.getMessage() : s;
    }
    return e.toString();
  }

  /** Waits before a retry; false when closing and out of time. */
  private boolean backoff(long nanos) {
    long until = System.nanoTime() + nanos;
    while (true) {
      long now = System.nanoTime();
      if (closing && now - closeDeadline >= 0) {
        return false;
      }
      long left = until - now;
      if (left <= 0) {
        return true;
      }
      if (closing) {
        left = Math.min(left, closeDeadline - now);
      }
      LockSupport.parkNanos(this, left);
      Thread.interrupted(); // close() may interrupt a stuck write; the deadline check decides
    }
  }

  /**
   * Close ran out of time: keeps the unwritten rows in the spill file for the next start. {@code older} rows
   * precede everything already spilled, {@code rest} follow it.
   */
  private void saveOnGiveUp(List<Object> older, List<Object> rest) {
    long count = older.size() + rest.size();
    try {
      synchronized (spill) {
        spillMode = true;
        if (!older.isEmpty()) {
          spill.prepend(older);
        }
        for (Object r : rest) {
          spill.append(r);
        }
      }
      spilled.add(count);
      log.error("finops4j ledger: could not write to {} within the close timeout; {} rows from the queue and "
          + "every row already spilled are kept in {} and will be written on the next start", sink.describe(),
          count, spill.location());
    } catch (IOException | RuntimeException e) {
      dropped.add(count);
      log.error("finops4j ledger: could not write to {} nor save {} rows to {}: {}; those rows are lost",
          sink.describe(), count, spill.location(), e.toString());
    }
  }

  /**
   * The queue once spilling has begun: with the rows of calls that were counted in before they could see it and
   * are still on their way into the queue (see {@link #offer}), so that none is left there, ahead of the spill file.
   */
  private List<Object> drainSettled() {
    List<Object> rows = drainQueue();
    while (depth.get() > 0) {
      Thread.yield(); // a call between its count and its queueing, or about to take its count back
      rows.addAll(drainQueue());
    }
    return rows;
  }

  private List<Object> drainQueue() {
    List<Object> out = new ArrayList<>();
    Object r;
    while ((r = queue.poll()) != null) {
      depth.decrementAndGet();
      out.add(r);
    }
    return out;
  }

  /**
   * Writes every queued and spilled row, waiting at most {@code closeTimeout} (rows that could not be written
   * stay in the spill file, with one error log line), then closes the sink. Later calls are dropped and logged.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    closeDeadline = System.nanoTime() + closeTimeoutNanos;
    closing = true;
    signalRoom();
    LockSupport.unpark(thread);
    try {
      thread.join(Math.max(1, closeTimeoutNanos / 1_000_000) + 1_000);
      if (thread.isAlive()) {
        // A sink write hangs (no socket timeout?): interrupt it and give it a moment to stop.
        thread.interrupt();
        thread.join(1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.error("finops4j ledger: the writer is stuck in a write to {}; rows still queued ({}) are saved to {}",
          sink.describe(), depth.get(), spill.location());
    }
    List<Object> late = drainQueue();
    if (!late.isEmpty()) {
      // Calls that raced with close(): keep them for the next start.
      saveLate(late);
    }
    try {
      sink.close();
    } catch (Exception e) {
      log.warn("finops4j ledger: closing {} failed: {}", sink.describe(), e.toString());
    }
    try {
      synchronized (spill) {
        spillClosed = true;
      }
      spill.close();
    } catch (IOException e) {
      log.warn("finops4j ledger: closing the spill file failed: {}", e.toString());
    }
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException ignored) {
        // the JVM is already shutting down
      }
    }
  }

  private void saveLate(List<Object> rows) {
    try {
      synchronized (spill) {
        for (Object r : rows) {
          spill.append(r);
        }
      }
      spilled.add(rows.size());
      log.warn("finops4j ledger: {} rows arrived during close(); kept in {} for the next start", rows.size(),
          spill.location());
    } catch (IOException e) {
      dropped.add(rows.size());
      log.error("finops4j ledger: {} rows arrived during close() and could not be saved: {}", rows.size(),
          e.toString());
    }
  }

  /** Builds a {@link LedgerWriter}; only {@link #sink} is required. */
  public static final class Builder {
    private LedgerSink sink;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
    /** 0: not set, {@link #defaultQueueCapacity} of the batch size. */
    private int queueCapacity;
    private Duration queueFullWait = DEFAULT_QUEUE_FULL_WAIT;
    private Path spillPath = DEFAULT_SPILL_PATH;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private Duration retryInitial = Duration.ofMillis(100);
    private Duration retryMax = Duration.ofSeconds(30);
    private boolean shutdownHook = true;

    private Builder() {}

    public Builder sink(LedgerSink sink) { this.sink = Objects.requireNonNull(sink, "sink"); return this; }

    /** Rows per sink write (default 500). */
    public Builder batchSize(int batchSize) {
      this.batchSize = positive("batchSize", batchSize);
      return this;
    }

    /** The longest a row waits for its batch to fill (default 1 s). */
    public Builder flushInterval(Duration flushInterval) {
      this.flushInterval = positive("flushInterval", flushInterval);
      return this;
    }

    /**
     * Rows held in memory; past them calls wait for room ({@link #queueFullWait}), then spill (default 4096, or two
     * batches when {@link #batchSize} is larger than 2048).
     */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = positive("queueCapacity", queueCapacity);
      return this;
    }

    /**
     * How long a call waits for room when the queue is full before its row goes to the spill file (default
     * 100 ms); zero spills at once and never waits.
     */
    public Builder queueFullWait(Duration queueFullWait) {
      if (queueFullWait == null || queueFullWait.isNegative()) {
        throw new IllegalArgumentException("queueFullWait must be zero or positive, got " + queueFullWait);
      }
      this.queueFullWait = queueFullWait;
      return this;
    }

    /** Where overflow rows go: segments {@code <name>.<seq>.jsonl} beside this path. */
    public Builder spillPath(Path spillPath) { this.spillPath = Objects.requireNonNull(spillPath); return this; }

    /** How long {@link LedgerWriter#close()} keeps trying to write (default 10 s). */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = Objects.requireNonNull(closeTimeout);
      return this;
    }

    /** Backoff between retries of a failed write: doubles from {@code initial} up to {@code max}. */
    public Builder retryBackoff(Duration initial, Duration max) {
      this.retryInitial = positive("retry initial", initial);
      this.retryMax = positive("retry max", max);
      return this;
    }

    /** Close on JVM shutdown, so queued rows are written (default true). */
    public Builder shutdownHook(boolean shutdownHook) { this.shutdownHook = shutdownHook; return this; }

    /** Starts the writer thread. */
    public LedgerWriter build() {
      if (capacity() < batchSize) {
        throw new IllegalArgumentException("queueCapacity (" + capacity() + ") must be at least batchSize ("
            + batchSize + ")");
      }
      return new LedgerWriter(this);
    }

    /** The queue's capacity: as set, or the default for the batch size. */
    int capacity() {
      return queueCapacity != 0 ? queueCapacity : defaultQueueCapacity(batchSize);
    }

    /**
     * {@link #DEFAULT_QUEUE_CAPACITY}, or two batches of {@code batchSize} when that is more: a queue of one batch
     * would make calls wait for room while the writer writes it.
     */
    static int defaultQueueCapacity(int batchSize) {
      return (int) Math.min(Integer.MAX_VALUE, Math.max(DEFAULT_QUEUE_CAPACITY, 2L * batchSize));
    }

    private static int positive(String name, int v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + v);
      }
      return v;
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
      }
      return d;
    }
  }
}
