package io.finops4j.ledger;

import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.benchmarks.RoundFigures;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What encoding one ledger row costs the writer thread, in bytes and CPU ns per row (both from {@code ThreadMXBean},
 * which other processes do not inflate): the loopback benchmark's row (an OpenAI answer's usage with its ten raw
 * counts, a cost of scale 9, three attribution keys), written as the JSONL sink writes a batch, without the file.
 * Each round encodes fresh records, so the writer's first read of each one is as cold as in a run.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.finops4j.ledger.RowCost [rows] [rounds]</pre>
 */
public final class RowCost {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private RowCost() {}

  public static void main(String[] args) {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    for (int i = 0; i < 5; i++) {
      round(rows);
    }
    double[][] r = new double[rounds][];
    for (int i = 0; i < rounds; i++) {
      r[i] = round(rows);
    }
    System.out.printf(Locale.ROOT, "%d rounds x %d rows: writer B/row %s, writer CPU ns/row %s, %d bytes a row%n",
        rounds, rows, RoundFigures.column(List.of(r), 0), RoundFigures.column(List.of(r), 1),
        (long) r[0][2]);
  }

  private static double[] round(int rows) {
    CallRecord[] records = new CallRecord[rows];
    Attribution attribution = Attribution.builder().customer("acme").feature("ticket-triage").team("support").build();
    ModelId model = ModelId.parse("openai/gpt-5-mini");
    Instant start = Instant.now();
    for (int i = 0; i < rows; i++) {
      records[i] = CallRecord.builder().timestamp(start.plusNanos(i * 1_013L)).callId("bb7f47bd7676-" + i)
          .attribution(attribution).taskType("classification").tier("small").model(model).usage(usage())
          .costUsd(new BigDecimal("0.000069000").add(BigDecimal.valueOf(i % 7, 9)))
          .cacheStatus("miss").routeReason("task classification -> small").attempts(1).latencyNanos(61_000 + i)
          .outcome(CallRecord.OK).priceVersion("2026-12-03").build();
    }
    RowBytes out = new RowBytes(1 << 16);
    long bytes = 0;
    long b0 = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    long c0 = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < rows; i++) {
      if (out.length() > 60_000) {
        bytes += out.length();
        out.reset();
      }
      RecordJson.writeLine(out, records[i]);
    }
    long c1 = THREADS.getCurrentThreadCpuTime();
    long b1 = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    bytes += out.length();
    return new double[] {(double) (b1 - b0) / rows, (double) (c1 - c0) / rows, (double) bytes / rows};
  }

  /** The loopback server's usage as the OpenAI reader keeps it: normalized counts and the ten raw ones. */
  private static Usage usage() {
    return Usage.builder().inputTokens(260).outputTokens(2).raw("prompt_tokens", 260).raw("completion_tokens", 2)
        .raw("total_tokens", 262).raw("prompt_tokens_details.cached_tokens", 0)
        .raw("prompt_tokens_details.audio_tokens", 0).raw("completion_tokens_details.reasoning_tokens", 0)
        .raw("completion_tokens_details.audio_tokens", 0)
        .raw("completion_tokens_details.accepted_prediction_tokens", 0)
        .raw("completion_tokens_details.rejected_prediction_tokens", 0).build();
  }

}
