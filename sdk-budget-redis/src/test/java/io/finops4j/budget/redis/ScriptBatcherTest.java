package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.spi.BudgetKey;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit: scripts submitted while a batch is in Redis go together as one {@link Script#BATCH} run, and each
 * call in it is answered exactly as its own script would answer it. A private server whose writes are paused holds
 * the first batch in Redis while the test queues the next one, so what forms a batch is not left to timing.
 */
class ScriptBatcherTest {

  private static final BudgetKey A = new BudgetKey("customer", "acme", 0);
  private static final BudgetKey B = new BudgetKey("feature", "chat", 0);
  private static final BudgetKey C = new BudgetKey("customer", "broken", 0);
  private static final BudgetKey Z = new BudgetKey("customer", "elsewhere", 0);
  private static final long NOW = 1_800_000_000_000L;
  private static final long LEASE_END = NOW + 600_000;
  private static final long EXPIRY = NOW + 86_400_000;

  private PrivateRedis server;
  private TestRedis redis;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private ScriptBatcher batcher;

  @BeforeEach
  void start() throws Exception {
    server = new PrivateRedis();
    redis = new TestRedis(server.url());
    client = RedisClient.create(server.url());
    connection = client.connect();
    batcher = new ScriptBatcher(connection.async(), false);
    for (Script s : Script.values()) {
      redis.cmd.scriptLoad(s.text);
    }
  }

  @AfterEach
  void stop() throws Exception {
    connection.close();
    client.shutdown();
    redis.close();
    server.close();
  }

  @Test
  void callsQueuedBehindABatchInRedisGoAsOneScriptEachAnsweredAsItsOwnScriptWould() throws Exception {
    assertThat(answer(submit(reserve("s1", A, 10, 100)))).isEqualTo(List.of(1L, 0L, 10L));
    assertThat(answer(submit(reserve("r1", A, 10, 100)))).isEqualTo(List.of(1L, 0L, 20L));
    redis.cmd.set(redis.keys.counter(C), "not a counter");
    redis.cmd.configResetstat();

    List<CompletableFuture<Object>> q = new ArrayList<>();
    CompletableFuture<Object> first = inOneBatch(reserve("first", A, 10, 100), () -> {
      q.add(submit(settle("s1", A, 10, 7)));
      q.add(submit(settle("s1", A, 10, 7)));            // the same settle again: changes nothing
      q.add(submit(release("r1", A, 10)));
      q.add(submit(reserve("first", A, 10, 100)));       // held by the batch before: a duplicate
      for (int i = 1; i <= 10; i++) {
        q.add(submit(reserve("q" + i, A, 10, 100)));     // 83 left on A: q1..q8 fit, q9 and q10 do not
      }
      q.add(submit(reserve("both", A, 1, 100, B, 5, 4))); // fits on A, not on B: nothing reserved
      q.add(submit(reserve("broken", C, 1, 100)));       // its counter is a string: an error of its own
      q.add(submit(reserve("small", A, 3, 100)));        // exactly the room left
    });

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(List.of(1L, 0L, 30L));
    assertThat(answer(q.get(0))).isEqualTo(List.of(1L, 7L, 20L));
    assertThat(answer(q.get(1))).isEqualTo(List.of(0L));
    assertThat(answer(q.get(2))).isEqualTo(1L);
    assertThat(answer(q.get(3))).isEqualTo(List.of(-2L));
    for (int i = 1; i <= 8; i++) {
      assertThat(answer(q.get(3 + i))).isEqualTo(List.of(1L, 7L, 10L + 10L * i));
    }
    assertThat(answer(q.get(12))).isEqualTo(List.of(0L, 0L, 7L, 90L));
    assertThat(answer(q.get(13))).isEqualTo(List.of(0L, 0L, 7L, 90L));
    assertThat(answer(q.get(14))).isEqualTo(List.of(0L, 1L, 0L, 0L));
    assertThatThrownBy(() -> answer(q.get(15))).isInstanceOf(RedisCommandExecutionException.class)
        .hasMessageContaining("WRONGTYPE");
    assertThat(answer(q.get(16))).isEqualTo(List.of(1L, 7L, 93L));
    assertThat(evalshaCalls()).as("the first call alone, then everything queued behind it as one").isEqualTo(2);
    assertThat(redis.cmd.hgetall(redis.keys.counter(A))).containsEntry("s", "7").containsEntry("r", "93");
    assertThat(redis.cmd.exists(redis.keys.counter(B), redis.keys.leases(B))).isZero();
    assertThat(redis.cmd.zcard(redis.keys.leases(A))).as("first, q1..q8, small").isEqualTo(10);

    // every granted call settled in one batch, and that batch run again: counted once
    List<String> granted = new ArrayList<>(List.of("first", "small"));
    for (int i = 1; i <= 8; i++) {
      granted.add("q" + i);
    }
    for (int pass = 0; pass < 2; pass++) {
      List<CompletableFuture<Object>> settled = new ArrayList<>();
      inOneBatch(reserve("blocker" + pass, Z, 1, 100), () -> {
        for (String id : granted) {
          settled.add(submit(settle(id, A, id.equals("small") ? 3 : 10, 2)));
        }
      }).get(10, TimeUnit.SECONDS);
      for (int i = 0; i < settled.size(); i++) {
        List<Long> once = List.of(1L, 7L + 2L * (i + 1), 93L - reservedBefore(granted, i + 1));
        assertThat(answer(settled.get(i))).isEqualTo(pass == 0 ? once : List.of(0L));
      }
    }
    assertThat(redis.cmd.hgetall(redis.keys.counter(A))).containsEntry("s", "27").containsEntry("r", "0");
    assertThat(redis.cmd.zcard(redis.keys.leases(A))).isZero();
  }

  @Test
  void aBatchRunsAfterRedisLostItsScripts() throws Exception {
    redis.cmd.scriptFlush();
    List<CompletableFuture<Object>> q = new ArrayList<>();
    CompletableFuture<Object> first = inOneBatch(reserve("first", A, 40, 100), () -> {
      q.add(submit(reserve("second", A, 40, 100)));
      q.add(submit(reserve("third", A, 40, 100)));
    });

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(List.of(1L, 0L, 40L));
    assertThat(answer(q.get(0))).isEqualTo(List.of(1L, 0L, 80L));
    assertThat(answer(q.get(1))).isEqualTo(List.of(0L, 0L, 0L, 80L));
    assertThat(redis.cmd.hget(redis.keys.counter(A), "r")).isEqualTo("80");
  }

  /** The sum of the first {@code n} granted calls' reservations (small holds 3, the others 10). */
  private static long reservedBefore(List<String> granted, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += granted.get(i).equals("small") ? 3 : 10;
    }
    return sum;
  }

  /**
   * Submits {@code blocker} while the server's writes are paused (it is sent at once and waits in Redis), then what
   * {@code queue} submits (it waits behind the blocker), checks nothing was answered yet, and unpauses.
   */
  private CompletableFuture<Object> inOneBatch(ScriptBatcher.Run blocker, Runnable queue) {
    assertThat(server.send("CLIENT PAUSE 600000 WRITE")).isEqualTo("+OK");
    CompletableFuture<Object> first = submit(blocker);
    queue.run();
    assertThat(first).isNotDone();
    assertThat(server.send("CLIENT UNPAUSE")).isEqualTo("+OK");
    return first;
  }

  private CompletableFuture<Object> submit(ScriptBatcher.Run r) {
    return batcher.submit(r.script(), r.type(), r.keys(), r.args());
  }

  private static Object answer(CompletableFuture<Object> f) throws Exception {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private long evalshaCalls() {
    for (String line : redis.cmd.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:")) {
        return Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
      }
    }
    return 0;
  }

  // the arguments RedisBudgetStore passes to each script

  private ScriptBatcher.Run reserve(String id, Object... chargesAmountLimit) {
    int n = chargesAmountLimit.length / 3;
    String[] keys = new String[1 + 2 * n];
    String[] args = new String[3 + 3 * n];
    args[0] = Long.toString(NOW);
    args[1] = Long.toString(LEASE_END);
    args[2] = id;
    for (int i = 0; i < n; i++) {
      BudgetKey k = (BudgetKey) chargesAmountLimit[3 * i];
      keys[1 + 2 * i] = redis.keys.counter(k);
      keys[2 + 2 * i] = redis.keys.leases(k);
      args[3 + 3 * i] = chargesAmountLimit[3 * i + 1].toString();
      args[4 + 3 * i] = chargesAmountLimit[3 * i + 2].toString();
      args[5 + 3 * i] = Long.toString(EXPIRY);
    }
    keys[0] = redis.keys.call((BudgetKey) chargesAmountLimit[0], id);
    return new ScriptBatcher.Run(Script.RESERVE, ScriptOutputType.MULTI, keys, args, null);
  }

  private ScriptBatcher.Run settle(String id, BudgetKey k, long reserved, long actual) {
    return new ScriptBatcher.Run(Script.SETTLE, ScriptOutputType.MULTI,
        new String[] {redis.keys.call(k, id), redis.keys.counter(k), redis.keys.leases(k)},
        new String[] {Long.toString(LEASE_END), id, Long.toString(reserved), Long.toString(actual),
            Long.toString(EXPIRY)}, null);
  }

  private ScriptBatcher.Run release(String id, BudgetKey k, long reserved) {
    return new ScriptBatcher.Run(Script.RELEASE, ScriptOutputType.INTEGER,
        new String[] {redis.keys.call(k, id), redis.keys.counter(k), redis.keys.leases(k)},
        new String[] {Long.toString(LEASE_END), id, "d", Long.toString(reserved)}, null);
  }
}
