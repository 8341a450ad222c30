package io.finops4j.benchmarks;

import io.finops4j.api.Prompt;
import io.finops4j.routing.ComplexityClassifier;
import io.finops4j.routing.HeuristicClassifier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The complexity classifier runs on every routed call of an escalating task: it must cost microseconds. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ClassifierBenchmark {

  @Param({"4096"})
  public int promptChars;

  private final ComplexityClassifier classifier = new HeuristicClassifier();
  private Prompt prompt;

  @Setup
  public void setUp() {
    String sentence = "Why does the nightly export fail? First it reads the table, then it writes the file;\n";
    prompt = Prompt.builder().system("You are a support engineer.")
        .user(sentence.repeat(promptChars / sentence.length() + 1).substring(0, promptChars)).build();
  }

  @Benchmark
  public ComplexityClassifier.Verdict classify() {
    return classifier.classify(prompt);
  }
}
