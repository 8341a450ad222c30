package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** One round trip per step: counted with INFO commandstats on a private server that nothing else talks to. */
class RoundTripTest {

  @Test
  void reserveAndSettleAreOneCommandEachWhateverTheNumberOfBudgets() throws Exception {
    try (PrivateRedis server = new PrivateRedis();
         TestRedis redis = new TestRedis(server.url());
         RedisBudgetStore store = redis.store().build()) {
      Instant now = Instant.now();
      long end = now.toEpochMilli() + 86_400_000;
      List<BudgetCharge> charges = List.of(new BudgetCharge(new BudgetKey("customer", "acme", 0), 100, 1_000_000, end),
          new BudgetCharge(new BudgetKey("feature", "chat", 0), 100, 1_000_000, end),
          new BudgetCharge(new BudgetKey("global", "*", 0), 100, BudgetCharge.UNLIMITED, end));
      store.reserve("warm-up", charges, now);
      store.settle("warm-up", new long[] {1, 1, 1}, now);
      redis.cmd.configResetstat();

      int pairs = 100;
      for (int i = 0; i < pairs; i++) {
        store.reserve("c" + i, charges, now);
        store.settle("c" + i, new long[] {50, 50, 50}, now);
      }
      store.reserve("r", charges, now);
      store.release("r", now);

      Map<String, Long> calls = commandCalls(redis.cmd.info("commandstats"));
      calls.keySet().removeIf(c -> c.equals("info") || c.startsWith("config"));
      // Redis counts the commands a script runs too: every command but evalsha is exactly what the scripts do
      // (reserve of 3 budgets: get, 3 zrangebyscore, 3 hmget, 3 hincrby, 3 zadd, set, and a pexpireat per leases set
      // that held nothing (here every time, as one call at a time empties them); counters existing already get no
      // pexpireat; settle: set ... get, 3 zrem, 6 hincrby; release: get, set, 3 zrem, 3 hincrby)
      int reserves = pairs + 1;
      assertThat(calls).isEqualTo(Map.ofEntries(
          Map.entry("evalsha", 2L * pairs + 2),
          Map.entry("get", (long) reserves + 1),
          Map.entry("set", (long) reserves + pairs + 1),
          Map.entry("zrangebyscore", 3L * reserves),
          Map.entry("hmget", 3L * reserves),
          Map.entry("zadd", 3L * reserves),
          Map.entry("pexpireat", 3L * reserves),
          Map.entry("hincrby", 3L * reserves + 6L * pairs + 3),
          Map.entry("zrem", 3L * pairs + 3)));
    }
  }

  /** {@code cmdstat_evalsha:calls=200,usec=...} lines to {evalsha=200}. */
  private static Map<String, Long> commandCalls(String info) {
    Map<String, Long> out = new TreeMap<>();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
        String calls = line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
        out.put(name, Long.parseLong(calls));
      }
    }
    return out;
  }
}
