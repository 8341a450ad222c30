package io.finops4j.benchmarks;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What finops4j adds to a call, every control on, in process: {@code llm.complete()} on a provider that answers
 * instantly against calling that provider directly (issue 12, target T1).
 *
 * <p>Every control: routing (task -> tier -> model, the complexity classifier), three budgets that apply to the call
 * (customer, feature, team) reserved and settled, a per-request cost cap, an exact-cache lookup that misses (each
 * call's prompt differs by its last characters, as real traffic does) and the store of its answer, telemetry with
 * nothing to report to (no global OpenTelemetry registered, Micrometer's global registry empty: since session 24 no
 * span and no meters; {@link TelemetryBenchmark} measures what reporting adds), and the ledger enqueue (JSONL,
 * written on the ledger's own thread). Run with {@code -prof gc} for bytes per call.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(2)
public class OverheadBenchmark {

  @Param({"1024", "16384"})
  public int promptBytes;

  /** {@code all}, or all but one control (ablation): {@code no-cache}, {@code no-budgets}, {@code no-ledger}. */
  @Param({"all"})
  public String controls;

  private Llm llm;
  private ProviderClient provider;
  private String system;
  private String user;
  private Attribution attribution;
  private Prompt repeated;
  private long sequence;

  private Path ledgerDir;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    ledgerDir = Files.createTempDirectory("finops4j-overhead");
    provider = new FacadeBenchmark.InstantProvider();
    llm = Finops4j.builder().config(ConfigLoader.load(new ByteArrayInputStream(
            Controls.yaml("", ledgerDir.resolve("ledger.jsonl"), controls).getBytes(StandardCharsets.UTF_8)),
            "benchmark"))
        .provider(provider).build();
    system = "Classify the support ticket into one of: billing, bug, how-to, other. Answer with one word.";
    user = "x".repeat(promptBytes - system.length() - 12);
    attribution = Attribution.builder().customer("acme").feature("ticket-triage").team("support").build();
    repeated = Prompt.builder().system(system).user(user).build();
    if (llm.complete("classification", repeated, attribution).cached()) {
      throw new IllegalStateException("the first call of a prompt cannot be a cache hit");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    llm.close();
    LedgerBenchmark.delete(ledgerDir); // a trial writes gigabytes of ledger rows
  }

  /** Every control on; the prompt's last characters change per call, so the exact cache misses. */
  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  public Completion everyControlOn() {
    Prompt prompt = Prompt.builder().system(system).user(user + Long.toString(++sequence, 36)).build();
    return llm.complete("classification", prompt, attribution);
  }

  /**
   * An exact-cache hit through {@code llm.complete()}: the same prompt every time, answered from the cache with
   * its saving recorded (span, metrics and ledger row included). Target: p50 <= 3 us for 1 KB.
   */
  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  public Completion exactCacheHit() {
    return llm.complete("classification", repeated, attribution);
  }

  /** The same provider called directly with the same kind of fresh request: the baseline. */
  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  public ProviderResponse providerDirect() {
    Prompt prompt = Prompt.builder().system(system).user(user + Long.toString(++sequence, 36)).build();
    return provider.complete(new ProviderRequest("gpt-5-mini", prompt, 50, 0.0, "acme", false));
  }
}
