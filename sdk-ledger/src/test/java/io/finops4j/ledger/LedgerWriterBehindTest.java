package io.finops4j.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.spi.CallRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the writer is behind (more than a batch queued), callers encode their rows themselves and the queue holds
 * lines, not records: the JSONL files are the same bytes either way, callers sharing the encoders' buffers each get
 * their own row's line, and lines spilled during an outage are written in order when it ends.
 */
class LedgerWriterBehindTest {

  @TempDir Path dir;

  /** Every field, none, a bulk run, and a row of the next day (another file). */
  private static List<CallRecord> rows() {
    List<CallRecord> rows = new ArrayList<>();
    rows.add(TestRecords.full("full"));
    rows.add(TestRecords.sparse("sparse"));
    for (int i = 0; i < 1000; i++) {
      rows.add(TestRecords.numbered("n", i));
    }
    rows.add(CallRecord.builder().timestamp(Instant.parse("2026-11-25T00:00:01Z")).callId("next-day")
        .outcome(CallRecord.OK).build());
    return rows;
  }

  @Test
  void rowsCallersEncodeAreTheBytesTheWriterWouldHaveWritten() throws Exception {
    List<Path> byWriter = writeAll("writer", Integer.MAX_VALUE);
    List<Path> byCallers = writeAll("callers", 0);

    assertThat(byCallers).hasSize(2).hasSameSizeAs(byWriter);
    for (int i = 0; i < byWriter.size(); i++) {
      assertThat(byCallers.get(i).getFileName()).isEqualTo(byWriter.get(i).getFileName());
      assertThat(Files.readAllBytes(byCallers.get(i))).isEqualTo(Files.readAllBytes(byWriter.get(i)));
    }
  }

  @Test
  @Timeout(60)
  void callersSharingEncodeBuffersEachGetTheirOwnRowsLine() throws Exception {
    // more threads than buffers, each with rows whose values change every row: a buffer passes between threads and
    // meets values its remembered ones do not match
    int threads = 8 * Runtime.getRuntime().availableProcessors() + 3;
    List<CallRecord> rows = rows();
    List<Thread> started = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread th = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < 20 * rows.size(); i++) {
            CallRecord r = rows.get((first + 7 * i) % rows.size());
            RowBytes fresh = new RowBytes(16);
            RecordJson.writeLine(fresh, r);
            assertThat(new String(EncodedRow.of(r).line, StandardCharsets.UTF_8))
                .isEqualTo(fresh.toString());
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      th.start();
      started.add(th);
    }
    go.countDown();
    for (Thread th : started) {
      th.join();
    }
    assertThat(failures).isEmpty();
  }

  private List<Path> writeAll(String name, int encodeDepth) throws Exception {
    Path ledgerDir = dir.resolve(name);
    LedgerWriter writer = LedgerWriter.builder().sink(JsonlLedgerSink.of(ledgerDir.resolve("ledger.jsonl")))
        .spillPath(dir.resolve(name + "-spill.jsonl")).shutdownHook(false).build();
    writer.encodeDepth = encodeDepth;
    rows().forEach(writer::onCall);
    writer.close();
    assertThat(writer.stats().written()).isEqualTo(rows().size());
    try (Stream<Path> files = Files.list(ledgerDir)) {
      return files.sorted().toList();
    }
  }

  @Test
  @Timeout(60)
  void linesSpilledDuringAnOutageAreWrittenInOrderWhenItEnds() throws Exception {
    Path blocker = dir.resolve("ledger"); // a file where the ledger's directory goes: every write fails
    Files.writeString(blocker, "not a directory");
    Path base = blocker.resolve("ledger.jsonl");
    LedgerWriter writer = LedgerWriter.builder().sink(JsonlLedgerSink.of(base)).batchSize(10)
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).spillPath(dir.resolve("spill.jsonl"))
        .shutdownHook(false).build();
    writer.encodeDepth = 0;
    List<String> sent = new ArrayList<>();
    for (CallRecord r : rows()) {
      sent.add(r.callId());
      writer.onCall(r);
    }
    while (writer.stats().spilled() < sent.size()) {
      Thread.onSpinWait(); // every row is in the spill file once the failed batch moved there (the rest follow it)
    }
    assertThat(writer.flush(Duration.ofMillis(1))).isFalse(); // still down

    Files.delete(blocker);
    writer.close();

    try (Stream<CallRecord> s = JsonlLedgerReader.stream(base)) {
      assertThat(s.map(CallRecord::callId).toList()).containsExactlyElementsOf(sent);
    }
    assertThat(writer.stats().dropped()).isZero();
  }
}
