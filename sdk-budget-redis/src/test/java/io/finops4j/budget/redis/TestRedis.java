package io.finops4j.budget.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.UUID;

/**
 * The shared test Redis ({@code FINOPS4J_TEST_REDIS_URL}, default {@code redis://127.0.0.1:6379}) with a random
 * key prefix per test; deletes that prefix's keys on close. Connecting fails the test when Redis is down.
 */
final class TestRedis implements AutoCloseable {

  final String url;
  final String prefix = "f4jt-" + UUID.randomUUID().toString().substring(0, 8);
  final RedisKeys keys = new RedisKeys(prefix);
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  final RedisCommands<String, String> cmd;

  TestRedis() {
    this(url());
  }

  TestRedis(String url) {
    this.url = url;
    this.client = RedisClient.create(url);
    this.connection = client.connect();
    this.cmd = connection.sync();
  }

  static String url() {
    String env = System.getenv("FINOPS4J_TEST_REDIS_URL");
    return env == null || env.isBlank() ? "redis://127.0.0.1:6379" : env;
  }

  RedisBudgetStore.Builder store() {
    // Correctness tests on a loaded 2-core CI machine: a generous timeout, so a slow answer is not an outage.
    // Tests about timeouts set their own.
    return RedisBudgetStore.builder().url(url).keyPrefix(prefix).timeout(java.time.Duration.ofSeconds(5));
  }

  /** The absolute expiry of {@code key} in epoch ms (-1 none, -2 no key). */
  long expireTime(String key) {
    return cmd.eval("return redis.call('PEXPIRETIME', KEYS[1])", ScriptOutputType.INTEGER, key);
  }

  @Override
  public void close() {
    try {
      ScanArgs match = ScanArgs.Builder.matches(keys.allPattern()).limit(1000);
      KeyScanCursor<String> cursor = cmd.scan(match);
      while (true) {
        if (!cursor.getKeys().isEmpty()) {
          cmd.del(cursor.getKeys().toArray(new String[0]));
        }
        if (cursor.isFinished()) {
          break;
        }
        cursor = cmd.scan(ScanCursor.of(cursor.getCursor()), match);
      }
    } finally {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
