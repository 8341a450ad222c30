package io.finops4j.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.spi.CallRecord;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlLedgerSinkTest {

  @TempDir Path dir;

  @Test
  void aCrashMidWriteLeavesATornRowThatTheNextWriterEndsAndReadersSkipAndReport() throws Exception {
    Path base = dir.resolve("ledger.jsonl");
    try (JsonlLedgerSink sink = JsonlLedgerSink.of(base)) {
      sink.write(List.of(TestRecords.numbered("r", 0), TestRecords.numbered("r", 1)));
    }
    Path file = JsonlLedgerReader.files(base).get(0);
    // the process died half-way through the third row
    String third = LedgerJson.write(TestRecords.numbered("r", 2));
    Files.writeString(file, third.substring(0, third.length() / 2), java.nio.file.StandardOpenOption.APPEND);

    // a reader of the file as the crash left it: the torn last line is skipped, counted and reported
    List<String> reports = new ArrayList<>();
    try (JsonlLedgerReader r = JsonlLedgerReader.open(file, reports::add)) {
      List<CallRecord> read = new ArrayList<>();
      r.forEachRemaining(read::add);
      assertThat(read).extracting(CallRecord::callId).containsExactly("r-0", "r-1");
      assertThat(r.tornRows()).isEqualTo(1);
    }
    assertThat(reports).containsExactly(file + ":3: skipped a torn row (a JSON object cut short, as a crash"
        + " mid-write leaves it)");

    // the next writer starts a new line instead of gluing its row to the fragment
    try (JsonlLedgerSink sink = JsonlLedgerSink.of(base)) {
      sink.write(List.of(TestRecords.numbered("r", 3)));
    }
    assertThat(Files.readAllLines(file)).hasSize(4).last().isEqualTo(LedgerJson.write(TestRecords.numbered("r", 3)));
    reports.clear();
    try (Stream<CallRecord> s = JsonlLedgerReader.stream(base, reports::add)) {
      assertThat(s.map(CallRecord::callId)).containsExactly("r-0", "r-1", "r-3");
    }
    assertThat(reports).hasSize(1).allMatch(m -> m.startsWith(file + ":3: skipped a torn row"));
  }

  @Test
  void aBrokenRowThatIsNotTornStillFailsNamingItsLine() throws Exception {
    Path file = dir.resolve("ledger-2026-11-24.jsonl");
    Files.writeString(file, LedgerJson.write(TestRecords.numbered("r", 0)) + "\n{\"ts\": 12}\n");
    try (Stream<CallRecord> s = JsonlLedgerReader.stream(file)) {
      assertThatThrownBy(s::toList).isInstanceOf(UncheckedIOException.class).hasMessageContaining(file + ":2: ");
    }
  }

  @Test
  void rowsAreReadAsTheyArePulledNotAFileAtATime() throws Exception {
    // A report pulls rows through iterator(): a reader that buffered a whole file first would hold every row of a
    // 10-million-row ledger in memory, and would fail on line 3 before handing out line 1.
    Path file = dir.resolve("ledger-2026-11-24.jsonl");
    Files.writeString(file, LedgerJson.write(TestRecords.numbered("r", 0)) + "\n"
        + LedgerJson.write(TestRecords.numbered("r", 1)) + "\n{\"ts\": 12}\n");
    try (Stream<CallRecord> s = JsonlLedgerReader.stream(file)) {
      java.util.Iterator<CallRecord> it = s.iterator();
      assertThat(it.next().callId()).isEqualTo("r-0");
      assertThat(it.next().callId()).isEqualTo("r-1");
      assertThatThrownBy(it::hasNext).isInstanceOf(UncheckedIOException.class).hasMessageContaining(file + ":3: ");
    }
  }

  @Test
  void rotatesBySizeWithinADayAndReadsBackInOrder() throws Exception {
    Path base = dir.resolve("ledger.jsonl");
    List<CallRecord> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(TestRecords.numbered("r", i));
    }
    try (JsonlLedgerSink sink = JsonlLedgerSink.builder().path(base).rotateSize(1024).build()) {
      for (CallRecord r : rows) {
        sink.write(List.of(r));
      }
    }
    List<Path> files = JsonlLedgerReader.files(base);
    assertThat(files.size()).isGreaterThan(3);
    assertThat(files.get(0).getFileName().toString()).isEqualTo("ledger-2026-11-24.jsonl");
    assertThat(files.get(1).getFileName().toString()).isEqualTo("ledger-2026-11-24.1.jsonl");
    assertThat(files.get(files.size() - 1).getFileName().toString())
        .isEqualTo("ledger-2026-11-24." + (files.size() - 1) + ".jsonl");
    for (Path f : files) {
      assertThat(Files.size(f)).isLessThanOrEqualTo(1024);
    }
    try (Stream<CallRecord> s = JsonlLedgerReader.stream(base)) {
      assertThat(s.toList()).containsExactlyElementsOf(rows);
    }
  }

  @Test
  void rotatesByTheDayOfEachRowInTheConfiguredZone() throws Exception {
    Path base = dir.resolve("costs.jsonl");
    CallRecord late = TestRecords.sparse("late").toBuilder().timestamp(Instant.parse("2026-11-24T22:30:00Z")).build();
    CallRecord next = TestRecords.sparse("next").toBuilder().timestamp(Instant.parse("2026-11-25T00:30:00Z")).build();
    try (JsonlLedgerSink sink = JsonlLedgerSink.of(base)) {
      sink.write(List.of(late, next));
    }
    try (JsonlLedgerSink sink = JsonlLedgerSink.builder().path(dir.resolve("tokyo.jsonl"))
        .zone(ZoneId.of("Asia/Tokyo")).build()) {
      sink.write(List.of(late));
    }
    assertThat(JsonlLedgerReader.files(base)).extracting(p -> p.getFileName().toString())
        .containsExactly("costs-2026-11-24.jsonl", "costs-2026-11-25.jsonl");
    assertThat(dir.resolve("tokyo-2026-11-25.jsonl")).exists();
  }

  @Test
  void reopeningAppendsToTheLastFileOfTheDay() throws Exception {
    Path base = dir.resolve("ledger.jsonl");
    try (JsonlLedgerSink sink = JsonlLedgerSink.of(base)) {
      sink.write(List.of(TestRecords.numbered("a", 1)));
    }
    try (JsonlLedgerSink sink = JsonlLedgerSink.of(base)) {
      sink.write(List.of(TestRecords.numbered("a", 2)));
    }
    assertThat(JsonlLedgerReader.files(base)).hasSize(1);
    try (Stream<CallRecord> s = JsonlLedgerReader.stream(base)) {
      assertThat(s.map(CallRecord::callId)).containsExactly("a-1", "a-2");
    }
  }

  @Test
  void aBadLineFailsNamingTheFileAndLine() throws Exception {
    Path f = dir.resolve("ledger-2026-11-24.jsonl");
    try (JsonlLedgerSink sink = JsonlLedgerSink.of(dir.resolve("ledger.jsonl"))) {
      sink.write(List.of(TestRecords.numbered("a", 1)));
    }
    Files.writeString(f, "\n{\"call_id\": oops}\n", java.nio.file.StandardOpenOption.APPEND);
    try (Stream<CallRecord> s = JsonlLedgerReader.stream(f)) {
      assertThatThrownBy(s::toList).isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(f + ":3: not a ledger row");
    }
  }
}
