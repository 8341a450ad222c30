package io.finops4j.core.cache;

import io.finops4j.api.spi.EmbeddingModel;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic embedding for tests: lower-cased words (letters and digits) hashed into 1024 buckets, counted.
 * Cosine similarity is then word overlap: a sentence of n words plus one extra word scores n / sqrt(n (n + 1)).
 * Each call "costs" 0.00001 USD so tests can check that embedding spend is metered.
 */
class HashedBagOfWords implements EmbeddingModel {

  static final BigDecimal COST = new BigDecimal("0.00001");
  static final int DIMENSIONS = 1024;

  final AtomicInteger calls = new AtomicInteger();

  @Override
  public String id() {
    return "test/hashed-bag-of-words";
  }

  @Override
  public float[] embed(String text) {
    calls.incrementAndGet();
    float[] v = new float[DIMENSIONS];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty()) {
        v[Math.floorMod(fnv(word), DIMENSIONS)] += 1f;
      }
    }
    return v;
  }

  @Override
  public BigDecimal costUsd(String text) {
    return COST;
  }

  double similarity(String a, String b) {
    return SemanticIndex.dot(SemanticIndex.normalize(embed(a)), SemanticIndex.normalize(embed(b)));
  }

  private static int fnv(String s) {
    int h = 0x811c9dc5;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x01000193;
    }
    return h;
  }
}
