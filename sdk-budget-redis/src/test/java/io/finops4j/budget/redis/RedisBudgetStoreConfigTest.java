package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.ConfigException;
import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.ConfigNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading {@code finops4j.budget}: defaults, every key, and errors that name the key. */
class RedisBudgetStoreConfigTest {

  private static ConfigNode budget(Map<String, Object> values) {
    return ConfigNode.root("app.yaml", "finops4j", Map.of("budget", values)).get("budget");
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void defaults() {
    RedisBudgetStore.Builder b = RedisBudgetStore.readConfig(budget(map("store", "redis")));

    assertThat(b.url).isEqualTo("redis://127.0.0.1:6379");
    assertThat(b.keyPrefix).isEqualTo("f4j");
    assertThat(b.timeout).isEqualTo(Duration.ofMillis(200));
    assertThat(b.lease).isEqualTo(Duration.ofMinutes(10));
    assertThat(b.onUnavailable).isEqualTo(OnUnavailable.FAIL_CLOSED);
    assertThat(b.localShare).isEqualTo(0.1);
    assertThat(b.settleQueueCapacity).isEqualTo(100_000);
  }

  @Test
  void readsEveryKey() {
    RedisBudgetStore.Builder b = RedisBudgetStore.readConfig(budget(map("store", "redis",
        "url", "redis://10.0.0.7:6380/2", "key-prefix", "shop", "timeout", "50ms", "lease", "2m",
        "on-unavailable", "local", "local-share", "0.25", "settle-queue-capacity", 500)));

    assertThat(b.url).isEqualTo("redis://10.0.0.7:6380/2");
    assertThat(b.keyPrefix).isEqualTo("shop");
    assertThat(b.timeout).isEqualTo(Duration.ofMillis(50));
    assertThat(b.lease).isEqualTo(Duration.ofMinutes(2));
    assertThat(b.onUnavailable).isEqualTo(OnUnavailable.LOCAL);
    assertThat(b.localShare).isEqualTo(0.25);
    assertThat(b.settleQueueCapacity).isEqualTo(500);
    assertThat(RedisBudgetStore.readConfig(budget(map("on-unavailable", "fail-open"))).onUnavailable)
        .isEqualTo(OnUnavailable.FAIL_OPEN);
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> RedisBudgetStore.readConfig(budget(map("store", "redis", "ttl", "1h"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.budget.ttl")
        .hasMessageContaining("unknown key");
    assertThatThrownBy(() -> RedisBudgetStore.readConfig(budget(map("store", "memory"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.budget.store")
        .hasMessageContaining("redis");
    assertThatThrownBy(() -> RedisBudgetStore.readConfig(budget(map("on-unavailable", "retry"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.budget.on-unavailable")
        .hasMessageContaining("fail-closed");
    assertThatThrownBy(() -> RedisBudgetStore.readConfig(budget(map("local-share", "1.5"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.budget.local-share");
    assertThatThrownBy(() -> RedisBudgetStore.readConfig(budget(map("timeout", "0ms"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.budget.timeout");
    assertThatThrownBy(() -> RedisBudgetStore.readConfig(budget(map("key-prefix", "{app}"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.budget.key-prefix");
    assertThatThrownBy(() -> RedisBudgetStore.readConfig(budget(map("settle-queue-capacity", 0))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.budget.settle-queue-capacity");
  }

  @Test
  void clusterSentinelAndTlsAreChosenFromModeAndUrl() {
    RedisBudgetStore.Builder cluster = RedisBudgetStore.readConfig(budget(map("mode", "cluster",
        "url", "rediss://:s3cret@10.0.0.1:6379,10.0.0.2:6379")));
    assertThat(cluster.mode).isEqualTo(RedisMode.CLUSTER);
    assertThat(cluster.url).isEqualTo("rediss://:s3cret@10.0.0.1:6379,10.0.0.2:6379");
    RedisBudgetStore.Builder sentinel = RedisBudgetStore.readConfig(budget(map(
        "url", "redis-sentinel://10.0.0.1:26379,10.0.0.2:26379#budgets")));
    assertThat(sentinel.mode).isEqualTo(RedisMode.STANDALONE);
    assertThat(RedisBudgetStore.readConfig(budget(map("url", "rediss://cache.example.com:6380"))).url)
        .isEqualTo("rediss://cache.example.com:6380");
  }

  @Test
  void urlsThatDoNotFitTheModeSayWhatWasExpected() {
    assertThatThrownBy(() -> RedisBudgetStore.readConfig(budget(map("url", "redis://:s3cret@h1:6379,h2:6379"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.budget.url")
        .hasMessageContaining("mode: cluster").hasMessageContaining("redis-sentinel://")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RedisBudgetStore.readConfig(budget(map("url", "redis-sentinel://h1:26379"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.budget.url")
        .hasMessageContaining("#mymaster");
    assertThatThrownBy(() -> RedisBudgetStore.readConfig(budget(map("mode", "cluster",
        "url", "redis-sentinel://h1:26379#m")))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("finops4j.budget.url").hasMessageContaining("seed nodes");
    assertThatThrownBy(() -> RedisBudgetStore.readConfig(budget(map("mode", "sharded"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.budget.mode")
        .hasMessageContaining("cluster");
    assertThatThrownBy(() -> RedisBudgetStore.builder().url("redis://h1:1,h2:2").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finops4j.budget.url")
        .hasMessageContaining("mode: cluster");
  }

  @Test
  void aBadUrlFailsWithoutShowingItsPassword() {
    assertThatThrownBy(() -> RedisBudgetStore.readConfig(budget(map("url", "http://user:s3cret@host:6379"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("finops4j.budget.url")
        .hasMessageContaining("redis://127.0.0.1:6379").hasMessageNotContaining("s3cret");
  }

  @Test
  void fromConfigBuildsAWorkingStore() {
    try (TestRedis redis = new TestRedis();
         RedisBudgetStore store = RedisBudgetStore.fromConfig(budget(map("store", "redis", "url", redis.url,
             "key-prefix", redis.prefix)))) {
      BudgetKey k = new BudgetKey("b", "*", 0);
      long end = System.currentTimeMillis() + 60_000;
      assertThat(store.reserve("c1", List.of(new BudgetCharge(k, 5, 10, end)), Instant.now()).granted()).isTrue();
      assertThat(redis.cmd.hget(redis.keys.counter(k), "r")).isEqualTo("5");
      assertThat(store.where()).isEqualTo(redis.url.substring("redis://".length()));
    }
  }
}
