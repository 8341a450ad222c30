package io.finops4j.benchmarks;

import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.ledger.JsonlLedgerSink;
import io.finops4j.ledger.LedgerSink;
import io.finops4j.ledger.LedgerStats;
import io.finops4j.ledger.LedgerWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The ledger on the call path and behind it.
 *
 * <ul>
 *   <li>{@code enqueue*}: what {@link LedgerWriter#onCall} costs the caller (target T3: ledger enqueue <= 1 us),
 *       with a sink that discards, in bursts of {@value #BURST} calls; the queue is drained between bursts
 *       (untimed), so every call takes the normal path, never the spill. Run with {@code -prof gc} for B/op.</li>
 *   <li>{@code jsonlSustained}: single shot, {@value #ROWS} rows through the writer into rotating JSONL files
 *       and a flush; the score is time per row, so rows/s = 1e9 / score(ns/op). PostgreSQL throughput needs the
 *       driver, which the benchmark jar does not carry: see {@code LedgerThroughput} in sdk-ledger's tests.</li>
 * </ul>
 */
public class LedgerBenchmark {

  static final int ROWS = 200_000;
  static final int BURST = 10_000;

  static CallRecord record(long i) {
    return CallRecord.builder().timestamp(Instant.parse("2026-11-24T12:00:00Z").plusNanos(i * 1000))
        .callId("call-" + i).attribution(Attribution.of("acme", "support-chat"))
        .taskType("classification").tier("small").model(ModelId.parse("openai/gpt-5-mini"))
        .usage(Usage.of(1200, 80)).costUsd(new BigDecimal("0.000460000")).outcome(CallRecord.OK).attempts(1)
        .latencyNanos(350_000_000L).priceVersion("2026-11-01").build();
  }

  /** A writer whose sink discards, so only the enqueue is measured. */
  @State(Scope.Benchmark)
  public static class Discarding {
    LedgerWriter writer;
    CallRecord row = record(1);
    Path dir;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("ledger-bench");
      LedgerSink discard = new LedgerSink() {
        @Override
        public void write(List<CallRecord> records) {}

        @Override
        public String describe() {
          return "discard";
        }
      };
      writer = LedgerWriter.builder().sink(discard).queueCapacity(4 * BURST).flushInterval(Duration.ofMillis(10))
          .spillPath(dir.resolve("spill.jsonl")).shutdownHook(false).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      writer.close();
      LedgerStats s = writer.stats();
      System.out.println("\n[ledger] enqueued=" + s.enqueued() + " spilled=" + s.spilled() + " written=" + s.written());
      delete(dir);
    }
  }

  /**
   * Lets the writer empty the queue between invocations, outside the measurement: a loop of enqueues outruns any
   * writer (real calls come thousands, not tens of millions, per second), and a full queue would measure the
   * spill path instead.
   */
  @State(Scope.Thread)
  public static class Drain {
    @TearDown(Level.Invocation)
    public void drain(Discarding s) {
      if (!s.writer.flush(Duration.ofSeconds(30))) {
        throw new IllegalStateException("flush timed out");
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(BURST)
  public void enqueue(Discarding s, Drain d) {
    for (int i = 0; i < BURST; i++) {
      s.writer.onCall(s.row);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(BURST)
  @Threads(4)
  public void enqueue4Threads(Discarding s, Drain d) {
    for (int i = 0; i < BURST; i++) {
      s.writer.onCall(s.row);
    }
  }

  /**
   * An OpenAI chat call's usage as the loopback benchmark's answer carries it (OpenAI's API reference): ten raw
   * fields, six of them 0.
   */
  static Usage openAiUsage() {
    return Usage.builder().inputTokens(260).outputTokens(2)
        .raw("completion_tokens", 2).raw("completion_tokens_details.accepted_prediction_tokens", 0)
        .raw("completion_tokens_details.audio_tokens", 0).raw("completion_tokens_details.reasoning_tokens", 0)
        .raw("completion_tokens_details.rejected_prediction_tokens", 0).raw("prompt_tokens", 260)
        .raw("prompt_tokens_details.audio_tokens", 0).raw("prompt_tokens_details.cached_tokens", 0)
        .raw("service_tier=default", 1).raw("total_tokens", 262).build();
  }

  /** Fresh rows and a fresh JSONL ledger per shot. */
  @State(Scope.Thread)
  public static class Jsonl {
    /** {@code plain}: counts only; {@code openai}: with the raw usage fields of {@link #openAiUsage()}. */
    @Param({"plain", "openai"})
    String usage;

    CallRecord[] rows;
    Path dir;

    @Setup(Level.Trial)
    public void rows() {
      Usage openAi = openAiUsage();
      rows = new CallRecord[ROWS];
      for (int i = 0; i < ROWS; i++) {
        rows[i] = usage.equals("openai") ? record(i).toBuilder().usage(openAi).build() : record(i);
      }
    }

    @Setup(Level.Iteration)
    public void dir() throws IOException {
      dir = Files.createTempDirectory("ledger-bench");
    }

    @TearDown(Level.Iteration)
    public void clean() throws IOException {
      delete(dir);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(ROWS)
  public LedgerStats jsonlSustained(Jsonl s) {
    LedgerWriter w = LedgerWriter.builder().sink(JsonlLedgerSink.of(s.dir.resolve("ledger.jsonl")))
        .queueCapacity(ROWS).spillPath(s.dir.resolve("spill.jsonl")).shutdownHook(false).build();
    for (CallRecord r : s.rows) {
      w.onCall(r);
    }
    if (!w.flush(Duration.ofMinutes(2))) {
      throw new IllegalStateException("flush timed out");
    }
    w.close();
    return w.stats();
  }

  /** Deletes {@code dir} and everything under it (the ledgers a benchmark wrote). */
  public static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
