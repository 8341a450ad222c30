package io.finops4j.budget.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * A real Redis Cluster of three masters, each a {@link PrivateRedis} on a free port: slots split in three equal
 * ranges (CLUSTER ADDSLOTS), the nodes introduced to each other (CLUSTER MEET), ready when every node reports
 * {@code cluster_state:ok} with all 16384 slots served. Closing stops every node by its PID. {@code cluster-require-full-coverage no}, so that
 * with one node stopped the others keep serving their slots (the default would answer CLUSTERDOWN everywhere).
 */
final class LocalCluster implements AutoCloseable {

  final List<PrivateRedis> nodes = new ArrayList<>();
  /** One client for every plain connection the setup makes: forming the cluster polls each node many times. */
  private final RedisClient client = RedisClient.create();

  LocalCluster() throws Exception {
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(new PrivateRedis("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "5000", "--cluster-require-full-coverage", "no"));
      }
      int per = SlotHash.SLOT_COUNT / nodes.size();
      for (int i = 0; i < nodes.size(); i++) {
        int from = i * per;
        int to = i == nodes.size() - 1 ? SlotHash.SLOT_COUNT : from + per;
        int[] slots = IntStream.range(from, to).toArray();
        run(i, c -> c.clusterAddSlots(slots));
      }
      for (int i = 1; i < nodes.size(); i++) {
        int port = nodes.get(i).port;
        run(0, c -> c.clusterMeet("127.0.0.1", port));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!ready()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the local Redis Cluster did not reach cluster_state:ok in 60 s");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));   // polling for the cluster to form
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /** The seed URL for {@link RedisMode#CLUSTER}: every node. */
  String url() {
    StringJoiner j = new StringJoiner(",", "redis://", "");
    nodes.forEach(n -> j.add("127.0.0.1:" + n.port));
    return j.toString();
  }

  /** The node (index) that serves {@code key}'s slot. */
  int nodeOf(String key) {
    int per = SlotHash.SLOT_COUNT / nodes.size();
    return Math.min(SlotHash.getSlot(key) / per, nodes.size() - 1);
  }

  private boolean ready() {
    for (int i = 0; i < nodes.size(); i++) {
      String[] info = new String[1];
      run(i, c -> info[0] = c.clusterInfo());
      // With cluster-require-full-coverage no, a node reports ok before gossip has told it who owns the other
      // nodes' slots: ready only once every node sees every slot served (a client asks any node for the map).
      if (!info[0].contains("cluster_state:ok") || !info[0].contains("cluster_known_nodes:" + nodes.size())
          || !info[0].contains("cluster_slots_ok:" + SlotHash.SLOT_COUNT)) {
        return false;
      }
    }
    return true;
  }

  /** Runs {@code what} on a plain (not cluster-aware) connection to node {@code i}. */
  void run(int i, Consumer<RedisCommands<String, String>> what) {
    try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.create(nodes.get(i).url()))) {
      what.accept(c.sync());
    }
  }

  @Override
  public void close() throws IOException {
    RedisTarget.shutdown(client);
    for (PrivateRedis n : nodes) {
      try {
        n.close();
      } catch (Exception e) {
        throw new IOException("could not stop the cluster node on port " + n.port, e);
      }
    }
  }
}
