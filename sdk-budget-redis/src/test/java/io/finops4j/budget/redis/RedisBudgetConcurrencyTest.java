package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetSnapshot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several independent instances (own RedisClient, own connection; and a second JVM) hammering one budget: spend
 * never passes the limit, every settled amount is counted once, nothing stays reserved, and the threshold alert
 * goes to exactly one settle across all instances.
 */
class RedisBudgetConcurrencyTest {

  private static final long WINDOW_START = System.currentTimeMillis() - 3_600_000;
  private static final long WINDOW_END = WINDOW_START + Duration.ofDays(1).toMillis();
  private static final BudgetKey SHARED = new BudgetKey("global-day", "*", WINDOW_START);

  private final TestRedis redis = new TestRedis();

  @AfterEach
  void cleanUp() {
    redis.close();
  }

  @Test
  void fourInstancesOfEightThreadsNeverOverspendAndReturnEveryReservation() throws Exception {
    int instances = 4;
    int threads = 8;
    int ops = 1500;
    long limit = 5_000_000;   // about 10k average settles: the budget runs out part-way through
    long threshold = limit * 7 / 10;
    List<RedisBudgetStore> stores = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      stores.add(redis.store().build());
    }
    try {
      Hammer.Result all = Hammer.runAll(stores, threads, ops, SHARED, limit, threshold, WINDOW_END);
      long settled = all.settled();
      long granted = all.granted();
      long rejected = all.rejected();
      long crossings = all.crossings();

      BudgetSnapshot s = stores.get(0).snapshot(SHARED);
      assertThat(s.spent()).isEqualTo(settled).isLessThanOrEqualTo(limit);
      assertThat(s.reserved()).isZero();
      assertThat(rejected).isPositive();
      assertThat(granted + rejected).isEqualTo((long) instances * threads * ops);
      assertThat(crossings).isEqualTo(1);
      long own = 0;
      for (BudgetSnapshot t : stores.get(0).snapshots()) {
        if (t.key().budgetId().equals("thread")) {
          assertThat(t.reserved()).isZero();
          own += t.spent();
        }
      }
      assertThat(own).isEqualTo(settled);
      assertThat(redis.cmd.zcard(redis.keys.leases(SHARED))).isZero();
      System.out.printf("4 instances: %d granted, %d rejected, spent %d of %d%n", granted, rejected, s.spent(), limit);
    } finally {
      stores.forEach(RedisBudgetStore::close);
    }
  }

  @Test
  void twoJvmsShareOneBudgetExactly() throws Exception {
    int threads = 8;
    int ops = 1500;
    long limit = 2_500_000;
    long threshold = limit * 7 / 10;
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        Hammer.class.getName(), redis.url, redis.prefix, String.valueOf(threads), String.valueOf(ops),
        String.valueOf(limit), String.valueOf(WINDOW_START), String.valueOf(WINDOW_END), "jvm2-");
    pb.redirectErrorStream(true);
    Process child = pb.start();
    Hammer.Result mine;
    try (RedisBudgetStore store = redis.store().build();
         BufferedReader in = new BufferedReader(
             new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      StringBuilder output = new StringBuilder();
      for (String l; (l = in.readLine()) != null && !l.equals("READY"); ) {
        output.append(l).append('\n');
      }
      child.getOutputStream().write("GO\n".getBytes(StandardCharsets.UTF_8));
      child.getOutputStream().flush();
      mine = Hammer.run(store, threads, ops, SHARED, limit, threshold, WINDOW_END, "jvm1-");
      String line = null;
      for (String l; (l = in.readLine()) != null; ) {
        output.append(l).append('\n');
        if (l.startsWith("RESULT ")) {
          line = l;
        }
      }
      assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(child.exitValue()).as(output.toString()).isZero();
      assertThat(line).as(output.toString()).isNotNull();
      String[] f = line.split(" ");
      long theirSettled = Long.parseLong(f[1]);
      long theirGranted = Long.parseLong(f[2]);
      long theirRejected = Long.parseLong(f[3]);
      long theirCrossings = Long.parseLong(f[4]);

      BudgetSnapshot s = store.snapshot(SHARED);
      assertThat(theirGranted + theirRejected).isEqualTo((long) threads * ops);
      assertThat(theirSettled).as("the other JVM spent some of the budget").isPositive();
      assertThat(mine.settled()).as("this JVM spent some of the budget").isPositive();
      assertThat(s.spent()).isEqualTo(mine.settled() + theirSettled).isLessThanOrEqualTo(limit);
      assertThat(s.reserved()).isZero();
      assertThat(mine.rejected() + theirRejected).isPositive();
      assertThat(mine.crossings() + theirCrossings).isEqualTo(1);
      System.out.printf("2 JVMs: spent %d of %d (this JVM %d, the other %d)%n", s.spent(), limit, mine.settled(),
          theirSettled);
    } finally {
      child.destroyForcibly();
    }
  }
}
