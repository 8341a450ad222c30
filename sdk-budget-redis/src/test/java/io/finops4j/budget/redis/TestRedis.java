package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The shared test Redis ({@link #url()}: {@code FINOPS4J_TEST_REDIS_URL}, the server on 127.0.0.1:6379, or one
 * started for the test JVM) with a random key prefix per test; deletes that prefix's keys on close.
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

  /**
   * {@code FINOPS4J_TEST_REDIS_URL} when set; else the server on 127.0.0.1:6379 (or {@code
   * FINOPS4J_TEST_REDIS_PROBE}, {@code host:port}) when one answers; else a
   * redis-server started for this JVM on a free port (see {@link PrivateRedis} for where the binary comes from),
   * stopped when the JVM exits.
   */
  static synchronized String url() {
    String env = System.getenv("FINOPS4J_TEST_REDIS_URL");
    if (env != null && !env.isBlank()) {
      return env;
    }
    if (started == null) {
      // where a running server is looked for; CI points it at a closed port to prove the fallback below
      String probe = System.getenv().getOrDefault("FINOPS4J_TEST_REDIS_PROBE", "127.0.0.1:6379");
      String host = probe.substring(0, probe.lastIndexOf(':'));
      int port = Integer.parseInt(probe.substring(probe.lastIndexOf(':') + 1));
      if (answers(host, port)) {
        return "redis://" + probe;
      }
      try {
        PrivateRedis own = new PrivateRedis();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            own.close();
          } catch (Exception e) {
            // the JVM is exiting; the server dies with its parent's pipes at worst
          }
        }, "finops4j-test-redis-stop"));
        System.out.println("no Redis on " + probe + " and FINOPS4J_TEST_REDIS_URL unset: started redis-server "
            + PrivateRedis.binary() + " on " + own.url() + " (pid " + own.pid() + ") for these tests");
        started = own;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return started.url();
  }

  private static PrivateRedis started;

  /** True when something answers PING with PONG on {@code host:port}. */
  private static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      s.setSoTimeout(2000);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] b = new byte[5];
      return s.getInputStream().readNBytes(b, 0, 5) == 5 && new String(b, StandardCharsets.US_ASCII)
          .equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  RedisBudgetStore.Builder store() {
    // Correctness tests on a loaded 2-core CI machine: a generous timeout, so a slow answer is not an outage.
    // Tests about timeouts set their own.
    return RedisBudgetStore.builder().url(url).keyPrefix(prefix).timeout(java.time.Duration.ofSeconds(5));
  }

  /**
   * Asserts that {@code key} expires at {@code epochMillis}: exactly with PEXPIRETIME (Redis 7); within 100 ms from
   * PTTL on an older server (the embedded Redis 6.2 of a JDK-only machine).
   */
  void assertExpiresAt(String key, long epochMillis) {
    try {
      long at = cmd.eval("return redis.call('PEXPIRETIME', KEYS[1])", ScriptOutputType.INTEGER, key);
      assertThat(at).as("expiry of " + key).isEqualTo(epochMillis);
    } catch (RedisCommandExecutionException olderThan7) {
      long at = System.currentTimeMillis() + cmd.pttl(key);
      assertThat(at).as("expiry of " + key)
          .isCloseTo(epochMillis, within(100L));
    }
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
      RedisTarget.shutdown(client);
    }
  }
}
