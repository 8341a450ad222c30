package io.finops4j.budget.redis;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import io.finops4j.api.spi.BudgetStore;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.budget.redis.RedisTarget.Link;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BudgetStore} shared by every instance of an app: counters live in Redis, and each of reserve, settle
 * and release is one atomic Lua script over all of a call's counters (one round trip, all or nothing), so spend
 * never passes a limit however many calls run on however many instances.
 *
 * <p>On a Redis Cluster ({@link RedisMode#CLUSTER}) a script may only touch one hash slot, and keys are tagged per
 * scope value so that customers spread over the shards: a call's charges are grouped by slot into parts, each
 * with its own call record in its slot, run in parallel. A reserve refused (or failed) on any part gives back the
 * parts that were granted; each part settles and releases exactly once through its own record. The module guide
 * has the argument why this never overspends. On one server or through Sentinel a call is always one part.
 *
 * <p>Per counter Redis holds a hash ({@code s} spent, {@code r} reserved) and a sorted set of the leases that
 * make up {@code r}: member {@code amount:callId}, score the lease's expiry. The reserve script first drops the
 * expired leases of the counters it touches and subtracts exactly what they held, so the reservation of a
 * crashed instance stops counting after the lease without any timer. Settle removes the call's lease (if still
 * there) and adds the actual amount; a mark per call ({@code d}) makes a repeated settle change nothing. A settle
 * after the lease still charges the actual amount: the money was spent.
 *
 * <p>Time: every expiry the scripts compute (lease scores, {@code PXAT} / {@code PEXPIREAT}) is derived from the
 * {@code Instant now} the caller passes, never from Redis' clock, so the store is as deterministic as its
 * caller's clock. The key expiries are also applied by Redis with its own clock, so {@code now} should be close
 * to real time (it is, from the engine's clock).
 *
 * <p>When Redis cannot be reached the store follows {@link OnUnavailable}; settles that cannot reach Redis wait
 * in a bounded queue, retried in the background and flushed on {@link #close()}. On a cluster that is decided per
 * node: only the parts of a call on a node that does not answer go by the policy, the others are checked in Redis.
 * Counters in Redis are exact 64-bit integers; limit checks and the counters the scripts return go through Lua
 * numbers, exact up to 2^53 units (9 million USD in nano-USD).
 */
public final class RedisBudgetStore implements BudgetStore {

  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  public static final String DEFAULT_KEY_PREFIX = "f4j";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(10);
  public static final double DEFAULT_LOCAL_SHARE = 0.1;
  public static final int DEFAULT_SETTLE_QUEUE_CAPACITY = 100_000;
  public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMillis(500);

  private static final Logger log = LoggerFactory.getLogger(RedisBudgetStore.class);
  /** How long an unsettled call is remembered here so that a late settle can still be charged. */
  private static final long LATE_SETTLE_MILLIS = Duration.ofDays(1).toMillis();
  /** 9999-12-31: an expiry Redis accepts, for windows that never end. */
  private static final long FOREVER = 253_402_300_799_999L;

  private enum Mode { REDIS, LOCAL, OPEN }

  /** Where the record of a call without charges lives. */
  private static final BudgetKey NO_CHARGE = new BudgetKey("-", "*", 0);

  /**
   * The charges of one call that share a hash slot, and the keys of the one script that handles them: the call's
   * record in that slot first, then counter and leases per charge. On one server (or Sentinel) a call is one part.
   */
  private record Part(int[] index, String[] keys) {}

  /**
   * What this instance remembers of a call between reserve and settle: per part, whether Redis holds it or it went
   * by the outage policy (its shard was unreachable).
   */
  private record Call(List<BudgetCharge> charges, Part[] parts, Mode[] modes, long forgetAt) {}

  /** A cluster node found unreachable: why, and a key in one of its slots to try it with. */
  private record Down(String failure, String probeKey) {}

  /** The answer of a part not sent because its shard is known to be down: no round trip, straight to the policy. */
  private static final class ShardDown extends RedisException {
    private static final long serialVersionUID = 1L;

    ShardDown(String shard) {
      super("Redis at " + shard + " is unreachable");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;   // an answer, not a failure to trace; made per part while a node is down
    }
  }

  /** What was spent on one counter while Redis was unreachable and is not in Redis yet. */
  private static final class Owed {
    final long windowEnd;
    long amount;   // changed only inside ConcurrentHashMap.compute

    Owed(long windowEnd) {
      this.windowEnd = windowEnd;
    }
  }

  /** A script run that could not reach Redis and waits in the queue; identity equality on purpose. */
  private static final class Pending {
    final Script script;
    final String[] keys;
    final String[] args;
    final String what;

    Pending(Script script, String[] keys, String[] args, String what) {
      this.script = script;
      this.keys = keys;
      this.args = args;
      this.what = what;
    }
  }

  private final RedisTarget target;
  private final String where;
  private final long timeoutMillis;
  private final RedisKeys keys;
  private final long leaseMillis;
  private final long doneMillis;
  private final OnUnavailable onUnavailable;
  private final double localShare;
  private final BudgetStore local;
  private final long retryMillis;
  private final LinkedBlockingDeque<Pending> queue;
  private final ConcurrentHashMap<String, Call> calls = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<BudgetKey, Owed> owed = new ConcurrentHashMap<>();
  /** The live connection; null while Redis is unreachable. */
  private final AtomicReference<Link> link = new AtomicReference<>();
  private final AtomicBoolean down = new AtomicBoolean();
  /**
   * On a cluster: the nodes ({@code host:port}) found unreachable while the others answer. Parts on them go by the
   * outage policy, parts on the others are checked in Redis as usual. Empty on one server (there the link is).
   */
  private final ConcurrentHashMap<String, Down> downShards = new ConcurrentHashMap<>();
  /** The link replaced when a node came back, closed at the next flush (calls may still be awaiting on it). */
  private final AtomicReference<Link> retired = new AtomicReference<>();
  private final ReentrantLock flushLock = new ReentrantLock();
  private final Object signal = new Object();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong nextPrune = new AtomicLong(Long.MIN_VALUE);
  private final Thread flusher;
  private volatile boolean closed;
  /** Why Redis was last found unreachable, for the messages of calls refused while it stays so. */
  private volatile String lastFailure;
  private volatile Thread closeDrain;

  private RedisBudgetStore(Builder b) {
    this.target = RedisTarget.of(b.url, b.mode, b.timeout);
    this.where = target.where();
    this.timeoutMillis = b.timeout.toMillis();
    this.keys = new RedisKeys(b.keyPrefix);
    this.leaseMillis = b.lease.toMillis();
    this.doneMillis = leaseMillis;
    this.onUnavailable = b.onUnavailable;
    this.localShare = b.localShare;
    this.local = b.localFallback != null ? b.localFallback : new LocalShareStore();
    this.retryMillis = b.retryInterval.toMillis();
    this.queue = new LinkedBlockingDeque<>(b.settleQueueCapacity);
    try {
      connect();
    } catch (RuntimeException e) {
      target.shutdown();   // a misconfiguration (a cluster node in standalone mode): nothing to keep
      throw e;
    }
    this.flusher = new Thread(this::runFlusher, "finops4j-redis-budget-flusher");
    flusher.setDaemon(true);
    flusher.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the {@code finops4j.budget} node: {@code store} (must be {@code redis} when present), {@code url},
   * {@code mode}, {@code key-prefix}, {@code timeout}, {@code lease}, {@code on-unavailable}, {@code local-share},
   * {@code settle-queue-capacity}.
   */
  public static RedisBudgetStore fromConfig(ConfigNode budgetNode) {
    return readConfig(budgetNode).build();
  }

  /** The builder {@link #fromConfig} would build, for adding what YAML cannot say (a local fallback store). */
  public static Builder readConfig(ConfigNode budgetNode) {
    return RedisBudgetConfig.read(budgetNode, builder());
  }

  // ---------------------------------------------------------------------------------------------------------
  // the protocol

  @Override
  public BudgetReservation reserve(String callId, List<BudgetCharge> charges, Instant now) {
    long nowMillis = now.toEpochMilli();
    maybePrune(nowMillis);
    if (calls.containsKey(callId)) {
      throw new IllegalStateException("call " + callId + " already holds a budget reservation");
    }
    Part[] parts = parts(callId, charges);
    Link l = link.get();
    String[][] args = new String[parts.length][];
    for (int p = 0; p < parts.length; p++) {
      int[] index = parts[p].index;
      String[] a = new String[3 + 3 * index.length];
      a[0] = Long.toString(nowMillis);
      a[1] = Long.toString(nowMillis + leaseMillis);
      a[2] = callId;
      for (int j = 0; j < index.length; j++) {
        BudgetCharge ch = charges.get(index[j]);
        a[3 + 3 * j] = Long.toString(ch.amount());
        a[4 + 3 * j] = ch.limit() == BudgetCharge.UNLIMITED ? "-1" : Long.toString(ch.limit());
        a[5 + 3 * j] = Long.toString(expiry(ch.windowEnd()));
      }
      args[p] = a;
    }
    Object[] r = run(l, Script.RESERVE, ScriptOutputType.MULTI, parts, args);
    // a part whose shard did not answer goes by the outage policy; the others are enforced in Redis as usual
    Mode[] modes = new Mode[parts.length];
    int firstOutage = -1;
    RuntimeException error = null;
    for (int p = 0; p < parts.length; p++) {
      modes[p] = Mode.REDIS;
      if (!(r[p] instanceof RuntimeException e)) {
        continue;
      }
      if (!unreachable(e)) {
        error = error == null ? e : error;
        continue;
      }
      modes[p] = onUnavailable == OnUnavailable.LOCAL ? Mode.LOCAL : Mode.OPEN;
      firstOutage = firstOutage < 0 ? p : firstOutage;
      if (!(e instanceof ShardDown)) {
        markDown(l, parts[p].keys[0], e);
        // it may have run with only its answer lost: cancel it, so that no lease lingers
        enqueue(new Pending(Script.RELEASE, parts[p].keys, releaseArgs(callId, charges, parts[p], nowMillis, "x"),
            "cancel " + callId));
      }
    }
    // a refusal (or error) on a shard that answered refuses the call; the granted parts are given back
    int refused = -1;
    List<Object> refusal = null;
    boolean duplicate = false;
    for (int p = 0; p < parts.length; p++) {
      if (!(r[p] instanceof List<?> answer)) {
        continue;
      }
      long status = (Long) answer.get(0);
      if (status == -2) {
        duplicate = true;
      } else if (status != 1) {
        int i = parts[p].index[(int) (long) (Long) answer.get(1)];
        if (refused < 0 || i < refused) {
          refused = i;
          refusal = cast(answer);
        }
      }
    }
    if (error != null || duplicate || refused >= 0) {
      giveBack(l, callId, charges, parts, r, nowMillis);
      if (error != null) {
        throw explain(error);
      }
      if (duplicate) {
        throw new IllegalStateException("call " + callId + " already holds a budget reservation");
      }
      return new BudgetReservation(refused, List.of(new BudgetSnapshot(charges.get(refused).key(),
          (Long) refusal.get(2), Math.max(0, (Long) refusal.get(3)))));
    }
    BudgetSnapshot[] out = new BudgetSnapshot[charges.size()];
    if (firstOutage >= 0) {
      BudgetReservation refusedHere;
      try {
        refusedHere = whileUnavailable(callId, charges, parts, modes, out, now, (RuntimeException) r[firstOutage], l);
      } catch (RuntimeException e) {
        giveBack(l, callId, charges, parts, r, nowMillis);   // fail-closed: the parts on healthy shards too
        throw e;
      }
      if (refusedHere != null) {
        giveBack(l, callId, charges, parts, r, nowMillis);
        return refusedHere;
      }
    }
    for (int p = 0; p < parts.length; p++) {
      if (modes[p] != Mode.REDIS) {
        continue;
      }
      List<?> answer = (List<?>) r[p];
      int[] index = parts[p].index;
      for (int j = 0; j < index.length; j++) {
        out[index[j]] = new BudgetSnapshot(charges.get(index[j]).key(), (Long) answer.get(1 + 2 * j),
            Math.max(0, (Long) answer.get(2 + 2 * j)));
      }
    }
    calls.put(callId, new Call(charges, parts, modes, nowMillis + leaseMillis + LATE_SETTLE_MILLIS));
    return new BudgetReservation(-1, Arrays.asList(out));
  }

  /** Releases the parts of a refused or failed reserve that were granted (in parallel; queued if Redis is gone). */
  private void giveBack(Link l, String callId, List<BudgetCharge> charges, Part[] parts, Object[] r, long nowMillis) {
    List<Part> granted = new ArrayList<>();
    for (int p = 0; p < parts.length; p++) {
      if (r[p] instanceof List<?> answer && (Long) answer.get(0) == 1) {
        granted.add(parts[p]);
      }
    }
    if (granted.isEmpty()) {
      return;
    }
    Part[] g = granted.toArray(new Part[0]);
    String[][] args = new String[g.length][];
    for (int p = 0; p < g.length; p++) {
      args[p] = releaseArgs(callId, charges, g[p], nowMillis, "d");
    }
    Object[] done = run(l, Script.RELEASE, ScriptOutputType.INTEGER, g, args);
    for (int p = 0; p < g.length; p++) {
      if (done[p] instanceof RuntimeException e) {
        if (unreachable(e)) {
          markDown(l, g[p].keys[0], e);
        }
        enqueue(new Pending(Script.RELEASE, g[p].keys, args[p], "release refused " + callId));
      }
    }
  }

  /**
   * Applies the outage policy to the parts whose shard did not answer ({@code modes} OPEN or LOCAL), filling their
   * snapshots into {@code out}; returns the refusal when the local share refuses, null when the call may go on.
   * Fail-closed throws, naming the first such budget and its Redis node.
   */
  private BudgetReservation whileUnavailable(String callId, List<BudgetCharge> charges, Part[] parts, Mode[] modes,
      BudgetSnapshot[] out, Instant now, RuntimeException cause, Link l) {
    switch (onUnavailable) {
      case FAIL_OPEN: {
        for (int i : indices(parts, modes, Mode.OPEN)) {
          out[i] = new BudgetSnapshot(charges.get(i).key(), 0, charges.get(i).amount());
        }
        return null;
      }
      case LOCAL: {
        int[] index = indices(parts, modes, Mode.LOCAL);
        List<BudgetCharge> shares = new ArrayList<>(index.length);
        for (int i : index) {
          BudgetCharge ch = charges.get(i);
          long limit = ch.limit() == BudgetCharge.UNLIMITED ? ch.limit() : (long) Math.floor(ch.limit() * localShare);
          shares.add(new BudgetCharge(ch.key(), ch.amount(), limit, ch.windowEnd()));
        }
        BudgetReservation r = local.reserve(callId, shares, now);
        if (!r.granted()) {
          return new BudgetReservation(index[r.deniedIndex()], r.counters());
        }
        for (int j = 0; j < index.length; j++) {
          out[index[j]] = r.counters().get(j);
        }
        return null;
      }
      default: {
        int part = 0;
        while (modes[part] == Mode.REDIS) {
          part++;
        }
        String shard = target.node(l, parts[part].keys[0]);
        Down d = downShards.get(shard);
        String why = !(cause instanceof ShardDown) ? describe(cause) : d != null ? d.failure : lastFailure;
        String budget = parts[part].index.length == 0 ? ""
            : " holding budget " + charges.get(parts[part].index[0]).key().budgetId() + " of '"
                + charges.get(parts[part].index[0]).key().scopeKey() + "'";
        throw new BudgetStoreUnavailableException(shard, "budget store unreachable: Redis at " + shard + budget
            + " did not answer" + (why != null ? " (" + why + ")" : "")
            + "; call refused because on-unavailable is fail-closed (budgets cannot be checked)",
            cause instanceof ShardDown ? null : cause);
      }
    }
  }

  /** The parts of {@code call} that Redis holds: all of them unless a shard was down at its reserve. */
  private static Part[] inRedis(Call call) {
    int n = 0;
    for (Mode m : call.modes) {
      n += m == Mode.REDIS ? 1 : 0;
    }
    if (n == call.parts.length) {
      return call.parts;
    }
    Part[] out = new Part[n];
    n = 0;
    for (int p = 0; p < call.parts.length; p++) {
      if (call.modes[p] == Mode.REDIS) {
        out[n++] = call.parts[p];
      }
    }
    return out;
  }

  /** The indices of the charges of the parts in {@code mode}, in part order (the order of a local reservation). */
  private static int[] indices(Part[] parts, Mode[] modes, Mode mode) {
    int n = 0;
    for (int p = 0; p < parts.length; p++) {
      n += modes[p] == mode ? parts[p].index.length : 0;
    }
    int[] out = new int[n];
    n = 0;
    for (int p = 0; p < parts.length; p++) {
      if (modes[p] == mode) {
        System.arraycopy(parts[p].index, 0, out, n, parts[p].index.length);
        n += parts[p].index.length;
      }
    }
    return out;
  }

  @Override
  public List<BudgetSnapshot> settle(String callId, long[] actual, Instant now) {
    Call call = calls.get(callId);
    if (call == null) {
      return List.of();
    }
    int n = call.charges.size();
    if (actual.length != n) {
      throw new IllegalArgumentException("call " + callId + " reserved " + n + " budgets but " + actual.length
          + " actual amounts were given");
    }
    if (!calls.remove(callId, call)) {
      return List.of();   // a concurrent settle or release won
    }
    Part[] parts = inRedis(call);
    if (parts.length < call.parts.length) {
      // parts that went by the outage policy: spend summed per counter, pushed when their shard returns. No
      // snapshots: alerts computed from a partial counter would be wrong
      if (Arrays.asList(call.modes).contains(Mode.LOCAL)) {
        int[] localIndex = indices(call.parts, call.modes, Mode.LOCAL);
        long[] mine = new long[localIndex.length];
        for (int j = 0; j < localIndex.length; j++) {
          mine[j] = actual[localIndex[j]];
        }
        local.settle(callId, mine, now);
      }
      for (int p = 0; p < call.parts.length; p++) {
        if (call.modes[p] == Mode.REDIS) {
          continue;
        }
        for (int i : call.parts[p].index) {
          BudgetCharge ch = call.charges.get(i);
          owe(ch.key(), ch.windowEnd(), actual[i]);
        }
      }
      if (parts.length == 0) {
        return List.of();
      }
    }
    String[][] args = new String[parts.length][];
    Pending[] pending = new Pending[parts.length];
    for (int p = 0; p < parts.length; p++) {
      int[] index = parts[p].index;
      String[] a = new String[2 + 3 * index.length];
      a[0] = Long.toString(now.toEpochMilli() + doneMillis);
      a[1] = callId;
      for (int j = 0; j < index.length; j++) {
        BudgetCharge ch = call.charges.get(index[j]);
        a[2 + 3 * j] = Long.toString(ch.amount());
        a[3 + 3 * j] = Long.toString(actual[index[j]]);
        a[4 + 3 * j] = Long.toString(expiry(ch.windowEnd()));
      }
      args[p] = a;
      pending[p] = new Pending(Script.SETTLE, parts[p].keys, a, "settle " + callId + " " + Arrays.toString(actual));
    }
    Link l = link.get();
    // each part settles once in its own slot (its record there says so), so parts retried later count once too
    Object[] r = run(l, Script.SETTLE, ScriptOutputType.MULTI, parts, args);
    // alerts need every counter right after this call's amount: none when a part went by the outage policy
    boolean complete = parts.length == call.parts.length;
    RuntimeException error = null;
    for (int p = 0; p < parts.length; p++) {
      if (r[p] instanceof RuntimeException e) {
        complete = false;
        if (!unreachable(e)) {
          error = e;
          continue;
        }
        markDown(l, parts[p].keys[0], e);
        enqueue(pending[p]);
      } else if ((Long) ((List<?>) r[p]).get(0) == 0) {
        complete = false;
      }
    }
    if (error != null) {
      throw explain(error);
    }
    if (!complete) {
      return List.of();
    }
    BudgetSnapshot[] out = new BudgetSnapshot[n];
    for (int p = 0; p < parts.length; p++) {
      List<?> answer = (List<?>) r[p];
      int[] index = parts[p].index;
      for (int j = 0; j < index.length; j++) {
        out[index[j]] = new BudgetSnapshot(call.charges.get(index[j]).key(), (Long) answer.get(1 + 2 * j),
            Math.max(0, (Long) answer.get(2 + 2 * j)));
      }
    }
    return Arrays.asList(out);
  }

  @Override
  public boolean release(String callId, Instant now) {
    Call call = calls.remove(callId);
    if (call == null) {
      return false;
    }
    Part[] parts = inRedis(call);
    boolean held = Arrays.asList(call.modes).contains(Mode.OPEN);
    if (Arrays.asList(call.modes).contains(Mode.LOCAL)) {
      held |= local.release(callId, now);
    }
    String[][] args = new String[parts.length][];
    for (int p = 0; p < parts.length; p++) {
      args[p] = releaseArgs(callId, call.charges, parts[p], now.toEpochMilli(), "d");
    }
    Link l = link.get();
    Object[] r = run(l, Script.RELEASE, ScriptOutputType.INTEGER, parts, args);
    RuntimeException error = null;
    for (int p = 0; p < parts.length; p++) {
      if (r[p] instanceof Long v) {
        held |= v == 1;
        continue;
      }
      RuntimeException e = (RuntimeException) r[p];
      if (!unreachable(e)) {
        error = e;
        continue;
      }
      markDown(l, parts[p].keys[0], e);
      enqueue(new Pending(Script.RELEASE, parts[p].keys, args[p], "release " + callId));
      held = true;
    }
    if (error != null) {
      throw explain(error);
    }
    return held;
  }

  /** The counter in Redis; while Redis is unreachable, this instance's local counter (zeros unless local). */
  @Override
  public BudgetSnapshot snapshot(BudgetKey key) {
    Link l = link.get();
    String counter = keys.counter(key);
    if (l != null && (downShards.isEmpty() || !downShards.containsKey(target.node(l, counter)))) {
      try {
        return snapshot(key, l.sync().hmget(counter, "s", "r"));
      } catch (RuntimeException e) {
        if (!unreachable(e)) {
          throw e;
        }
        markDown(l, counter, e);
      }
    }
    // Redis cannot be read: what this instance holds locally is all it knows, and it says so
    BudgetSnapshot mine = local.snapshot(key);
    return new BudgetSnapshot(key, mine.spent(), mine.reserved(), false);
  }

  /**
   * Every counter of this key prefix (SCAN; on a cluster, every master in turn): slow, for dashboards; empty while
   * Redis is unreachable.
   */
  @Override
  public List<BudgetSnapshot> snapshots() {
    Link l = link.get();
    List<BudgetSnapshot> out = new ArrayList<>();
    if (l == null) {
      return out;
    }
    RedisClusterCommands<String, String> c = l.sync();
    try {
      ScanArgs match = ScanArgs.Builder.matches(keys.counterPattern()).limit(1000);
      KeyScanCursor<String> cursor = c.scan(match);
      while (true) {
        for (String k : cursor.getKeys()) {
          BudgetKey key = keys.parseCounter(k);
          if (key != null) {
            out.add(snapshot(key, c.hmget(k, "s", "r")));
          }
        }
        if (cursor.isFinished()) {
          return out;
        }
        cursor = c.scan(cursor, match);   // the cursor itself: on a cluster it knows which node comes next
      }
    } catch (RuntimeException e) {
      if (!unreachable(e)) {
        throw e;
      }
      markDown(l, null, e);
      return List.of();
    }
  }

  private static BudgetSnapshot snapshot(BudgetKey key, List<io.lettuce.core.KeyValue<String, String>> v) {
    long spent = v.get(0).hasValue() ? Long.parseLong(v.get(0).getValue()) : 0;
    long reserved = v.get(1).hasValue() ? Long.parseLong(v.get(1).getValue()) : 0;
    return new BudgetSnapshot(key, spent, Math.max(0, reserved));
  }

  // ---------------------------------------------------------------------------------------------------------
  // availability, the queue, close

  /** True while this store has a working connection to Redis (on a cluster: no node is known to be down). */
  public boolean available() {
    return link.get() != null && downShards.isEmpty();
  }

  /** Settles and releases waiting for Redis, plus counters whose outage spend is not in Redis yet. */
  public int queued() {
    return queue.size() + owed.size();
  }

  /** Settles lost because the queue was full when Redis was unreachable, since start. */
  public long droppedSettles() {
    return dropped.get();
  }

  /** Where the store lives: {@code host:port}, the cluster's seed nodes, or the Sentinel master and sentinels. */
  public String where() {
    return where;
  }

  /**
   * Tries Redis now (reconnecting when it was unreachable) and pushes every queued settle; the background
   * flusher does the same every retry interval.
   *
   * @return how many settles are still queued (0 when all reached Redis)
   */
  public int flush() {
    flushLock.lock();
    try {
      Link old = retired.getAndSet(null);
      if (old != null) {
        old.connection().closeAsync();   // replaced at the previous flush: what was awaited on it is over
      }
      if (link.get() == null && !connect()) {
        return queued();
      }
      if (!downShards.isEmpty()) {
        reviveShards();
      }
      Link l = link.get();
      moveOwedToQueue();
      // what waits for a node still down stays queued, in order; what waits for the others goes now
      Set<String> failed = new HashSet<>();
      for (Iterator<Pending> it = queue.iterator(); l != null && it.hasNext(); ) {
        Pending p = it.next();
        String shard = downShards.isEmpty() && failed.isEmpty() ? null : target.node(l, p.keys[0]);
        if (shard != null && (failed.contains(shard) || downShards.containsKey(shard))) {
          continue;
        }
        try {
          eval(l.sync(), p.script, p.script == Script.RELEASE ? ScriptOutputType.INTEGER : ScriptOutputType.MULTI,
              p.keys, p.args);
        } catch (RuntimeException e) {
          if (unreachable(e)) {
            markDown(l, p.keys[0], e);
            failed.add(target.node(l, p.keys[0]));
            l = link.get();   // null once the one server is down
            continue;
          }
          dropped.incrementAndGet();
          log.error("dropping queued budget {}: Redis refused it", p.what, e);
        }
        it.remove();   // only this thread (under flushLock) removes; others only add at the tail
      }
      return queued();
    } finally {
      flushLock.unlock();
    }
  }

  /**
   * Stops the flusher, pushes what is queued (one attempt), and closes the connection. When Redis cannot take it
   * (frozen or down), a daemon thread keeps pushing it, releasing the closed store's leases as soon as Redis answers
   * again, for up to the lease while the JVM runs; then it closes the connection.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (signal) {
      signal.notifyAll();
    }
    try {
      flusher.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = flush();
    if (left == 0) {
      disconnect();
      return;
    }
    // Redis is frozen or down at shutdown: keep trying in the background while the JVM runs, up to the lease (after
    // it the reservations have stopped counting anyway; a settle then still adds its spend)
    log.error("closing the Redis budget store at {} with {} settles and releases not yet in Redis; retrying them in"
        + " the background for up to {} while this JVM runs (if it exits first, that spend is missing from the"
        + " shared budgets and those reservations count until their lease ends)", where, left,
        Duration.ofMillis(leaseMillis));
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMillis);
    Thread t = new Thread(() -> drainAfterClose(until), "finops4j-redis-budget-close-drain");
    t.setDaemon(true);
    closeDrain = t;
    t.start();
  }

  /** After close(): pushes what close() could not, once Redis answers again, until {@code until}. */
  private void drainAfterClose(long until) {
    try {
      while (flush() > 0 && System.nanoTime() - until < 0) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(retryMillis));
      }
      int left = queued();
      if (left == 0) {
        log.info("Redis budget store at {}: the settles and releases left at close() reached Redis", where);
      } else {
        log.error("Redis budget store at {}: {} settles and releases left at close() never reached Redis: that spend"
            + " is missing from the shared budgets", where, left);
      }
    } finally {
      disconnect();
    }
  }

  /** The thread pushing what close() could not, or null (tests wait for it). */
  Thread closeDrain() {
    return closeDrain;
  }

  private void disconnect() {
    Link l = link.getAndSet(null);
    if (l != null) {
      l.connection().close();
    }
    Link old = retired.getAndSet(null);
    if (old != null) {
      old.connection().close();
    }
    target.shutdown();
  }

  private void runFlusher() {
    while (!closed) {
      try {
        if (link.get() == null || !downShards.isEmpty() || !queue.isEmpty() || !owed.isEmpty()) {
          flush();
        }
        synchronized (signal) {
          if (link.get() == null || !downShards.isEmpty()) {
            // down: one reconnect attempt per interval, however many settles arrive meanwhile
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryMillis);
            for (long left; !closed && (left = until - System.nanoTime()) > 0; ) {
              TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
          } else if (!closed && queue.isEmpty() && owed.isEmpty()) {
            signal.wait(retryMillis);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Redis budget store flusher failed; retrying", e);
      }
    }
  }

  private void enqueue(Pending p) {
    if (!queue.offerLast(p)) {
      dropped.incrementAndGet();
      log.error("budget settle queue full ({} waiting for Redis at {}): dropped {}; that spend will be missing "
          + "from the shared budgets (a held reservation still expires with its lease)", queue.size(), where,
          p.what);
      return;
    }
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /** Adds spend made during an outage to its counter's sum; inside compute, so {@link #moveOwedToQueue} can take it. */
  private void owe(BudgetKey key, long windowEnd, long amount) {
    owed.compute(key, (k, o) -> {
      Owed sum = o != null ? o : new Owed(windowEnd);
      sum.amount += amount;
      return sum;
    });
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /**
   * Turns each counter's outage spend into one queued push with an id of its own, so that a push whose answer
   * is lost and is retried counts once. A sum removed from the map is final: {@link #owe} adds only inside
   * compute, so it starts a new sum after the removal.
   */
  private void moveOwedToQueue() {
    long nowMillis = System.currentTimeMillis();
    for (BudgetKey key : owed.keySet()) {
      Owed o = owed.remove(key);
      if (o == null || o.amount == 0) {
        continue;
      }
      String id = "push-" + UUID.randomUUID();
      String[] ks = {keys.outageCharge(key, id), keys.counter(key), keys.leases(key)};
      String[] args = {Long.toString(nowMillis + doneMillis), id, "-", Long.toString(o.amount),
          Long.toString(expiry(o.windowEnd))};
      if (!queue.offerLast(new Pending(Script.SETTLE, ks, args, "outage spend " + o.amount + " on " + key))) {
        owe(key, o.windowEnd, o.amount);   // the queue is full: keep it summed here
        return;
      }
    }
  }

  private boolean connect() {
    Link l;
    try {
      l = target.connect();
    } catch (RuntimeException e) {
      markDown(null, null, e);
      return false;
    }
    try {
      if (!target.cluster() && l.sync().info("cluster").contains("cluster_enabled:1")) {
        l.connection().close();
        throw new IllegalStateException(clusterNode("it reports cluster_enabled:1"));
      }
      for (Script s : Script.values()) {
        // so that calls find them (on a cluster: on every master); EVALSHA still falls back to EVAL if they get
        // flushed, or when a master was down here: that must not take the cluster's other shards down
        try {
          l.sync().scriptLoad(s.text);
        } catch (RedisException e) {
          if (!target.cluster() || !unreachable(e)) {
            throw e;
          }
        }
      }
    } catch (RedisException e) {
      l.connection().closeAsync();
      markDown(null, null, e);
      return false;
    }
    Link old = link.getAndSet(l);
    if (old != null) {
      old.connection().closeAsync();
    }
    if (down.compareAndSet(true, false)) {
      log.info("Redis budget store at {} is reachable again; pushing {} queued settles and the outage spend of {} "
          + "counters", where, queue.size(), owed.size());
    }
    return true;
  }

  /**
   * Records that a command on {@code failed} about {@code key} could not reach Redis; logs once per outage. On a
   * cluster only the node holding {@code key} counts as down (the others keep serving their budgets); on one server
   * the connection is forgotten.
   */
  private void markDown(Link failed, String key, RuntimeException e) {
    if (e instanceof ShardDown) {
      return;   // known already
    }
    lastFailure = describe(e);
    if (target.cluster() && failed != null) {
      String shard = target.node(failed, key == null ? "" : key);
      // a failure on a link replaced meanwhile (a node came back) says nothing about the node
      if (key != null && link.get() == failed && downShards.putIfAbsent(shard, new Down(lastFailure, key)) == null) {
        log.warn("Redis node {} of the budget store at {} is unreachable ({}); on-unavailable {}: for the budgets on"
            + " that node {} until it returns, budgets on the other nodes are checked as usual; settles wait in a"
            + " queue of {}", shard, where, lastFailure, onUnavailable.yamlName(), policy(),
            queue.remainingCapacity() + queue.size());
      }
      return;
    }
    if (failed != null && link.compareAndSet(failed, null)) {
      failed.connection().closeAsync();
    }
    if (down.compareAndSet(false, true)) {
      log.warn("Redis budget store at {} is unreachable ({}); on-unavailable {}: {} until it returns; settles wait "
          + "in a queue of {}", where, lastFailure, onUnavailable.yamlName(), policy(), queue.remainingCapacity()
          + queue.size());
    }
  }

  /** What calls do during an outage, for the log. */
  private String policy() {
    switch (onUnavailable) {
      case FAIL_OPEN: return "calls pass without a budget check";
      case LOCAL: return "each instance enforces " + localShare + " of each limit locally";
      default: return "calls are refused";
    }
  }

  /**
   * On a cluster with nodes marked down: opens a fresh link (the old one keeps a dead node's connection closed,
   * as nothing reconnects by itself) and tries each such node with a key of its own; a node that answers is up
   * again, and the fresh link replaces the old one, which is closed at the next flush.
   */
  private void reviveShards() {
    Link fresh;
    try {
      fresh = target.connect();
    } catch (RuntimeException e) {
      return;
    }
    boolean any = false;
    for (Map.Entry<String, Down> d : downShards.entrySet()) {
      try {
        fresh.sync().exists(d.getValue().probeKey);
      } catch (RuntimeException e) {
        continue;
      }
      downShards.remove(d.getKey(), d.getValue());
      any = true;
      log.info("Redis node {} of the budget store at {} is reachable again; pushing what waits for it", d.getKey(),
          where);
    }
    if (!any) {
      fresh.connection().closeAsync();
      return;
    }
    Link old = link.getAndSet(fresh);
    if (old != null) {
      retired.set(old);
    }
  }

  /** The message for a cluster node configured as a single server. */
  private String clusterNode(String evidence) {
    return "Redis at " + where + " is a node of a Redis Cluster (" + evidence + "), but finops4j.budget.mode is"
        + " standalone: set finops4j.budget.mode: cluster (Builder.mode(RedisMode.CLUSTER)) so that the budget store"
        + " follows the cluster's slots";
  }

  /** A failure that is the configuration's fault rather than Redis', said plainly; others unchanged. */
  private RuntimeException explain(RuntimeException e) {
    String m = e.getMessage();
    if (!target.cluster() && m != null && (m.startsWith("MOVED ") || m.startsWith("ASK ")
        || m.startsWith("CROSSSLOT"))) {
      return new IllegalStateException(clusterNode("it answered '" + m + "'"), e);
    }
    return e;
  }

  /** True for failures that mean "Redis is not answering", false for errors a script or a bug caused. */
  static boolean unreachable(RuntimeException e) {
    if (e instanceof RedisLoadingException || e instanceof RedisBusyException || e instanceof RedisReadOnlyException) {
      return true;   // a server that is up but cannot serve: restarting, busy, or a replica after failover
    }
    String m = e.getMessage();
    if (m != null && (m.startsWith("CLUSTERDOWN") || m.startsWith("TRYAGAIN") || m.startsWith("MASTERDOWN"))) {
      return true;   // a cluster or master in the middle of a failover or resharding
    }
    if (e instanceof RedisCommandExecutionException || e instanceof RedisCommandInterruptedException) {
      return false;
    }
    return e instanceof RedisException;   // connection refused or lost, timeout, not connected
  }

  // ---------------------------------------------------------------------------------------------------------
  // helpers

  @SuppressWarnings("unchecked")
  private static <T> T eval(RedisClusterCommands<String, String> c, Script s, ScriptOutputType type, String[] keys,
      String[] args) {
    try {
      return (T) c.evalsha(s.sha, type, keys, args);
    } catch (RedisNoScriptException e) {
      // Redis lost its script cache (restart, SCRIPT FLUSH, failover): EVAL runs and caches it again
      return (T) c.eval(s.text, type, keys, args);
    }
  }

  /**
   * Runs {@code s} once per part, sending all of them before awaiting any (on a cluster the parts go to their
   * shards in parallel); per part its answer or the exception it failed with.
   */
  private Object[] run(Link l, Script s, ScriptOutputType type, Part[] parts, String[][] args) {
    Object[] out = new Object[parts.length];
    List<RedisFuture<Object>> sent = new ArrayList<>(parts.length);
    for (int p = 0; p < parts.length; p++) {
      String shard = l == null || !downShards.isEmpty() ? target.node(l, parts[p].keys[0]) : null;
      if (l == null || (shard != null && downShards.containsKey(shard))) {
        out[p] = new ShardDown(shard);
        sent.add(null);
      } else {
        sent.add(l.async().evalsha(s.sha, type, parts[p].keys, args[p]));
      }
    }
    for (int p = 0; p < parts.length; p++) {
      if (sent.get(p) == null) {
        continue;
      }
      try {
        out[p] = await(sent.get(p));
      } catch (RedisNoScriptException e) {
        try {
          // Redis lost its script cache (restart, SCRIPT FLUSH, failover): EVAL runs and caches it again
          out[p] = await(l.async().eval(s.text, type, parts[p].keys, args[p]));
        } catch (RuntimeException again) {
          out[p] = again;
        }
      } catch (RuntimeException e) {
        out[p] = e;
      }
    }
    return out;
  }

  private Object await(RedisFuture<Object> f) {
    return LettuceFutures.awaitOrCancel(f, timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> cast(List<?> answer) {
    return (List<Object>) answer;
  }

  /**
   * Splits a call's charges into parts of one hash slot each (one part on a single server, where a script may
   * touch any keys), in the order of their first charge; each part's call record lives in its slot.
   */
  private Part[] parts(String callId, List<BudgetCharge> charges) {
    int n = charges.size();
    if (!target.cluster() || n <= 1) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return new Part[] {part(callId, charges, all)};
    }
    Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      bySlot.computeIfAbsent(SlotHash.getSlot(keys.tag(charges.get(i).key())), k -> new ArrayList<>()).add(i);
    }
    Part[] out = new Part[bySlot.size()];
    int p = 0;
    for (List<Integer> group : bySlot.values()) {
      out[p++] = part(callId, charges, group.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  private Part part(String callId, List<BudgetCharge> charges, int[] index) {
    String[] ks = new String[1 + 2 * index.length];
    // a call without charges still gets a record (in the global scope's slot), as the scripts expect one
    ks[0] = keys.call(index.length == 0 ? NO_CHARGE : charges.get(index[0]).key(), callId);
    for (int j = 0; j < index.length; j++) {
      BudgetKey k = charges.get(index[j]).key();
      ks[1 + 2 * j] = keys.counter(k);
      ks[2 + 2 * j] = keys.leases(k);
    }
    return new Part(index, ks);
  }

  private String[] releaseArgs(String callId, List<BudgetCharge> charges, Part part, long nowMillis, String mark) {
    String[] args = new String[3 + part.index.length];
    args[0] = Long.toString(nowMillis + doneMillis);
    args[1] = callId;
    args[2] = mark;
    for (int j = 0; j < part.index.length; j++) {
      args[3 + j] = Long.toString(charges.get(part.index[j]).amount());
    }
    return args;
  }

  /** A counter lives until its window ended plus a lease, as the in-memory store keeps it. */
  private long expiry(long windowEnd) {
    return windowEnd >= FOREVER - leaseMillis ? FOREVER : windowEnd + leaseMillis;
  }

  private void maybePrune(long nowMillis) {
    long next = nextPrune.get();
    if (nowMillis >= next && nextPrune.compareAndSet(next, nowMillis + Math.max(1000, leaseMillis / 10))) {
      // a call that never settled nor released (its caller died): Redis expired its lease long ago
      calls.values().removeIf(c -> c.forgetAt <= nowMillis);
    }
  }

  /** The failure and, when there is one, its root cause (a refused TLS certificate, a refused connection). */
  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return one(e) + (root == e ? "" : " caused by " + one(root));
  }

  private static String one(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /** Builds a {@link RedisBudgetStore}; every setting has the default documented on its constant. */
  public static final class Builder {
    // package-private for the configuration tests
    String url = DEFAULT_URL;
    RedisMode mode = RedisMode.STANDALONE;
    String keyPrefix = DEFAULT_KEY_PREFIX;
    Duration timeout = DEFAULT_TIMEOUT;
    Duration lease = DEFAULT_LEASE;
    OnUnavailable onUnavailable = OnUnavailable.FAIL_CLOSED;
    double localShare = DEFAULT_LOCAL_SHARE;
    int settleQueueCapacity = DEFAULT_SETTLE_QUEUE_CAPACITY;
    Duration retryInterval = DEFAULT_RETRY_INTERVAL;
    BudgetStore localFallback;

    private Builder() {}

    /**
     * {@code redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS,
     * {@code redis-sentinel://[password@]host:26379[,host2:26379][/db]#masterName} for a master behind Sentinel;
     * with {@link RedisMode#CLUSTER} the seed nodes {@code redis://host1:6379,host2:6379} (or {@code rediss://}).
     */
    public Builder url(String u) { url = Objects.requireNonNull(u, "url"); return this; }

    /** {@link RedisMode#STANDALONE} (default; also Sentinel) or {@link RedisMode#CLUSTER}. */
    public Builder mode(RedisMode m) { mode = Objects.requireNonNull(m, "mode"); return this; }

    /** Starts every key's hash tag <code>{prefix:scope value}</code>; apps sharing a Redis need distinct ones. */
    public Builder keyPrefix(String p) { keyPrefix = Objects.requireNonNull(p, "keyPrefix"); return this; }

    /** How long one Redis command (and a connect) may take before Redis counts as unreachable. */
    public Builder timeout(Duration d) { timeout = requirePositive(d, "timeout"); return this; }

    /** How long a reservation may stay unsettled before it stops counting (a crashed caller). */
    public Builder lease(Duration d) { lease = requirePositive(d, "lease"); return this; }

    /** What calls do while Redis cannot be reached; {@link OnUnavailable#FAIL_CLOSED} by default. */
    public Builder onUnavailable(OnUnavailable p) {
      onUnavailable = Objects.requireNonNull(p, "onUnavailable");
      return this;
    }

    /** With {@link OnUnavailable#LOCAL}: the fraction of each limit an instance may use while Redis is down. */
    public Builder localShare(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("local-share must be above 0 and at most 1, got " + share);
      }
      localShare = share;
      return this;
    }

    /** How many settles may wait for Redis; beyond that they are dropped and logged. */
    public Builder settleQueueCapacity(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("settle-queue-capacity must be positive, got " + n);
      }
      settleQueueCapacity = n;
      return this;
    }

    /** How often the background flusher retries Redis while it is unreachable. */
    public Builder retryInterval(Duration d) { retryInterval = requirePositive(d, "retryInterval"); return this; }

    /**
     * The store that enforces the local share during an outage (the engine may pass its in-memory store);
     * a minimal built-in one otherwise. It receives charges whose limits are already scaled by the share.
     */
    public Builder localFallback(BudgetStore s) { localFallback = s; return this; }

    /** Connects (once; an unreachable Redis is not an error here: its policy applies and the store retries). */
    public RedisBudgetStore build() {
      return new RedisBudgetStore(this);
    }

    private static Duration requirePositive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
