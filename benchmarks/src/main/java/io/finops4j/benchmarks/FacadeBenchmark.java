package io.finops4j.benchmarks;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import io.finops4j.routing.RoutingPolicy;
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
 * The facade's own cost per call: {@code llm.complete()} on a provider that answers instantly, against calling
 * that provider directly. The difference is what finops4j adds (routing, pricing, the call record).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class FacadeBenchmark {

  @Param({"1024"})
  public int promptBytes;

  private Llm llm;
  private ProviderClient provider;
  private Prompt prompt;
  private Attribution attribution;
  private ProviderRequest direct;

  /** Answers instantly with fixed usage, as a provider on a zero-latency network would. */
  static final class InstantProvider implements ProviderClient {
    private static final ProviderResponse ANSWER =
        new ProviderResponse("billing", "gpt-5-mini-2025-08-07", Usage.of(260, 2), "stop", "req-1");

    @Override public String name() { return "openai"; }
    @Override public ProviderResponse complete(ProviderRequest request) { return ANSWER; }
    @Override public ProviderResponse stream(ProviderRequest request, Llm.TextListener listener) { return ANSWER; }
  }

  @Setup(Level.Trial)
  public void setUp() {
    provider = new InstantProvider();
    llm = Finops4j.builder()
        .provider(provider)
        .policy(RoutingPolicy.builder().tier("small", "openai/gpt-5-mini").task("classification", "small").build())
        .build();
    prompt = Prompt.builder().system("Classify the ticket. Answer with one word.").user("x".repeat(promptBytes)).build();
    attribution = Attribution.of("acme", "ticket-triage");
    direct = new ProviderRequest("gpt-5-mini", prompt, 50, null, "acme", false);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    llm.close();
  }

  @Benchmark
  public Completion facade() {
    return llm.complete("classification", prompt, attribution);
  }

  @Benchmark
  public ProviderResponse providerDirect() {
    return provider.complete(direct);
  }
}
