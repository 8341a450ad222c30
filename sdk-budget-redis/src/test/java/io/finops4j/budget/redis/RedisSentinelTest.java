package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetSnapshot;
import io.lettuce.core.RedisClient;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A master, its replica and a Sentinel, all private: the store finds the master through Sentinel, and when the
 * master is killed (by PID) and Sentinel promotes the replica, the store carries on against the new master with the
 * counters the replica had.
 */
class RedisSentinelTest {

  private static final Instant NOW = Instant.now();
  private static final long WINDOW_END = NOW.toEpochMilli() + Duration.ofDays(1).toMillis();
  private static final BudgetKey ACME = new BudgetKey("customer-day", "acme", NOW.toEpochMilli() - 1000);

  @Test
  void theStoreFollowsTheMasterThroughAFailover() throws Exception {
    try (PrivateRedis master = new PrivateRedis();
         PrivateRedis replica = new PrivateRedis("--replicaof", "127.0.0.1", String.valueOf(master.port));
         PrivateRedis sentinel = awaitReplicaThenWatch(master, replica)) {
      String url = "redis-sentinel://127.0.0.1:" + sentinel.port + "#budgets";
      try (RedisBudgetStore store = RedisBudgetStore.builder().url(url).keyPrefix("f4js")
          .timeout(Duration.ofSeconds(2)).retryInterval(Duration.ofMillis(100)).build()) {
        assertThat(store.where()).isEqualTo("master budgets via sentinel 127.0.0.1:" + sentinel.port);
        assertThat(store.reserve("c1", List.of(charge(600)), NOW).granted()).isTrue();
        store.settle("c1", new long[] {500}, NOW);
        assertThat(master.send("WAIT 1 10000")).as("the replica has the settle").isEqualTo(":1");

        master.kill();

        // calls go by the outage policy (fail-closed) until Sentinel promotes the replica; the store reconnects
        // through Sentinel by itself, polled here until it has
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!store.snapshot(ACME).equals(new BudgetSnapshot(ACME, 500, 0))) {
          // a read on the dead connection marks Redis down; flush() reconnects, asking Sentinel for the master
          assertThat(System.nanoTime()).as("the store reconnected within 60 s of the failover").isLessThan(deadline);
          store.flush();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        assertThat(store.available()).isTrue();
        assertThat(masterSeenBy(sentinel)).isEqualTo(replica.port);
        assertThat(store.reserve("c2", List.of(charge(600)), NOW).granted()).as("500 + 600 > 1000").isFalse();
        assertThat(store.reserve("c3", List.of(charge(400)), NOW).granted()).isTrue();
        store.settle("c3", new long[] {400}, NOW);
        assertThat(store.snapshot(ACME)).isEqualTo(new BudgetSnapshot(ACME, 900, 0));
        assertThat(replica.send("ROLE")).isEqualTo("*3");   // a master's ROLE reply has 3 elements
      }
    }
  }

  private static BudgetCharge charge(long amount) {
    return new BudgetCharge(ACME, amount, 1000, WINDOW_END);
  }

  /** Starts the Sentinel once the replica is in sync, so that its first look at the master already lists it. */
  private static PrivateRedis awaitReplicaThenWatch(PrivateRedis master, PrivateRedis replica) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    RedisClient c = RedisClient.create(replica.url());
    try (var conn = c.connect()) {
      while (!conn.sync().info("replication").contains("master_link_status:up")) {
        assertThat(System.nanoTime()).as("the replica synced within 30 s").isLessThan(deadline);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    } finally {
      RedisTarget.shutdown(c);
    }
    return PrivateRedis.sentinel("budgets", master.port);
  }

  private static int masterSeenBy(PrivateRedis sentinel) {
    RedisClient c = RedisClient.create(sentinel.url());
    try (StatefulRedisSentinelConnection<String, String> s = c.connectSentinel()) {
      SocketAddress a = s.sync().getMasterAddrByName("budgets");
      return ((InetSocketAddress) a).getPort();
    } finally {
      RedisTarget.shutdown(c);
    }
  }
}
