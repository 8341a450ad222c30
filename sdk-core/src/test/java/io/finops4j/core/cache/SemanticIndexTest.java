package io.finops4j.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Completion;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SemanticIndexTest {

  private final FakeTicker ticker = new FakeTicker();

  private static Completion answer(String text) {
    return Completion.builder().text(text).model(ModelId.parse("openai/gpt-5-mini")).usage(Usage.ZERO)
        .costUsd(BigDecimal.ZERO).build();
  }

  private static float[] axis(int i) {
    float[] v = new float[8];
    v[i] = 1f;
    return v;
  }

  @Test
  void returnsTheMostSimilarEntryAtOrAboveTheThreshold() {
    SemanticIndex index = new SemanticIndex(100, ticker, Runnable::run);
    index.add("p", axis(0), answer("x"), Duration.ofHours(1));
    index.add("p", SemanticIndex.normalize(new float[] {1, 1, 0, 0, 0, 0, 0, 0}), answer("xy"), Duration.ofHours(1));

    SemanticIndex.Match m = index.find("p", SemanticIndex.normalize(new float[] {1, 0.9f, 0, 0, 0, 0, 0, 0}), 0.9);
    assertThat(m.completion().text()).isEqualTo("xy");
    assertThat(m.similarity()).isGreaterThan(0.99);
    assertThat(index.find("p", axis(1), 0.9)).isNull();
    assertThat(index.find("other", axis(0), 0.9)).isNull();
  }

  @Test
  void aFullPartitionOverwritesItsOldestEntry() {
    SemanticIndex index = new SemanticIndex(3, ticker, Runnable::run);
    for (int i = 0; i < 4; i++) {
      index.add("p", axis(i), answer("a" + i), Duration.ofHours(1));
    }
    assertThat(index.size()).isEqualTo(3);
    assertThat(index.find("p", axis(0), 0.99)).isNull();
    assertThat(index.find("p", axis(3), 0.99).completion().text()).isEqualTo("a3");
    assertThat(index.find("p", axis(1), 0.99).completion().text()).isEqualTo("a1");
  }

  @Test
  void partitionsTogetherStayWithinTheBound() {
    SemanticIndex index = new SemanticIndex(10, ticker, Runnable::run);
    for (int p = 0; p < 5; p++) {
      for (int i = 0; i < 4; i++) {
        index.add("p" + p, axis(i), answer("a"), Duration.ofHours(1));
      }
    }
    index.cleanUp();
    assertThat(index.size()).isLessThanOrEqualTo(10);
    assertThat(index.find("p4", axis(0), 0.99)).isNotNull(); // the newest partition survives
  }

  @Test
  void theQuantizedFirstPassNeverLosesAMatchThatTheExactScoreWouldFind() {
    int dims = 96;
    SplittableRandom random = new SplittableRandom(7);
    SemanticIndex index = new SemanticIndex(2000, ticker, Runnable::run);
    List<float[]> stored = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      float[] v = SemanticIndex.normalize(gaussian(random, dims, 1.0));
      stored.add(v);
      index.add("p", v, answer(Integer.toString(i)), Duration.ofHours(1));
    }
    for (int k = 0; k < 300; k++) {
      float[] base = stored.get(random.nextInt(stored.size()));
      float[] noise = gaussian(random, dims, 0.01 + random.nextDouble() * 0.04);
      float[] q = new float[dims];
      for (int i = 0; i < dims; i++) {
        q[i] = base[i] + noise[i];
      }
      q = SemanticIndex.normalize(q);
      int best = -1;
      double bestSim = -1;
      for (int i = 0; i < stored.size(); i++) {
        double sim = SemanticIndex.dot(q, stored.get(i));
        if (sim > bestSim) {
          bestSim = sim;
          best = i;
        }
      }
      // A threshold a hair below the best exact score: the quantized pass alone would drop about half of these.
      SemanticIndex.Match m = index.find("p", q, bestSim - 1e-6);
      assertThat(m).isNotNull();
      assertThat(m.completion().text()).isEqualTo(Integer.toString(best));
      assertThat(index.find("p", q, bestSim + 1e-4)).isNull();
    }
  }

  private static float[] gaussian(SplittableRandom random, int dims, double sigma) {
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      // Box-Muller
      double u = 1 - random.nextDouble();
      double w = random.nextDouble();
      v[i] = (float) (sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w));
    }
    return v;
  }

  @Test
  void zeroVectorsMatchNothing() {
    assertThat(SemanticIndex.normalize(new float[4])).isNull();
  }
}
