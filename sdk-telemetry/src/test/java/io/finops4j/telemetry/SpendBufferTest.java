package io.finops4j.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ObjLongConsumer;
import org.junit.jupiter.api.Test;

/** The striped buffer in front of the top-spenders sketch: batches in order, drops when full, never duplicates. */
class SpendBufferTest {

  @Test
  void aStripeAsksForADrainAtHalfFullAndHandsOverItsEventsInOrder() {
    SpendBuffer b = new SpendBuffer();
    for (int i = 1; i < SpendBuffer.DRAIN_AT; i++) {
      assertThat(b.offer(3, "c" + i, i)).as("event %d", i).isFalse();
    }
    assertThat(b.offer(3, "c" + SpendBuffer.DRAIN_AT, SpendBuffer.DRAIN_AT)).isTrue();
    List<String> drained = new ArrayList<>();
    b.drain(3, (v, s) -> drained.add(v + "=" + s));
    assertThat(drained).containsExactly("c1=1", "c2=2", "c3=3", "c4=4", "c5=5", "c6=6", "c7=7", "c8=8");
    b.drain(3, (v, s) -> drained.add("again " + v));
    assertThat(drained).hasSize(SpendBuffer.DRAIN_AT);
  }

  @Test
  void aFullStripeDropsTheEventRatherThanWaitAndOtherStripesAreApart() {
    SpendBuffer b = new SpendBuffer();
    for (int i = 0; i < SpendBuffer.SLOTS; i++) {
      b.offer(0, "kept", 1);
    }
    assertThat(b.offer(0, "dropped", 1)).isTrue();
    assertThat(b.offer(1, "other stripe", 5)).isFalse();
    Map<String, Long> drained = new HashMap<>();
    b.drain(0, (v, s) -> drained.merge(v, s, Long::sum));
    assertThat(drained).containsExactly(Map.entry("kept", (long) SpendBuffer.SLOTS));
    // room again, after the wrap
    assertThat(b.offer(0, "after", 7)).isFalse();
    drained.clear();
    b.drain(0, (v, s) -> drained.merge(v, s, Long::sum));
    b.drain(1, (v, s) -> drained.merge(v, s, Long::sum));
    assertThat(drained).containsOnly(Map.entry("after", 7L), Map.entry("other stripe", 5L));
  }

  /**
   * Eight threads on four stripes, each event unique with its own spend, drained by whichever thread wins the lock:
   * every event drained is one that was offered, with its spend, and none twice.
   */
  @Test
  void concurrentOffersAndDrainsHandOverEachEventOnceWithItsSpend() throws Exception {
    SpendBuffer b = new SpendBuffer();
    ReentrantLock lock = new ReentrantLock();
    Map<String, Long> drained = new HashMap<>();
    List<String> duplicates = new ArrayList<>();
    ObjLongConsumer<String> collect = (v, s) -> {
      if (drained.put(v, s) != null) {
        duplicates.add(v);
      }
    };
    int threads = 8;
    int events = 50_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int id = t;
        int stripe = t % 4;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < events; i++) {
            if (b.offer(stripe, id + "-" + i, (long) id * events + i) && lock.tryLock()) {
              try {
                b.drain(stripe, collect);
              } finally {
                lock.unlock();
              }
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (int s = 0; s < SpendBuffer.STRIPES; s++) {
      b.drain(s, collect);
    }
    assertThat(duplicates).isEmpty();
    assertThat(drained).isNotEmpty();
    drained.forEach((v, s) -> {
      String[] p = v.split("-");
      assertThat(s).as(v).isEqualTo(Long.parseLong(p[0]) * events + Long.parseLong(p[1]));
    });
  }
}
