package io.finops4j.budget.redis;

import static io.finops4j.budget.redis.RedisBudgetStore.DEFAULT_KEY_PREFIX;
import static io.finops4j.budget.redis.RedisBudgetStore.DEFAULT_LEASE;
import static io.finops4j.budget.redis.RedisBudgetStore.DEFAULT_TIMEOUT;
import static io.finops4j.budget.redis.RedisBudgetStore.DEFAULT_URL;

import io.finops4j.api.spi.ConfigNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** Reads {@code finops4j.budget} for {@link RedisBudgetStore}; every bad value fails with its key path. */
final class RedisBudgetConfig {

  private RedisBudgetConfig() {}

  static RedisBudgetStore.Builder read(ConfigNode node, RedisBudgetStore.Builder b) {
    node.allowKeys("store", "url", "mode", "key-prefix", "timeout", "lease", "on-unavailable", "local-share",
        "settle-queue-capacity");
    ConfigNode store = node.get("store");
    if (store.isPresent() && !store.asString().trim().equalsIgnoreCase("redis")) {
      throw store.error("RedisBudgetStore needs store: redis, got '" + store.asString() + "'");
    }
    ConfigNode modeNode = node.get("mode");
    RedisMode mode = RedisMode.STANDALONE;
    if (modeNode.isPresent()) {
      mode = RedisMode.valueOf(modeNode.asOneOf(Set.of("standalone", "cluster")).toUpperCase(Locale.ROOT));
    }
    ConfigNode url = node.get("url");
    String u = url.asString(DEFAULT_URL).trim();
    String problem = RedisTarget.problem(u, mode);
    if (problem != null) {
      throw url.error(problem);
    }
    b.url(u).mode(mode);
    ConfigNode prefix = node.get("key-prefix");
    String p = prefix.asString(DEFAULT_KEY_PREFIX).trim();
    if (p.isEmpty() || p.indexOf('{') >= 0 || p.indexOf('}') >= 0) {
      throw prefix.error("must be non-empty and contain neither { nor } (it starts every key's Redis hash tag), got '"
          + p + "'");
    }
    b.keyPrefix(p);
    b.timeout(positive(node.get("timeout"), DEFAULT_TIMEOUT));
    b.lease(positive(node.get("lease"), DEFAULT_LEASE));
    ConfigNode policy = node.get("on-unavailable");
    if (policy.isPresent()) {
      String s = policy.asOneOf(Set.of("fail-closed", "fail-open", "local"));
      b.onUnavailable(OnUnavailable.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_')));
    }
    ConfigNode share = node.get("local-share");
    if (share.isPresent()) {
      BigDecimal d = share.asDecimal();
      if (d.signum() <= 0 || d.compareTo(BigDecimal.ONE) > 0) {
        throw share.error("must be a fraction of each limit above 0 and at most 1, e.g. 0.1, got "
            + d.toPlainString());
      }
      b.localShare(d.doubleValue());
    }
    ConfigNode capacity = node.get("settle-queue-capacity");
    if (capacity.isPresent()) {
      long c = capacity.asLong();
      if (c < 1 || c > Integer.MAX_VALUE) {
        throw capacity.error("must be a positive number of settles, got " + c);
      }
      b.settleQueueCapacity((int) c);
    }
    return b;
  }

  private static Duration positive(ConfigNode n, Duration dflt) {
    Duration d = n.asDuration(dflt);
    if (d.isZero() || d.isNegative()) {
      throw n.error("must be a positive duration, got " + n.raw());
    }
    return d;
  }
}
