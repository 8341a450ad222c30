package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Finops4jException;
import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A private redis-server stopped mid-run and started again (its data saved on stop, as a persistent production
 * Redis keeps it): each on-unavailable policy does what it promises, and once Redis is back the queued settles
 * reach it, so Redis' totals equal the sum of the actual charges.
 */
class RedisOutageTest {

  private static final Instant T0 = Instant.ofEpochMilli(System.currentTimeMillis());
  private static final long WINDOW_START = T0.toEpochMilli() - 3_600_000;
  private static final long WINDOW_END = WINDOW_START + Duration.ofDays(1).toMillis();
  private static final BudgetKey A = new BudgetKey("customer-day", "acme", WINDOW_START);
  private static final BudgetKey B = new BudgetKey("feature-day", "chat", WINDOW_START);

  private final PrivateRedis server;
  private final TestRedis redis;

  RedisOutageTest() throws Exception {
    server = new PrivateRedis();
    redis = new TestRedis(server.url());
  }

  @AfterEach
  void cleanUp() throws Exception {
    try {
      redis.close();
    } catch (RedisException e) {
      // the test's own connection may still hold the socket the restart reset; the private server goes anyway
    } finally {
      server.close();
    }
  }

  /**
   * Reads Redis' own state after a restart on a new connection: the test's connection from before the outage may
   * still hold the socket the restart reset ("Connection reset" on its next command), which is not the store's
   * behaviour under test.
   */
  private <T> T afterRestart(Function<RedisCommands<String, String>, T> read) {
    RedisClient client = RedisClient.create(server.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return read.apply(connection.sync());
    } finally {
      RedisTarget.shutdown(client);
    }
  }

  /** A store whose flusher retries only when told (flush()), so the test decides when Redis is tried. */
  private RedisBudgetStore.Builder store(OnUnavailable policy) {
    return redis.store().onUnavailable(policy).retryInterval(Duration.ofHours(1));
  }

  private static BudgetCharge charge(BudgetKey key, long amount, long limit) {
    return new BudgetCharge(key, amount, limit, WINDOW_END);
  }

  /** The server is back; flush until the store has reconnected (the restart takes a moment). */
  private static void flushAll(RedisBudgetStore store) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (store.flush() > 0 || !store.available()) {
      assertThat(System.nanoTime()).as("store reconnected and flushed within 30 s").isLessThan(deadline);
    }
  }

  @Test
  void failClosedRefusesCallsSayingTheStoreIsUnreachableAndQueuesSettles() throws Exception {
    try (RedisBudgetStore store = store(OnUnavailable.FAIL_CLOSED).build()) {
      store.reserve("c1", List.of(charge(A, 200, 1000)), T0);
      store.settle("c1", new long[] {100}, T0);
      store.reserve("c2", List.of(charge(A, 300, 1000), charge(B, 300, 1000)), T0);
      store.reserve("c3", List.of(charge(A, 50, 1000)), T0);

      server.stop();
      assertThat(store.settle("c2", new long[] {250, 250}, T0)).isEmpty();   // queued, not lost
      assertThat(store.release("c3", T0)).isTrue();
      assertThat(store.available()).isFalse();
      assertThat(store.queued()).isEqualTo(2);
      assertThatThrownBy(() -> store.reserve("c4", List.of(charge(A, 10, 1000)), T0))
          .isInstanceOf(BudgetStoreUnavailableException.class).isInstanceOf(Finops4jException.class)
          .hasMessageContaining("budget store unreachable")
          .hasMessageContaining("127.0.0.1:" + server.port)
          .hasMessageContaining("fail-closed");
      assertThat(store.flush()).isEqualTo(2);   // still down: nothing lost, nothing pushed

      server.start();
      flushAll(store);

      assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 350, 0));
      assertThat(store.snapshot(B)).isEqualTo(new BudgetSnapshot(B, 250, 0));
      assertThat(store.reserve("c5", List.of(charge(A, 650, 1000)), T0).granted()).isTrue();
      assertThat(store.droppedSettles()).isZero();
    }
  }

  @Test
  void closingDuringAnOutageReleasesTheLeasesOnceRedisIsBack() throws Exception {
    RedisBudgetStore store = store(OnUnavailable.FAIL_CLOSED).retryInterval(Duration.ofMillis(10)).build();
    store.reserve("held", List.of(charge(A, 400, 1000)), T0);
    store.reserve("spent", List.of(charge(A, 100, 1000)), T0);
    server.stop();
    assertThat(store.release("held", T0)).isTrue();          // queued: Redis is down
    assertThat(store.settle("spent", new long[] {60}, T0)).isEmpty();
    store.close();                                            // cannot push them now

    server.start();
    Thread drain = store.closeDrain();
    assertThat(drain).as("a background push of what close() could not").isNotNull();
    drain.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(drain.isAlive()).isFalse();
    // the closed store's lease no longer holds budget, and its spend arrived (read on a fresh connection: the
    // test's own one died with the server)
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(server.url());
    try (var c = client.connect()) {
      assertThat(c.sync().hget(redis.keys.counter(A), "r")).isEqualTo("0");
      assertThat(c.sync().hget(redis.keys.counter(A), "s")).isEqualTo("60");
    } finally {
      RedisTarget.shutdown(client);
    }
  }

  @Test
  void failOpenLetsCallsThroughAndPushesTheirSpendWhenRedisReturns() throws Exception {
    try (RedisBudgetStore store = store(OnUnavailable.FAIL_OPEN).build()) {
      store.reserve("c1", List.of(charge(A, 300, 1000)), T0);
      store.settle("c1", new long[] {300}, T0);
      store.reserve("c2", List.of(charge(A, 400, 1000)), T0);

      server.stop();
      BudgetReservation r = store.reserve("c3", List.of(charge(A, 900, 1000)), T0);   // unchecked
      assertThat(r.granted()).isTrue();
      assertThat(store.settle("c3", new long[] {800}, T0)).isEmpty();
      assertThat(store.settle("c2", new long[] {150}, T0)).isEmpty();
      BudgetReservation failed = store.reserve("c4", List.of(charge(A, 10, 1000)), T0);
      assertThat(failed.granted()).isTrue();
      assertThat(store.release("c4", T0)).isTrue();

      server.start();
      flushAll(store);

      // the outage overspent, and Redis now knows exactly by how much
      assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 1250, 0));
      assertThat(store.reserve("c5", List.of(charge(A, 1, 1000)), T0).granted()).isFalse();
    }
  }

  @Test
  void anOutageIsLoggedOnceHoweverManyCallsItAffects() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (RedisBudgetStore store = store(OnUnavailable.FAIL_OPEN).build()) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      for (int outage = 0; outage < 2; outage++) {
        store.reserve("first" + outage, List.of(charge(A, 1, 1000)), T0);
        server.stop();
        for (int i = 0; i < 50; i++) {
          String id = "c" + outage + ":" + i;
          store.reserve(id, List.of(charge(A, 10, 1000)), T0);
          store.settle(id, new long[] {5}, T0);
        }
        store.settle("first" + outage, new long[] {1}, T0);
        assertThat(store.flush()).isPositive();
        server.start();
        flushAll(store);
      }
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log.split("is unreachable", -1)).as(log).hasSize(3);   // one line per outage
    assertThat(log).contains("on-unavailable fail-open: calls pass without a budget check");
    assertThat(log.split("reachable again", -1)).as(log).hasSize(3);
    String spent = afterRestart(cmd -> cmd.hget(redis.keys.counter(A), "s"));
    assertThat(spent).isEqualTo("502");
  }

  @Test
  void localEnforcesItsShareOfEachLimitUntilRedisReturnsThenReconciles() throws Exception {
    try (RedisBudgetStore store = store(OnUnavailable.LOCAL).localShare(0.1).build()) {
      store.reserve("c1", List.of(charge(A, 500, 10_000)), T0);
      store.settle("c1", new long[] {500}, T0);

      server.stop();
      assertThat(store.reserve("c2", List.of(charge(A, 600, 10_000)), T0).granted()).isTrue();
      BudgetReservation denied = store.reserve("c3", List.of(charge(A, 401, 10_000)), T0);   // 600 + 401 > 1000
      assertThat(denied.granted()).isFalse();
      assertThat(denied.counters()).containsExactly(new BudgetSnapshot(A, 0, 600));
      store.settle("c2", new long[] {450}, T0);
      assertThat(store.reserve("c4", List.of(charge(A, 550, 10_000)), T0).granted()).isTrue();   // 450 + 550
      assertThat(store.release("c4", T0)).isTrue();
      assertThat(store.reserve("c5", List.of(charge(A, 50, 10_000)), T0).granted()).isTrue();
      store.settle("c5", new long[] {50}, T0);

      server.start();
      flushAll(store);

      assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 1000, 0));
      // back on Redis: the whole limit counts again, not the local share
      assertThat(store.reserve("c6", List.of(charge(A, 9000, 10_000)), T0).granted()).isTrue();
    }
  }

  @Test
  void closeFlushesQueuedSettles() throws Exception {
    RedisBudgetStore store = store(OnUnavailable.FAIL_CLOSED).build();
    store.reserve("c1", List.of(charge(A, 300, 1000)), T0);
    server.stop();
    store.settle("c1", new long[] {123}, T0);
    server.start();

    store.close();

    java.util.Map<String, String> counter = afterRestart(cmd -> cmd.hgetall(redis.keys.counter(A)));
    assertThat(counter).containsEntry("s", "123").containsEntry("r", "0");
  }

  @Test
  void aFullQueueDropsTheNewestSettleAndCountsIt() throws Exception {
    try (RedisBudgetStore store = store(OnUnavailable.FAIL_CLOSED).settleQueueCapacity(2).build()) {
      for (int i = 1; i <= 3; i++) {
        store.reserve("c" + i, List.of(charge(A, 100, 1000)), T0);
      }
      server.stop();
      store.settle("c1", new long[] {10}, T0);
      store.settle("c2", new long[] {20}, T0);
      store.settle("c3", new long[] {40}, T0);
      assertThat(store.queued()).isEqualTo(2);
      assertThat(store.droppedSettles()).isEqualTo(1);

      server.start();
      flushAll(store);

      // c3's spend is lost to Redis; its reservation still held until its lease ends
      assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 30, 100));
    }
  }

  /**
   * A Redis that answers too late (paused for two seconds) counts as unreachable after the timeout, and the
   * reservation it may still run afterwards is cancelled once it is back: nothing stays reserved.
   */
  @Test
  void aSlowRedisCountsAsUnreachableAndALateReservationIsCancelled() throws Exception {
    try (RedisBudgetStore store = store(OnUnavailable.FAIL_CLOSED).timeout(Duration.ofMillis(100)).build()) {
      store.reserve("c1", List.of(charge(A, 100, 1000)), T0);
      store.settle("c1", new long[] {40}, T0);

      redis.cmd.clientPause(2000);   // every client's commands wait two seconds, then run
      assertThatThrownBy(() -> store.reserve("c2", List.of(charge(A, 300, 1000)), T0))
          .isInstanceOf(BudgetStoreUnavailableException.class)
          .hasMessageContaining("budget store unreachable").hasMessageContaining("Timeout");
      assertThat(store.available()).isFalse();
      flushAll(store);

      assertThat(redis.cmd.get(redis.keys.call(A, "c2"))).isEqualTo("x");
      assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 40, 0));
      assertThat(store.reserve("c3", List.of(charge(A, 960, 1000)), T0).granted()).isTrue();
    }
  }

  @Test
  void aSettleWhoseReservationRedisLostStillChargesTheActualAmount() {
    try (RedisBudgetStore store = store(OnUnavailable.FAIL_CLOSED).build()) {
      store.reserve("c1", List.of(charge(A, 300, 1000)), T0);
      redis.cmd.flushall();   // a Redis restarted without persistence

      assertThat(store.settle("c1", new long[] {120}, T0)).containsExactly(new BudgetSnapshot(A, 120, 0));
      assertThat(store.settle("c1", new long[] {120}, T0)).isEmpty();
      assertThat(store.snapshot(A)).isEqualTo(new BudgetSnapshot(A, 120, 0));
    }
  }

  /**
   * Eight threads reserve and settle through one store while Redis is stopped and started again under them:
   * afterwards Redis holds exactly the sum of every actual charge, and nothing stays reserved.
   */
  @Test
  void redisStoppedUnderLoadLosesNoCharge() throws Exception {
    for (OnUnavailable policy : List.of(OnUnavailable.LOCAL, OnUnavailable.FAIL_OPEN)) {
      BudgetKey key = new BudgetKey("load-" + policy, "*", WINDOW_START);
      long limit = 1_000_000_000L;
      try (RedisBudgetStore store = store(policy).build()) {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong settled = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        CountDownLatch started = new CountDownLatch(8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int thread = t;
          futures.add(pool.submit(() -> {
            SplittableRandom random = new SplittableRandom(thread);
            started.countDown();
            for (int i = 0; !stop.get(); i++) {
              String id = policy + "-" + thread + ":" + i;
              long worst = 1 + random.nextInt(1000);
              if (!store.reserve(id, List.of(charge(key, worst, limit)), T0).granted()) {
                continue;
              }
              if (random.nextInt(10) == 0) {
                store.release(id, T0);
              } else {
                long actual = random.nextLong(worst + 1);
                store.settle(id, new long[] {actual}, T0);
                settled.addAndGet(actual);
              }
              calls.incrementAndGet();
            }
            return null;
          }));
        }
        started.await();
        awaitCalls(calls, 2000);
        server.stop();
        awaitCalls(calls, calls.get() + 2000);
        assertThat(store.available()).isFalse();
        server.start();
        flushAll(store);
        awaitCalls(calls, calls.get() + 2000);
        stop.set(true);
        for (Future<?> f : futures) {
          f.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();
        flushAll(store);

        assertThat(store.snapshot(key)).isEqualTo(new BudgetSnapshot(key, settled.get(), 0));
        long leases = afterRestart(cmd -> cmd.zcard(redis.keys.leases(key)));
        assertThat(leases).isZero();
        assertThat(store.droppedSettles()).isZero();
      }
    }
  }

  private static void awaitCalls(AtomicLong calls, long atLeast) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (calls.get() < atLeast) {
      assertThat(System.nanoTime()).as("calls keep going").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));   // waiting for progress, not a timing
    }
  }
}
