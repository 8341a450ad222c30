package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.BudgetView.BudgetUsage;
import io.finops4j.core.ConfigLoader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What {@code budgets().usage()} says when the shared Redis store can and cannot be read. */
class RedisBudgetUsageTest {

  private static final String REDIS = System.getenv().getOrDefault("FINOPS4J_TEST_REDIS_URL", "redis://127.0.0.1:6379");
  private static final Attribution ACME = Attribution.of("acme", "chat");

  private static Llm llm(String url, String prefix) {
    String yaml = """
        finops4j:
          tiers: { small: [simulator/gpt-5-mini] }
          tasks: { chat: { tier: small, max-output-tokens: 50 } }
          budgets:
            - { scope: customer, limit: 50.00, period: day }
          budget: { store: redis, url: %s, key-prefix: %s, on-unavailable: fail-open, timeout: 2s }
        """.formatted(url, prefix);
    return Finops4j.builder()
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "t.yaml")).build();
  }

  @Test
  void whileRedisIsUnreachableUsageSaysItIsNotKnown() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    try (Llm llm = llm("redis://127.0.0.1:" + port, "f4j-test-" + UUID.randomUUID())) {
      llm.complete("chat", Prompt.of("hi"), ACME); // fail-open: the call passes unchecked

      BudgetUsage u = llm.budgets().usage(ACME).get(0);
      assertThat(u.known()).isFalse();
    }
  }

  @Test
  void whenRedisAnswersUsageIsKnown() throws Exception {
    String prefix = "f4j-test-" + UUID.randomUUID();
    try (Llm llm = llm(REDIS, prefix)) {
      llm.complete("chat", Prompt.of("hi"), ACME);

      BudgetUsage u = llm.budgets().usage(ACME).get(0);
      assertThat(u.known()).isTrue();
      assertThat(u.spent()).isPositive();
    } finally {
      RedisClient client = RedisClient.create(REDIS);
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        var keys = c.sync().keys("*" + prefix + "*");
        if (!keys.isEmpty()) {
          c.sync().del(keys.toArray(new String[0]));
        }
      } finally {
        client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS); // shutdown() can hang: lettuce#2278
      }
    }
  }
}
