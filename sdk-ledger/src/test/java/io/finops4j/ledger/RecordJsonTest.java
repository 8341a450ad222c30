package io.finops4j.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A row's maps are written in key order, whatever order they iterate in, so the same row has the same bytes. */
class RecordJsonTest {

  private static Map<String, Long> ordered(String... keys) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      m.put(keys[i], (long) i);
    }
    return m;
  }

  @Test
  void mapsOfOneSizeInEveryOrderAndWithOtherKeysAreWrittenSorted() {
    // the same size each time: the remembered order of the previous map must be checked, not trusted
    assertThat(RecordJson.mapToJson(ordered("prompt_tokens", "completion_tokens", "total_tokens")))
        .isEqualTo("{\"completion_tokens\":1,\"prompt_tokens\":0,\"total_tokens\":2}");
    assertThat(RecordJson.mapToJson(ordered("prompt_tokens", "completion_tokens", "total_tokens")))
        .isEqualTo("{\"completion_tokens\":1,\"prompt_tokens\":0,\"total_tokens\":2}");
    assertThat(RecordJson.mapToJson(ordered("total_tokens", "prompt_tokens", "completion_tokens")))
        .isEqualTo("{\"completion_tokens\":2,\"prompt_tokens\":1,\"total_tokens\":0}");
    assertThat(RecordJson.mapToJson(ordered("b", "c", "a"))).isEqualTo("{\"a\":2,\"b\":0,\"c\":1}");
    assertThat(RecordJson.mapToJson(ordered("b", "c", "d"))).isEqualTo("{\"b\":0,\"c\":1,\"d\":2}");
    assertThat(RecordJson.mapToJson(Map.of("team", "support", "region", "eu")))
        .isEqualTo("{\"region\":\"eu\",\"team\":\"support\"}");
  }

  @Test
  void rowsWrittenIntoOneBufferEachKeepTheirOwnMaps() throws Exception {
    // the buffer keeps its scratch for maps from row to row: a large map, then a small one, then tags and counts
    Usage.Builder many = Usage.builder().inputTokens(20).outputTokens(1);
    for (int i = 19; i >= 0; i--) {
      many.raw("field_" + (char) ('a' + i), i);
    }
    CallRecord large = TestRecords.numbered("k", 1).toBuilder().usage(many.build()).build();
    CallRecord small = TestRecords.full("k-2");
    RowBytes out = new RowBytes(16);
    RecordJson.writeLine(out, large);
    RecordJson.writeLine(out, small);
    RecordJson.writeLine(out, large);

    List<CallRecord> back = new java.util.ArrayList<>();
    for (String line : out.toString().lines().toList()) {
      try (var p = RecordJson.FACTORY.createParser(line)) {
        back.add(RecordJson.read(p));
      }
    }
    Map<String, Long> largeNonZero = new java.util.TreeMap<>(large.usage().raw());
    largeNonZero.remove("field_a"); // its count is 0: the ledger keeps the fields that are not
    assertThat(back).extracting(r -> r.usage().raw()).containsExactly(largeNonZero, small.usage().raw(),
        largeNonZero);
    assertThat(back.get(1).attribution().tags()).isEqualTo(small.attribution().tags());
    assertThat(out.toString().lines().findFirst().orElseThrow())
        .contains("\"usage_raw\":{\"field_b\":1,\"field_c\":2,");
  }

  @Test
  void usageRawKeepsTheProviderFieldsThatAreNotZero() throws Exception {
    Usage usage = TestRecords.openAiUsage();
    CallRecord r = TestRecords.numbered("z", 1).toBuilder().usage(usage).build();

    String line = LedgerJson.write(r);

    assertThat(line).contains("\"usage_raw\":{\"completion_tokens\":10,\"prompt_tokens\":19,"
        + "\"service_tier=default\":1,\"total_tokens\":29},");
    assertThat(LedgerJson.parse(line).usage().raw()).containsOnlyKeys("completion_tokens", "prompt_tokens",
        "service_tier=default", "total_tokens");
    assertThat(RecordJson.usageRawToJson(usage.raw()))
        .isEqualTo("{\"completion_tokens\":10,\"prompt_tokens\":19,\"service_tier=default\":1,\"total_tokens\":29}");
  }

  @Test
  void aUsageWhoseRawCountsAreAllZeroWritesNoUsageRaw() throws Exception {
    Usage zeros = Usage.builder().raw("prompt_tokens", 0).raw("completion_tokens", 0).build();
    CallRecord r = TestRecords.numbered("z", 2).toBuilder().usage(zeros).build();

    String line = LedgerJson.write(r);

    assertThat(line).doesNotContain("usage_raw").contains("\"reasoning_tokens\":0,\"estimated\":false,");
    assertThat(LedgerJson.parse(line).usage().raw()).isEmpty();
    assertThat(RecordJson.usageRawToJson(zeros.raw())).isNull();
  }

  @Test
  void rowsAreOneObjectPerLineWithNothingBetween() throws Exception {
    RowBytes out = new RowBytes(16);
    for (int i = 0; i < 2; i++) {
      RecordJson.writeLine(out, TestRecords.numbered("k", i));
    }
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"ts\":").endsWith("}"));
    assertThat(out.toString()).endsWith("}\n").doesNotContain("} {").doesNotContain("}\n ");
  }
}
