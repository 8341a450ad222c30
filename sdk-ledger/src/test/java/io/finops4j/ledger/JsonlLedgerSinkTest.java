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
