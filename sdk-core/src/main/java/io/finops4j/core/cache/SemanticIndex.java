package io.finops4j.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.finops4j.api.Completion;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The semantic cache's in-memory index: per partition (scope, model, parameters, system prompt and earlier turns),
 * a ring of unit vectors with their answers, searched by brute-force dot product (cosine similarity of unit
 * vectors). At most {@code maxEntries} vectors in all: a partition holds at most that many (the oldest is
 * overwritten), and when the partitions together hold more, the least recently used partitions are dropped.
 *
 * <p>Brute force is deliberate: at 10k entries of a few hundred dimensions a search is well under a
 * millisecond, with no approximate-index recall to reason about.
 */
public final class SemanticIndex {

  /** The best entry at or above the threshold, with its cosine similarity. */
  public record Match(Completion completion, double similarity) {}

  private final int maxEntries;
  private final Ticker ticker;
  private final Cache<String, Partition> partitions;

  /** An index of at most {@code maxEntries} vectors, reading time from {@code ticker}. */
  public SemanticIndex(int maxEntries, Ticker ticker, Executor executor) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("semantic max-entries must be positive, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.ticker = ticker;
    Caffeine<Object, Object> b = Caffeine.newBuilder().maximumWeight(maxEntries);
    // as in CaffeineResponseCache: maintenance on the calling thread, not a wake-up of another one per write
    b.executor(executor != null ? executor : Runnable::run);
    this.partitions = b.<String, Partition>weigher((k, p) -> p.size()).build();
  }

  /** The most similar live entry of {@code partition} with similarity at least {@code threshold}, or null. */
  public Match find(String partition, float[] unitVector, double threshold) {
    Partition p = partitions.getIfPresent(partition);
    return p == null ? null : p.find(unitVector, threshold, ticker.read());
  }

  /** Adds {@code unitVector} with its answer to {@code partition}, live for {@code ttl}. */
  public void add(String partition, float[] unitVector, Completion completion, Duration ttl) {
    Partition p = partitions.get(partition, k -> new Partition(maxEntries));
    p.add(unitVector, completion, ticker.read() + ttl.toNanos());
    // Re-inserting updates the partition's weight, which is how the total bound is enforced.
    partitions.put(partition, p);
  }

  /** Vectors held in all partitions (expired ones included until overwritten or dropped). */
  public long size() {
    long n = 0;
    for (Partition p : partitions.asMap().values()) {
      n += p.size();
    }
    return n;
  }

  /** Runs pending evictions now; for tests. */
  void cleanUp() {
    partitions.cleanUp();
  }

  /** {@code v} scaled to length 1, or {@code null} for a zero vector (which matches nothing). */
  public static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum == 0 || Double.isNaN(sum) || Double.isInfinite(sum)) {
      return null;
    }
    float[] out = new float[v.length];
    double inv = 1.0 / Math.sqrt(sum);
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] * inv);
    }
    return out;
  }

  static double dot(float[] a, float[] b) {
    // Four accumulators: independent chains the CPU can overlap (a float reduction does not vectorize).
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int n = a.length;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) {
      s0 += a[i] * b[i];
    }
    return (double) s0 + s1 + s2 + s3;
  }


  /**
   * A vector quantized to ints in [-511, 511] (fewer levels above 4096 dimensions, so that a sum of products stays
   * within an int) with one scale, for the first pass of a search: the JIT vectorizes an
   * int dot product (it does not vectorize a float sum), which makes the pass several times faster.
   */
  static final class Quantized {
    final int[] values;
    final float scale;
    final float l1;

    Quantized(float[] v) {
      float max = 0;
      float sum = 0;
      for (float x : v) {
        max = Math.max(max, Math.abs(x));
        sum += Math.abs(x);
      }
      int levels = Math.min(511, (int) Math.sqrt((double) Integer.MAX_VALUE / Math.max(1, v.length)));
      scale = max == 0 ? 1 : max / levels;
      l1 = sum;
      values = new int[v.length];
      for (int i = 0; i < v.length; i++) {
        values[i] = Math.round(v[i] / scale);
      }
    }
  }

  /** One partition's ring; a read-write lock lets searches run side by side. */
  private static final class Partition {
    private final int capacity;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private int dims = -1;
    private int[] quantized = new int[0];
    private float[] scales = new float[16];
    private float[] l1s = new float[16];
    private float[][] vectors = new float[16][];
    private Completion[] answers = new Completion[16];
    private long[] expiresAt = new long[16];
    private int size;
    private int next;

    Partition(int capacity) {
      this.capacity = capacity;
    }

    int size() {
      lock.readLock().lock();
      try {
        return size;
      } finally {
        lock.readLock().unlock();
      }
    }

    /**
     * Two passes in one loop: the quantized dot product, plus a strict bound on its error, says whether an entry
     * can reach the threshold; only those are scored exactly in float. The bound makes the first pass lossless:
     * |a.b - a'.b'| <= (sa/2) L1(b) + (sb/2) (L1(a) + d sa/2) for per-component rounding errors of sa/2 and sb/2.
     */
    Match find(float[] q, double threshold, long now) {
      if (q.length != dims) {
        return null;
      }
      Quantized qq = new Quantized(q);
      int[] qv = qq.values;
      lock.readLock().lock();
      try {
        int best = -1;
        double bestSim = threshold;
        int d = dims;
        double qHalf = qq.scale / 2.0;
        double qL1Hat = qq.l1 + d * qHalf;
        int[] qz = quantized;
        for (int slot = 0; slot < size; slot++) {
          int off = slot * d;
          int sum = 0;
          for (int i = 0; i < d; i++) {
            sum += qz[off + i] * qv[i];
          }
          double approx = sum * (double) qq.scale * scales[slot];
          double bound = qHalf * l1s[slot] + (scales[slot] / 2.0) * qL1Hat + 1e-5;
          if (approx + bound < bestSim || expiresAt[slot] - now <= 0) {
            continue;
          }
          double sim = dot(q, vectors[slot]);
          if (sim >= bestSim) {
            bestSim = sim;
            best = slot;
          }
        }
        return best < 0 ? null : new Match(answers[best], Math.min(1.0, bestSim));
      } finally {
        lock.readLock().unlock();
      }
    }

    void add(float[] v, Completion c, long expires) {
      Quantized qv = new Quantized(v);
      lock.writeLock().lock();
      try {
        if (dims != v.length) {
          if (size > 0) {
            return; // a vector of another model's size; the partition key names the model, so this is a bug upstream
          }
          dims = v.length;
        }
        int slot;
        if (size < capacity) {
          if (size == vectors.length) {
            int n = (int) Math.min(capacity, vectors.length * 2L);
            vectors = Arrays.copyOf(vectors, n);
            answers = Arrays.copyOf(answers, n);
            expiresAt = Arrays.copyOf(expiresAt, n);
            scales = Arrays.copyOf(scales, n);
            l1s = Arrays.copyOf(l1s, n);
          }
          if ((size + 1) * dims > quantized.length) {
            quantized = Arrays.copyOf(quantized, vectors.length * dims);
          }
          slot = size++;
        } else {
          slot = next;
          next = (next + 1) % capacity;
        }
        vectors[slot] = v;
        answers[slot] = c;
        expiresAt[slot] = expires;
        scales[slot] = qv.scale;
        l1s[slot] = qv.l1;
        System.arraycopy(qv.values, 0, quantized, slot * dims, dims);
      } finally {
        lock.writeLock().unlock();
      }
    }
  }
}
