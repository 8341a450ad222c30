package io.finops4j.ledger;

import io.finops4j.api.spi.CallRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Sustained rows per second through a {@link LedgerWriter} into PostgreSQL and into JSONL (not a test: a
 * measurement harness). Each run sends N rows from one thread, flushes, and reports rows/s measured from the first
 * call to the end of the flush, plus how many rows took the spill path. Run with:
 *
 * <pre>
 * ./mvnw -q -B -o -pl sdk-ledger test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp sdk-ledger/target/test-classes:sdk-ledger/target/classes:$(cat sdk-ledger/target/cp.txt) \
 *   io.finops4j.ledger.LedgerThroughput 200000 3
 * </pre>
 */
public final class LedgerThroughput {

  private LedgerThroughput() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    CallRecord[] data = new CallRecord[rows];
    for (int i = 0; i < rows; i++) {
      data[i] = TestRecords.numbered("tp", i);
    }
    System.out.printf("rows per run: %d, JDK %s, %d cores%n", rows, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    for (int round = 0; round < rounds; round++) {
      // Interleaved, A B A B, as the machine is shared.
      run("postgresql", data, round);
      run("jsonl", data, round);
    }
  }

  private static void run(String kind, CallRecord[] data, int round) throws Exception {
    Path dir = Files.createTempDirectory("ledger-tp");
    String table = TestRecords.uniqueTable();
    LedgerSink sink = kind.equals("jsonl") ? JsonlLedgerSink.of(dir.resolve("ledger.jsonl"))
        : JdbcLedgerSink.builder().url(TestRecords.pgUrl()).table(table).build();
    if (sink instanceof JdbcLedgerSink jdbc) {
      jdbc.migrate(); // not part of the measurement
    }
    // The queue holds the whole run, so this measures the writer and the sink, not the spill path.
    LedgerWriter w = LedgerWriter.builder().sink(sink).queueCapacity(data.length).spillPath(dir.resolve("spill.jsonl"))
        .shutdownHook(false).build();
    long t0 = System.nanoTime();
    for (CallRecord r : data) {
      w.onCall(r);
    }
    long enqueued = System.nanoTime();
    if (!w.flush(Duration.ofMinutes(5))) {
      throw new IllegalStateException("flush timed out");
    }
    long t1 = System.nanoTime();
    w.close();
    LedgerStats s = w.stats();
    System.out.printf("round %d %-10s %,9.0f rows/s  (enqueue loop %,d ns/row; spilled %d; written %d)%n", round,
        kind, data.length / ((t1 - t0) / 1e9), (enqueued - t0) / data.length, s.spilled(), s.written());
    if (s.written() != data.length) {
      throw new IllegalStateException("wrote " + s.written() + " of " + data.length);
    }
    if (kind.equals("postgresql")) {
      try {
        TestRecords.dropPg(table);
      } catch (SQLException e) {
        System.out.println("could not drop " + table + ": " + e.getMessage());
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
