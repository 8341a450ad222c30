package io.finops4j.telemetry;

import static io.finops4j.telemetry.Harness.MINI;
import static io.finops4j.telemetry.Harness.completion;
import static io.finops4j.telemetry.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.micrometer.core.instrument.Meter;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CardinalityGuardTest {

  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  private void call(Telemetry t, Attribution a, String cost) {
    h.call(t, request("classification", a), h.context("c"), 1_000L, (r, c) -> {
      c.route(new Route("small", List.of(MINI), List.of()));
      return completion(MINI, Usage.of(10, 2), cost);
    });
  }

  @Test
  void hundredThousandCustomersYieldBoundedTagsAndTheBigSpendersKeepTheirs() {
    Telemetry t = h.builder().topN(5).build();
    try (StdErrCapture ignored = StdErrCapture.silence()) {
      for (int i = 0; i < 100_000; i++) {
        call(t, Attribution.builder().customer("cust-" + i).user("user-" + i).build(), "0.0001");
        if (i % 100 == 0) {
          // three whales, 50x the spend of anyone else per call, 1,000 calls over the run
          call(t, Attribution.builder().customer("whale-" + (i / 100) % 3).user("user-" + i).build(), "0.005");
        }
      }
    }

    // ever promoted: at most 4 x N ids (the first callers were the top before the whales showed up), plus other
    Set<String> customers = tagValues("customer");
    assertThat(customers).hasSizeLessThanOrEqualTo(4 * 5 + 1);
    assertThat(customers).contains("whale-0", "whale-1", "whale-2", "other");
    assertThat(tagValues("user")).hasSizeLessThanOrEqualTo(4 * 5 + 1);
    // and at the end, the whales are the top; no one-off id is
    TopSpenders sketch = t.guard().sketch("customer");
    assertThat(sketch.isTop("whale-0") && sketch.isTop("whale-1") && sketch.isTop("whale-2")).isTrue();
    assertThat(sketch.isTop("cust-99999")).isFalse();
    // bounded memory: the sketch holds a fixed number of counters whatever the number of ids
    assertThat(sketch.tracked()).isLessThanOrEqualTo(sketch.capacity()).isLessThanOrEqualTo(64 + 4 * 5);
    // and the total cost is all there, folded or not
    double total = h.registry.get("finops4j.cost").counters().stream().mapToDouble(c -> c.count()).sum();
    assertThat(total).isCloseTo(100_000 * 0.0001 + 1_000 * 0.005, org.assertj.core.api.Assertions.within(1e-6));
  }

  @Test
  void concurrentCallsLoseNoSpendWhileTheGuardSkipsContendedUpdates() throws Exception {
    Telemetry t = h.builder().topN(3).build();
    int threads = 4;
    int calls = 5_000;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
    try (StdErrCapture ignored = StdErrCapture.silence()) {
      for (int th = 0; th < threads; th++) {
        int id = th;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < calls; i++) {
            call(t, Attribution.of("c-" + id + "-" + (i % 500), "chat"), "0.001");
          }
          return null;
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double total = h.registry.get("finops4j.cost").counters().stream().mapToDouble(c -> c.count()).sum();
    assertThat(total).isCloseTo(threads * calls * 0.001, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(h.registry.get("finops4j.calls").counters().stream().mapToDouble(c -> c.count()).sum())
        .isEqualTo(threads * calls);
    assertThat(tagValues("customer")).hasSizeLessThanOrEqualTo(4 * 3 + 1);
  }

  @Test
  void theOpenTelemetryMetricsAreGuardedAlike() {
    // a registry that reports nowhere: the OpenTelemetry metrics are the ones recorded
    Telemetry t = h.builder().meterRegistry(new io.micrometer.core.instrument.composite.CompositeMeterRegistry())
        .tagAllowList("customer", List.of("acme")).build();
    call(t, Attribution.builder().customer("acme").build(), "0.01");
    call(t, Attribution.builder().customer("cust-1").build(), "0.02");
    Set<String> otelCustomers = h.metric("finops4j.cost").getDoubleSumData().getPoints().stream()
        .map(p -> p.getAttributes().get(OtelKeys.CUSTOMER)).collect(Collectors.toSet());
    assertThat(otelCustomers).containsExactlyInAnyOrder("acme", "other");
  }

  @Test
  void allowListTagsOnlyTheListedCustomers() {
    Telemetry t = h.builder().tagAllowList("customer", List.of("acme", "globex")).build();
    call(t, Attribution.of("acme", "chat"), "0.01");
    call(t, Attribution.of("globex", "chat"), "0.01");
    call(t, Attribution.of("initech", "chat"), "9.99");
    call(t, Attribution.of(null, "chat"), "0.01");
    assertThat(tagValues("customer")).containsExactlyInAnyOrder("acme", "globex", "other", "none");
    assertThat(h.registry.get("finops4j.cost").tag("customer", "other").counter().count()).isEqualTo(9.99);
  }

  @Test
  void topNZeroFoldsEveryId() {
    Telemetry t = h.builder().topN(0).build();
    call(t, Attribution.of("acme", "chat"), "0.01");
    call(t, Attribution.of("globex", "chat"), "0.01");
    assertThat(tagValues("customer")).containsExactly("other");
  }

  @Test
  void spansKeepTheFullIdWhenTheMetricTagIsFolded() {
    Telemetry t = h.builder().topN(0).build();
    call(t, Attribution.of("acme", "chat"), "0.01");
    assertThat(h.span("chat gpt-5-mini").getAttributes().get(OtelKeys.CUSTOMER)).isEqualTo("acme");
  }

  @Test
  void oneOffIdsDoNotChurnIntoTheTopOnceItIsFull() {
    TopSpenders top = new TopSpenders(2);
    for (int i = 0; i < 1_000; i++) {
      top.add("big-a", 1_000);
      top.add("big-b", 900);
    }
    for (int i = 0; i < 100_000; i++) {
      top.add("tiny-" + i, 1);
      assertThat(top.isTop("tiny-" + i)).isFalse();
    }
    assertThat(top.isTop("big-a")).isTrue();
    assertThat(top.isTop("big-b")).isTrue();
  }

  @Test
  void theFirstSpendersAreTopAtOnceAndABigSpenderGetsInThroughTheBufferFromManyThreads() throws Exception {
    TopSpenders top = new TopSpenders(3);
    top.add("a", 10);
    assertThat(top.isTop("a")).as("counted at once while the top has room").isTrue();
    top.add("b", 10);
    top.add("c", 10);
    int threads = 8;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 20_000; i++) {
            // one call in ten is the whale's, 1,000 times the spend of a one-off caller
            top.add(i % 10 == 0 ? "whale" : "one-off-" + id + "-" + i, i % 10 == 0 ? 1_000 : 1);
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(top.isTop("whale")).isTrue();
    assertThat(top.isTop("one-off-0-1")).isFalse();
    assertThat(top.tracked()).isLessThanOrEqualTo(top.capacity());
  }

  @Test
  void onceEveryPromotionIsUsedSpendersThatCanNeverBeTagsDoNotRankTheSketchAgain() {
    TopSpenders top = new TopSpenders(2); // 4 x 2 = 8 promotions over the life of the sketch
    for (int i = 0; i < 8; i++) {
      for (int k = 0; k < SpendBuffer.DRAIN_AT; k++) { // a batch: once the top is full, counts arrive in batches
        top.add("p" + i, (long) Math.pow(10, i + 1)); // each ten times the last: each is promoted in turn
      }
    }
    assertThat(top.isTop("p7") && top.isTop("p6")).isTrue();
    int before = top.rankings();
    for (int i = 0; i < 1_000; i++) {
      top.add("late-" + i, 1_000_000_000_000L); // outspends everyone, but no promotion is left for it
    }
    assertThat(top.isTop("late-999")).isFalse();
    // at most the periodic re-ranking (every 1,024 counts); before, each of these counts ranked the top again
    assertThat(top.rankings() - before).isLessThanOrEqualTo(1);
  }

  private Set<String> tagValues(String tag) {
    return h.registry.getMeters().stream().map(Meter::getId).map(id -> id.getTag(tag))
        .filter(v -> v != null).collect(Collectors.toSet());
  }
}
