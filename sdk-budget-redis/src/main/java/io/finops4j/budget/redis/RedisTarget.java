package io.finops4j.budget.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the store's Redis is and how to reach it: one server, a master found through Sentinel, or a Redis Cluster.
 * Owns the Lettuce client; {@link #connect()} opens one {@link Link}.
 */
final class RedisTarget {

  private static final Logger log = LoggerFactory.getLogger(RedisTarget.class);

  /** How often the cluster's slot map is refreshed besides on MOVED/ASK redirects and lost nodes. */
  static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);

  /** One open connection, with the command views the store uses (both work on one server and on a cluster). */
  record Link(StatefulConnection<String, String> connection, RedisClusterCommands<String, String> sync,
      RedisClusterAsyncCommands<String, String> async) {}

  private final AbstractRedisClient client;
  private final boolean cluster;
  private final String where;

  private RedisTarget(AbstractRedisClient client, boolean cluster, String where) {
    this.client = client;
    this.cluster = cluster;
    this.where = where;
  }

  /**
   * What is wrong with {@code url} for {@code mode}, or null when it is fine. The message says what was expected and
   * never shows a password.
   */
  static String problem(String url, RedisMode mode) {
    String shown = "'" + redact(url) + "'";
    String scheme = url.indexOf("://") > 0 ? url.substring(0, url.indexOf("://")).toLowerCase(Locale.ROOT) : "";
    boolean plain = scheme.equals("redis") || scheme.equals("rediss");
    boolean sentinel = scheme.equals("redis-sentinel") || scheme.equals("rediss-sentinel");
    if (mode == RedisMode.CLUSTER) {
      if (!plain) {
        return "expected the seed nodes of a Redis Cluster such as redis://10.0.0.1:6379,10.0.0.2:6379 (rediss:// for"
            + " TLS) with mode: cluster, got " + shown;
      }
      try {
        RedisClusterURIUtil.toRedisURIs(URI.create(url));
        return null;
      } catch (RuntimeException e) {
        return "expected the seed nodes of a Redis Cluster such as redis://10.0.0.1:6379,10.0.0.2:6379, got " + shown;
      }
    }
    if (!plain && !sentinel && !scheme.equals("redis-socket")) {
      return "expected a Redis URL such as redis://127.0.0.1:6379, rediss://host:6380 (TLS) or"
          + " redis-sentinel://host:26379#mymaster (Sentinel), got " + shown;
    }
    String rest = url.substring(url.indexOf("://") + 3);
    String authority = rest.split("[/?#]", 2)[0];
    if (plain && authority.indexOf(',') >= 0) {
      return "expected one host in " + shown + ": for a Redis Cluster set mode: cluster (the hosts are its seed nodes);"
          + " for Sentinel use redis-sentinel://host1:26379,host2:26379#mymaster";
    }
    String noMaster = "expected the master's name after # in a Sentinel URL, e.g."
        + " redis-sentinel://127.0.0.1:26379#mymaster, got " + shown;
    RedisURI uri;
    try {
      uri = RedisURI.create(url);
    } catch (RuntimeException e) {
      return sentinel ? noMaster : "expected a Redis URL such as redis://127.0.0.1:6379, got " + shown;
    }
    return sentinel && (uri.getSentinelMasterId() == null || uri.getSentinelMasterId().isBlank()) ? noMaster : null;
  }

  /**
   * The client for {@code url} in {@code mode} (already checked with {@link #problem}). Commands time out after
   * {@code timeout}; nothing reconnects or buffers by itself: a call must learn at once that Redis is gone so that
   * its policy applies, and the store reconnects itself.
   */
  static RedisTarget of(String url, RedisMode mode, Duration timeout) {
    String problem = problem(url, mode);
    if (problem != null) {
      throw new IllegalArgumentException("finops4j.budget.url: " + problem);
    }
    SocketOptions socket = SocketOptions.builder().connectTimeout(timeout).build();
    if (mode == RedisMode.CLUSTER) {
      List<RedisURI> seeds = RedisClusterURIUtil.toRedisURIs(URI.create(url));
      StringJoiner hosts = new StringJoiner(",", "cluster ", "");
      List<RedisURI> timed = new ArrayList<>(seeds.size());
      for (RedisURI s : seeds) {
        s.setTimeout(timeout);
        timed.add(s);
        hosts.add(s.getHost() + ":" + s.getPort());
      }
      RedisClusterClient c = RedisClusterClient.create(timed);
      c.setOptions(ClusterClientOptions.builder()
          .autoReconnect(false)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .socketOptions(socket)
          .timeoutOptions(TimeoutOptions.enabled(timeout))
          // the slot map follows resharding and failover: refreshed on MOVED/ASK, lost nodes, and every 30 s
          .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
              .enablePeriodicRefresh(TOPOLOGY_REFRESH)
              .enableAllAdaptiveRefreshTriggers()
              .build())
          .build());
      return new RedisTarget(c, true, hosts.toString());
    }
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(timeout);
    String where;
    if (uri.getSentinelMasterId() != null) {
      StringJoiner sentinels = new StringJoiner(",", "master " + uri.getSentinelMasterId() + " via sentinel ", "");
      uri.getSentinels().forEach(s -> sentinels.add(s.getHost() + ":" + s.getPort()));
      where = sentinels.toString();
    } else if (uri.getSocket() != null) {
      where = uri.getSocket();
    } else {
      where = uri.getHost() + ":" + uri.getPort();
    }
    RedisClient c = RedisClient.create(uri);
    c.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(socket)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .build());
    return new RedisTarget(c, false, where);
  }

  /** True for a Redis Cluster: a script may only touch the keys of one slot. */
  boolean cluster() {
    return cluster;
  }

  /** For messages: {@code host:port}, the cluster's seed nodes, or the Sentinel master and its sentinels. */
  String where() {
    return where;
  }

  /** Opens a connection (through Sentinel: to the current master); throws a {@code RedisException} on failure. */
  Link connect() {
    if (cluster) {
      StatefulRedisClusterConnection<String, String> c = ((RedisClusterClient) client).connect();
      return new Link(c, c.sync(), c.async());
    }
    StatefulRedisConnection<String, String> c = ((RedisClient) client).connect();
    return new Link(c, c.sync(), c.async());
  }

  /**
   * The shard that holds {@code key}: on a cluster the {@code host:port} of the master {@code l}'s slot map names
   * for its slot, otherwise (one server, Sentinel, or no link) {@link #where()}.
   */
  String node(Link l, String key) {
    if (!cluster || l == null) {
      return where;
    }
    int slot = SlotHash.getSlot(key);
    RedisClusterNode n = ((StatefulRedisClusterConnection<String, String>) l.connection()).getPartitions()
        .getPartitionBySlot(slot);
    return n == null ? "the owner of slot " + slot : n.getUri().getHost() + ":" + n.getUri().getPort();
  }

  void shutdown() {
    shutdown(client);
  }

  /**
   * Shuts {@code client} down, waiting at most 5 s. Lettuce's {@code shutdown()} waits for its own future without a
   * bound, and that future sometimes never completes although every thread has stopped (redis/lettuce#2278, open
   * in 6.5): a close of the application, or a test, would then hang for good.
   */
  static void shutdown(AbstractRedisClient client) {
    try {
      client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.debug("finops4j redis: the Lettuce client did not confirm its shutdown: {}", e.toString());
    }
  }

  /** The URL without its password, for messages. */
  static String redact(String url) {
    return url.replaceAll("//[^@/]*@", "//***@");
  }
}
