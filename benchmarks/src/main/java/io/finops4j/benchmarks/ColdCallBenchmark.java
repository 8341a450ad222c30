package io.finops4j.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@link OverheadBenchmark}'s calls, each made with the CPU's caches cold: before every call (outside the timed
 * part) 64 MB is read a cache line at a time, which pushes the previous call's code and data out of L2 and L3 and
 * most of the TLB. That is what a call meets at 64 callers on 2 cores, where 60-odd other calls, the server and the
 * host's other guests run between a call's turns: there the controls cost their callers five to six times what they
 * cost on one warm thread (benchmarks/notes/side-by-side.md, session 23). Warm, this benchmark's arms measure the
 * controls' work; cold, their footprint: the lines of code and data a call has to fetch again.
 *
 * <p>The walk takes milliseconds, so calls come more than the cache maintenance's 4 ms batch apart: a miss whose
 * answer is stored (the {@code all} arm until the cache fills) also wakes the maintenance thread, as in an
 * application that calls rarely. {@code -p controls=second-request} stores no miss of this benchmark's distinct
 * prompts. Cold figures move by a third between runs on a shared host: compare arms in alternated runs.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'ColdCallBenchmark.(everyControlOn|providerDirect)' \
 *     -p promptBytes=1024 -p controls=no-telemetry,routing-only,second-request,all -f 2 -wi 2 -w 3 -i 3 -r 3 -tu us
 * </pre>
 */
public class ColdCallBenchmark extends OverheadBenchmark {

  /** Larger than this machine's last-level cache, whose share a guest gets is smaller still. */
  private static final int EVICT_BYTES = 64 << 20;
  private static final int LINE = 64;

  private final byte[] lines = new byte[EVICT_BYTES];
  /** Read back by {@link #evictCaches}, so the walk cannot be dropped as dead code. */
  private int seen;

  /** Reads one byte per cache line of {@link #lines}: every level of cache ends up holding this array. */
  @Setup(Level.Invocation)
  public void evictCaches() {
    int s = seen;
    for (int i = 0; i < EVICT_BYTES; i += LINE) {
      s += lines[i];
    }
    seen = s;
  }
}
