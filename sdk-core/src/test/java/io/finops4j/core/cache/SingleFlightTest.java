package io.finops4j.core.cache;

import static io.finops4j.core.cache.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SingleFlightTest {

  private static final int CALLERS = 32;

  private final CacheInterceptor cache = CacheInterceptor.builder().task("faq", CachePolicy.DEFAULT).build();
  private final Harness h = new Harness(cache);
  private final ExecutorService pool = Executors.newFixedThreadPool(CALLERS);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** Callers that reached the provider, counted before any of them blocks. */
  private final java.util.concurrent.atomic.AtomicInteger entered = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Waits (without sleeping) until {@code n} callers are parked behind the leader, or until a second caller
   * reached the provider, which means single-flight failed: the assertions below then say so.
   */
  private void awaitFollowers(int n) {
    while (cache.waitingFollowers() < n && entered.get() < 2) {
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("interrupted while waiting for followers");
      }
      Thread.onSpinWait();
    }
  }

  @Test
  // The timeout only guards against a hang; it never decides the result.
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void thirtyTwoIdenticalConcurrentCallsMakeOneProviderCall() throws Exception {
    CountDownLatch leaderInside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    h.downstream = context -> {
      entered.incrementAndGet();
      leaderInside.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return h.answer(context);
    };
    CompletionRequest r = request("acme", "What is the status of order 42?");

    List<Future<Harness.Result>> results = new ArrayList<>();
    results.add(pool.submit(() -> h.call(r)));
    leaderInside.await();
    for (int i = 1; i < CALLERS; i++) {
      results.add(pool.submit(() -> h.call(r)));
    }
    awaitFollowers(CALLERS - 1);
    release.countDown();

    int hits = 0;
    for (Future<Harness.Result> f : results) {
      Harness.Result res = f.get();
      assertThat(res.text()).isEqualTo("answer-1");
      if (res.completion().cached()) {
        hits++;
        assertThat(res.status()).isEqualTo("hit");
        assertThat(res.lookup().match()).isEqualTo("single-flight");
        assertThat(res.completion().costUsd()).isEqualByComparingTo("0");
        assertThat(res.completion().savedUsd()).isEqualByComparingTo("0.00125");
        assertThat(res.completion().callId()).isEqualTo(res.context().callId());
      }
    }
    assertThat(h.downstreamCalls).hasValue(1);
    assertThat(hits).isEqualTo(CALLERS - 1);
    assertThat(cache.stats().sharedHits()).isEqualTo(CALLERS - 1);
    assertThat(cache.stats().savedUsd()).isEqualByComparingTo(new java.math.BigDecimal("0.00125").multiply(
        java.math.BigDecimal.valueOf(CALLERS - 1)));
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void whenTheLeaderFailsFollowersMakeTheirOwnCallsInsteadOfInheritingTheFailure() throws Exception {
    CountDownLatch leaderInside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    h.downstream = context -> {
      entered.incrementAndGet();
      if (h.downstreamCalls.get() == 0 && leaderInside.getCount() == 1) {
        leaderInside.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        throw new ProviderException("openai", 503, null, null, true, null, "upstream unavailable", null);
      }
      return h.answer(context);
    };
    CompletionRequest r = request("acme", "q");

    Future<Harness.Result> leader = pool.submit(() -> h.call(r));
    leaderInside.await();
    List<Future<Harness.Result>> followers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      followers.add(pool.submit(() -> h.call(r)));
    }
    awaitFollowers(3);
    release.countDown();

    assertThatThrownBy(leader::get).hasCauseInstanceOf(ProviderException.class);
    for (Future<Harness.Result> f : followers) {
      Completion c = f.get().completion();
      assertThat(c.cached()).isFalse();
      assertThat(c.text()).startsWith("answer-");
    }
    assertThat(h.downstreamCalls).hasValue(3);
    // The next identical call finds one of the followers' answers in the cache.
    assertThat(h.call(r).status()).isEqualTo("hit");
  }

  @Test
  void differentRequestsDoNotWaitForEachOther() throws Exception {
    CountDownLatch leaderInside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    h.downstream = context -> {
      if (context.callId().equals("call-1")) {
        leaderInside.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      return h.answer(context);
    };
    Future<Harness.Result> slow = pool.submit(() -> h.call(request("acme", "slow question")));
    leaderInside.await();
    // Runs to completion while the first call is still blocked.
    Harness.Result other = h.call(request("acme", "another question"));
    assertThat(other.status()).isEqualTo("miss");
    release.countDown();
    assertThat(slow.get().status()).isEqualTo("miss");
  }
}
