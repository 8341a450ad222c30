package io.finops4j.benchmarks;

import io.finops4j.api.ModelId;
import io.finops4j.routing.CircuitBreakers;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every successful call reports to its model's circuit breaker, from every caller thread at once. A model that
 * failed once (any transient error, hours ago) keeps its breaker: this measures the success path then, with as many
 * threads as this machine has cores, so that shared writes show as what they cost (a cache line moved between
 * cores per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@Threads(Threads.MAX)
public class CircuitBreakerBenchmark {

  private final CircuitBreakers breakers = CircuitBreakers.defaults();
  private ModelId model;

  @Setup
  public void setUp() {
    breakers.onFailure(new ModelId("openai", "gpt-4o-mini"), Instant.now());
    breakers.onSuccess(new ModelId("openai", "gpt-4o-mini"));
    model = new ModelId("openai", "gpt-4o-mini");   // equal, not the same instance: as a response's model is
  }

  @Benchmark
  public void successAfterAFailure() {
    breakers.onSuccess(model);
  }
}
