package io.finops4j.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerWriterTest {

  private static final int THREADS = 16;
  private static final int ROWS = 100_000;

  @TempDir Path dir;
  private final List<String> pgTables = new ArrayList<>();

  @AfterEach
  void dropTables() throws SQLException {
    for (String t : pgTables) {
      TestRecords.dropPg(t);
    }
  }

  @Test
  void hundredThousandRowsFromSixteenThreadsIntoJsonl() throws Exception {
    Path base = dir.resolve("ledger.jsonl");
    LedgerWriter writer = LedgerWriter.builder().sink(JsonlLedgerSink.of(base)).spillPath(dir.resolve("spill.jsonl"))
        .shutdownHook(false).closeTimeout(java.time.Duration.ofMinutes(5)).build();
    BigDecimal expected = sendConcurrently(writer, "j");
    writer.close();

    long count;
    BigDecimal total;
    try (Stream<CallRecord> s = JsonlLedgerReader.stream(base)) {
      List<CallRecord> all = s.toList();
      count = all.size();
      total = all.stream().map(CallRecord::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(all.stream().map(CallRecord::callId).distinct().count()).isEqualTo(ROWS);
    }
    assertThat(count).isEqualTo(ROWS);
    assertThat(total).isEqualTo(expected);
    assertThat(writer.stats().written()).isEqualTo(ROWS);
    assertThat(writer.stats().dropped()).isZero();
  }

  @Test
  void hundredThousandRowsFromSixteenThreadsIntoPostgres() throws Exception {
    String table = pgTable();
    LedgerWriter writer = LedgerWriter.builder()
        .sink(JdbcLedgerSink.builder().url(TestRecords.pgUrl()).table(table).build())
        .spillPath(dir.resolve("spill.jsonl")).shutdownHook(false)
        // close() must wait for every row, however slow a loaded CI machine makes PostgreSQL: the assertion is
        // about rows, not about speed
        .closeTimeout(java.time.Duration.ofMinutes(5)).build();
    BigDecimal expected = sendConcurrently(writer, "p");
    writer.close();

    try (Connection c = DriverManager.getConnection(TestRecords.pgUrl()); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(cost_usd) FROM " + table)) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(ROWS);
      assertThat(rs.getBigDecimal(2)).isEqualTo(expected.setScale(9));
    }
    LedgerStats stats = writer.stats();
    assertThat(stats.written()).isEqualTo(ROWS);
    assertThat(stats.enqueued() + stats.spilled()).isEqualTo(ROWS);
    assertThat(stats.replayed()).isEqualTo(stats.spilled());
    assertThat(stats.dropped()).isZero();
  }

  /** Sends ROWS rows from THREADS threads at once; returns the exact sum of their costs. */
  private static BigDecimal sendConcurrently(LedgerWriter writer, String prefix) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    int per = ROWS / THREADS;
    for (int t = 0; t < THREADS; t++) {
      int first = t * per;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = first; i < first + per; i++) {
          writer.onCall(TestRecords.numbered(prefix, i));
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < ROWS; i++) {
      sum = sum.add(TestRecords.cost(i));
    }
    return sum;
  }

  @Test
  void postgresOutageMidRunLosesNothingAndKeepsOrder() throws Exception {
    String table = pgTable();
    SwitchableDataSource ds = new SwitchableDataSource(TestRecords.pgUrl());
    MemorySink recorder = new MemorySink(JdbcLedgerSink.builder().dataSource(ds).table(table).build(), false);
    LedgerWriter writer = LedgerWriter.builder().sink(recorder).batchSize(50).queueCapacity(200)
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).spillPath(dir.resolve("spill.jsonl"))
        .shutdownHook(false).build();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      CallRecord r = TestRecords.numbered("o", i);
      sent.add(r.callId());
      writer.onCall(r);
    }
    assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();

    ds.down();
    for (int i = 500; i < 2500; i++) {
      CallRecord r = TestRecords.numbered("o", i);
      sent.add(r.callId());
      writer.onCall(r);
    }
    // The writer retries every few ms: wait until it has met the outage a few times.
    assertThat(ds.threeRefusals.await(30, TimeUnit.SECONDS)).isTrue();
    ds.up();
    assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();

    LedgerStats stats = writer.stats();
    assertThat(recorder.ids()).containsExactlyElementsOf(sent);
    assertThat(SinkRoundTripTest.readAll(TestRecords.pgUrl(), table)).hasSize(2500);
    assertThat(stats.failedBatches()).isGreaterThanOrEqualTo(3);
    assertThat(stats.spilled()).isGreaterThanOrEqualTo(2000 - 200 - 50);
    assertThat(stats.replayed()).isEqualTo(stats.spilled());
    assertThat(stats.dropped()).isZero();
    writer.close();
    assertThat(spillSegments()).isEmpty();
  }

  @Test
  void aFullQueueWaitsForTheWriterInsteadOfSpillingWhileTheSinkWorks() throws Exception {
    MemorySink sink = new MemorySink(null, true); // the first write is held: the writer falls behind
    LedgerWriter writer = heldWriter(sink);
    Thread caller = callerParkedForRoom(writer, sink, "w", 100);
    assertThat(writer.stats().queueDepth()).isEqualTo(10);
    assertThat(writer.stats().spilled()).isZero();

    sink.release(); // each batch the writer takes makes room for the waiting call
    caller.join(30_000);
    assertThat(caller.isAlive()).isFalse();
    writer.close();
    assertThat(sink.ids()).containsExactlyElementsOf(numbered("w", 100));
    assertThat(writer.stats().spilled()).isZero();
    assertThat(writer.stats().dropped()).isZero();
    assertThat(spillSegments()).isEmpty();
  }

  @Test
  void aSinkFailureWakesCallsWaitingForRoomAndTheirRowsSpillInOrder() throws Exception {
    MemorySink sink = new MemorySink(null, true);
    LedgerWriter writer = heldWriter(sink);
    Thread caller = callerParkedForRoom(writer, sink, "f", 40);

    sink.failing = true;
    sink.release(); // the held write fails: spilling begins, and the waiting call spills instead of waiting on
    caller.join(30_000);
    assertThat(caller.isAlive()).isFalse(); // not the 10 minutes of queueFullWait
    assertThat(writer.stats().spilled()).isGreaterThanOrEqualTo(29);
    sink.failing = false;
    writer.close();
    assertThat(sink.ids()).containsExactlyElementsOf(numbered("f", 40));
    assertThat(writer.stats().dropped()).isZero();
    assertThat(spillSegments()).isEmpty();
  }

  @Test
  void aRowQueuedJustAsTheWriterTurnsToTheSpillFileIsNotWrittenAheadOfTheRowsItFollows() throws Exception {
    MemorySink sink = new MemorySink(null, true);
    LedgerWriter writer = heldWriter(sink);
    for (int i = 0; i < 5; i++) {
      writer.onCall(TestRecords.numbered("q", i));
    }
    assertThat(sink.firstWriteEntered.await(30, TimeUnit.SECONDS)).isTrue(); // rows 0-4 are the batch being written
    sink.failing = true;
    // Row 5 is admitted to the queue; before it is in, its write fails and the writer moves its batch and the queue
    // to the spill file (the caller was preempted, as happened on a loaded machine). Before the fix the writer was
    // done once the queue was empty, and row 5 went into the queue after it: on the writer's next turn it was
    // written ahead of rows 0-4. Now the writer waits for it and moves it with them.
    AtomicBoolean once = new AtomicBoolean();
    writer.beforeQueueing = () -> {
      if (once.compareAndSet(false, true)) {
        sink.release();
        awaitWriterSpillingOrWaitingForARow(writer);
      }
    };
    writer.onCall(TestRecords.numbered("q", 5));
    writer.beforeQueueing = null;
    for (int i = 6; i < 10; i++) {
      writer.onCall(TestRecords.numbered("q", i));
    }
    sink.failing = false;
    writer.close();

    assertThat(sink.ids()).containsExactlyElementsOf(numbered("q", 10));
    assertThat(writer.stats().dropped()).isZero();
  }

  /** Until the writer has spilled rows, or waits in {@code drainSettled} for a row on its way into the queue. */
  private static void awaitWriterSpillingOrWaitingForARow(LedgerWriter writer) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (writer.stats().spilled() == 0 && Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().equals(LedgerWriter.THREAD_NAME))
        .noneMatch(e -> Stream.of(e.getValue()).anyMatch(f -> f.getMethodName().equals("drainSettled")))) {
      assertThat(System.nanoTime() - deadline).as("writer neither spilled nor waited for the row").isNegative();
      Thread.onSpinWait();
    }
  }

  /** Batches of 5, room for 10 rows, calls that wait up to 10 minutes for room. */
  private LedgerWriter heldWriter(MemorySink sink) {
    return LedgerWriter.builder().sink(sink).batchSize(5).queueCapacity(10).queueFullWait(Duration.ofMinutes(10))
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).spillPath(dir.resolve("spill.jsonl"))
        .shutdownHook(false).build();
  }

  /**
   * Sends row 0 and waits until the sink holds its write; then a thread sends rows 1 to {@code rows - 1}, and this
   * returns once that thread is parked for room in the full queue.
   */
  private static Thread callerParkedForRoom(LedgerWriter writer, MemorySink sink, String prefix, int rows)
      throws InterruptedException {
    writer.onCall(TestRecords.numbered(prefix, 0));
    assertThat(writer.flush(Duration.ofMillis(1))).isFalse();
    assertThat(sink.firstWriteEntered.await(10, TimeUnit.SECONDS)).isTrue();
    Thread caller = new Thread(() -> {
      for (int i = 1; i < rows; i++) {
        writer.onCall(TestRecords.numbered(prefix, i));
      }
    });
    caller.start();
    awaitState(caller, Thread.State.TIMED_WAITING);
    return caller;
  }

  private static List<String> numbered(String prefix, int rows) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      ids.add(prefix + "-" + i);
    }
    return ids;
  }

  /** Waits (bounded) until {@code t} is parked in the given state; a condition, not a timing. */
  private static void awaitState(Thread t, Thread.State state) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (t.getState() != state) {
      assertThat(System.nanoTime() - deadline).as("thread state " + t.getState()).isNegative();
      Thread.onSpinWait();
    }
  }

  @Test
  void fullQueueSpillsThenReplaysInOrderAndCloseWritesRowsInFlight() throws Exception {
    MemorySink sink = new MemorySink(null, true);
    // The write hangs past queueFullWait: the first call that finds the queue full waits that long, then spills,
    // and every later row spills at once until the writer has caught up.
    LedgerWriter writer = LedgerWriter.builder().sink(sink).batchSize(5).queueCapacity(10)
        .queueFullWait(Duration.ofMillis(50)).spillPath(dir.resolve("spill.jsonl")).shutdownHook(false).build();
    List<String> sent = new ArrayList<>();
    CallRecord first = TestRecords.numbered("q", 0);
    sent.add(first.callId());
    writer.onCall(first);
    assertThat(writer.flush(Duration.ofMillis(1))).isFalse(); // the write is held
    assertThat(sink.firstWriteEntered.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i < 100; i++) {
      CallRecord r = TestRecords.numbered("q", i);
      sent.add(r.callId());
      writer.onCall(r);
    }
    LedgerStats held = writer.stats();
    assertThat(held.queueDepth()).isEqualTo(10);
    assertThat(held.spilled()).isEqualTo(89);
    assertThat(spillSegments()).hasSize(1);

    sink.release();
    writer.close(); // no flush(): close itself writes the queue and the spill file

    assertThat(sink.ids()).containsExactlyElementsOf(sent);
    assertThat(sink.closed).isTrue();
    assertThat(writer.stats().replayed()).isEqualTo(89);
    assertThat(spillSegments()).isEmpty();
  }

  @Test
  void closeThatCannotWriteKeepsRowsForTheNextStartWhichWritesThemFirst() throws Exception {
    MemorySink down = new MemorySink();
    down.failing = true;
    LedgerWriter first = LedgerWriter.builder().sink(down).batchSize(10).queueCapacity(20)
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).closeTimeout(Duration.ofMillis(200))
        .spillPath(dir.resolve("spill.jsonl")).shutdownHook(false).build();
    for (int i = 0; i < 50; i++) {
      first.onCall(TestRecords.numbered("k", i));
    }
    first.close(); // bounded: returns although the sink never comes back
    assertThat(down.rows).isEmpty();
    assertThat(first.stats().dropped()).isZero();
    first.onCall(TestRecords.numbered("late", 0));
    assertThat(first.stats().dropped()).isEqualTo(1);

    MemorySink upAgain = new MemorySink();
    LedgerWriter second = LedgerWriter.builder().sink(upAgain).spillPath(dir.resolve("spill.jsonl"))
        .shutdownHook(false).build();
    second.onCall(TestRecords.numbered("k", 50));
    second.close();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i <= 50; i++) {
      expected.add("k-" + i);
    }
    assertThat(upAgain.ids()).containsExactlyElementsOf(expected);
    assertThat(spillSegments()).isEmpty();
  }

  @Test
  void aPartialBatchIsWrittenAfterTheFlushIntervalWithoutFlushOrClose() throws Exception {
    CountDownLatch three = new CountDownLatch(3);
    LedgerSink counting = new LedgerSink() {
      @Override
      public void write(List<CallRecord> records) {
        records.forEach(r -> three.countDown());
      }

      @Override
      public String describe() {
        return "counting";
      }
    };
    try (LedgerWriter writer = LedgerWriter.builder().sink(counting).batchSize(500)
        .flushInterval(Duration.ofMillis(20)).spillPath(dir.resolve("spill.jsonl")).shutdownHook(false).build()) {
      for (int i = 0; i < 3; i++) {
        writer.onCall(TestRecords.numbered("t", i));
      }
      assertThat(three.await(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void writerThreadIsANamedDaemon() {
    try (LedgerWriter writer = LedgerWriter.builder().sink(new MemorySink()).spillPath(dir.resolve("spill.jsonl"))
        .shutdownHook(false).build()) {
      Thread t = Thread.getAllStackTraces().keySet().stream()
          .filter(th -> th.getName().equals(LedgerWriter.THREAD_NAME)).findFirst().orElseThrow();
      assertThat(t.isDaemon()).isTrue();
      assertThat(writer.stats().written()).isZero();
    }
  }

  @Test
  void whileTheDatabaseIsDownRowsGoToTheSpillFileAsTheyArriveAndAreReplayedOnReconnect() throws Exception {
    String table = pgTable();
    SwitchableDataSource ds = new SwitchableDataSource(TestRecords.pgUrl());
    try (JdbcLedgerSink setup = JdbcLedgerSink.builder().dataSource(ds).table(table).build()) {
      setup.write(List.of()); // creates the table while the database is up
    }
    ds.down();
    LedgerWriter writer = LedgerWriter.builder().sink(JdbcLedgerSink.builder().dataSource(ds).table(table).build())
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).spillPath(dir.resolve("spill.jsonl"))
        .shutdownHook(false).build();
    writer.onCall(TestRecords.numbered("k", 0));
    writer.flush(Duration.ofMillis(1)); // ask for the batch now rather than after the flush interval
    // the first failed batch has gone to the spill file (spill mode is on before it is counted as spilled)
    while (writer.stats().spilled() == 0) {
      Thread.onSpinWait();
    }
    List<String> sent = new ArrayList<>(List.of("k-0"));
    for (int i = 1; i < 10; i++) {
      writer.onCall(TestRecords.numbered("k", i));
      sent.add("k-" + i);
    }
    // far below the queue capacity, yet nothing is held in memory only: a killed JVM would lose no row
    assertThat(writer.stats().queueDepth()).isZero();
    List<String> onDisk = new ArrayList<>();
    for (Path segment : spillSegments()) {
      try (Stream<String> lines = Files.lines(segment)) {
        lines.map(l -> LedgerJson.parse(l).callId()).forEach(onDisk::add);
      }
    }
    assertThat(onDisk).containsExactlyInAnyOrderElementsOf(sent);

    ds.up();
    assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();
    assertThat(SinkRoundTripTest.readAll(TestRecords.pgUrl(), table)).extracting(CallRecord::callId)
        .containsExactlyInAnyOrderElementsOf(sent);
    assertThat(writer.stats().dropped()).isZero();
    writer.close();
    assertThat(spillSegments()).isEmpty();
  }

  @Test
  void rowsOfCallsThatFinishWhileCloseDrainsAreKeptNotDropped() throws Exception {
    MemorySink sink = new MemorySink(null, true);
    LedgerWriter writer = LedgerWriter.builder().sink(sink).batchSize(1).queueCapacity(10)
        .spillPath(dir.resolve("spill.jsonl")).shutdownHook(false).build();
    writer.onCall(TestRecords.numbered("d", 0));
    assertThat(sink.firstWriteEntered.await(10, TimeUnit.SECONDS)).isTrue(); // the drain will have work to do
    Thread closer = new Thread(writer::close);
    closer.start();
    while (!writer.closing()) {
      Thread.onSpinWait();
    }
    writer.onCall(TestRecords.numbered("d", 1)); // a call that was in flight when close() began
    sink.release();
    closer.join();

    List<String> kept = new ArrayList<>(sink.ids());
    for (Path segment : spillSegments()) {
      try (JsonlLedgerReader r = JsonlLedgerReader.open(segment)) {
        r.forEachRemaining(row -> kept.add(row.callId()));
      }
    }
    assertThat(kept).containsExactlyInAnyOrder("d-0", "d-1");
    assertThat(writer.stats().dropped()).isZero();
  }

  @Test
  void aFailedDatabaseWriteIsLoggedWithCountsNeverRowValues() throws Exception {
    String table = pgTable();
    try (JdbcLedgerSink setup = JdbcLedgerSink.builder().url(TestRecords.pgUrl()).table(table).build()) {
      setup.write(List.of(TestRecords.numbered("ok", 0)));
    }
    try (Connection c = DriverManager.getConnection(TestRecords.pgUrl()); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE " + table + " ADD CONSTRAINT no_canary CHECK (customer NOT LIKE 'CANARY%')");
    }
    CallRecord row = TestRecords.numbered("bad", 1).toBuilder()
        .attribution(io.finops4j.api.Attribution.of("CANARY-customer-7f3a", "chat")).build();
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    LedgerWriter writer = LedgerWriter.builder()
        .sink(JdbcLedgerSink.builder().url(TestRecords.pgUrl()).table(table).build())
        .closeTimeout(Duration.ofMillis(1)).retryBackoff(Duration.ofHours(1), Duration.ofHours(1))
        .spillPath(dir.resolve("spill.jsonl")).shutdownHook(false).build();
    try {
      System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
      writer.onCall(row);
      while (writer.stats().failedBatches() == 0) {
        Thread.onSpinWait();
      }
      writer.close(); // out of time at once: the row stays in the spill file
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(log).contains("writing 1 rows to jdbc:postgresql", "SQLState 23514").doesNotContain("CANARY");
    assertThat(spillSegments()).isNotEmpty();
  }

  private List<Path> spillSegments() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("spill.*\\.\\d+\\.jsonl")).toList();
    }
  }

  private String pgTable() {
    String t = TestRecords.uniqueTable();
    pgTables.add(t);
    return t;
  }
}
