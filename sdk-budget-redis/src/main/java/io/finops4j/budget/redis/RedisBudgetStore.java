package io.finops4j.budget.redis;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import io.finops4j.api.spi.BudgetStore;
import io.finops4j.api.spi.ConfigNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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
 * in a bounded queue, retried in the background and flushed on {@link #close()}. Counters in Redis are exact
 * 64-bit integers; limit checks and the counters the scripts return go through Lua numbers, exact up to 2^53
 * units (9 million USD in nano-USD).
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

  /** What this instance remembers of a call between reserve and settle. */
  private record Call(List<BudgetCharge> charges, String[] keys, Mode mode, long forgetAt) {}

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

  private final RedisClient client;
  private final String where;
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
  /** The live connection's commands; null while Redis is unreachable. */
  private final AtomicReference<RedisCommands<String, String>> commands = new AtomicReference<>();
  private final AtomicBoolean down = new AtomicBoolean();
  private final ReentrantLock flushLock = new ReentrantLock();
  private final Object signal = new Object();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong nextPrune = new AtomicLong(Long.MIN_VALUE);
  private final Thread flusher;
  private volatile boolean closed;
  private volatile Thread closeDrain;

  private RedisBudgetStore(Builder b) {
    RedisURI uri;
    try {
      uri = RedisURI.create(b.url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a Redis URL: '" + redact(b.url)
          + "'; expected e.g. redis://127.0.0.1:6379");
    }
    uri.setTimeout(b.timeout);
    this.where = uri.getHost() + ":" + uri.getPort();
    this.keys = new RedisKeys(b.keyPrefix);
    this.leaseMillis = b.lease.toMillis();
    this.doneMillis = leaseMillis;
    this.onUnavailable = b.onUnavailable;
    this.localShare = b.localShare;
    this.local = b.localFallback != null ? b.localFallback : new LocalShareStore();
    this.retryMillis = b.retryInterval.toMillis();
    this.queue = new LinkedBlockingDeque<>(b.settleQueueCapacity);
    this.client = RedisClient.create(uri);
    // no silent reconnect and no command buffering while disconnected: a call must learn at once that Redis is
    // gone so its policy applies; this store reconnects itself (flusher, flush())
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(b.timeout).build())
        .timeoutOptions(TimeoutOptions.enabled(b.timeout))
        .build());
    connect();
    this.flusher = new Thread(this::runFlusher, "finops4j-redis-budget-flusher");
    flusher.setDaemon(true);
    flusher.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the {@code finops4j.budget} node: {@code store} (must be {@code redis} when present), {@code url},
   * {@code key-prefix}, {@code timeout}, {@code lease}, {@code on-unavailable}, {@code local-share},
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
    int n = charges.size();
    String[] ks = callKeys(keys.call(callId), charges);
    RedisCommands<String, String> c = commands.get();
    if (c != null) {
      String[] args = new String[3 + 3 * n];
      args[0] = Long.toString(nowMillis);
      args[1] = Long.toString(nowMillis + leaseMillis);
      args[2] = callId;
      for (int i = 0; i < n; i++) {
        BudgetCharge ch = charges.get(i);
        args[3 + 3 * i] = Long.toString(ch.amount());
        args[4 + 3 * i] = ch.limit() == BudgetCharge.UNLIMITED ? "-1" : Long.toString(ch.limit());
        args[5 + 3 * i] = Long.toString(expiry(ch.windowEnd()));
      }
      List<Object> r;
      try {
        r = eval(c, Script.RESERVE, ScriptOutputType.MULTI, ks, args);
      } catch (RuntimeException e) {
        if (!unreachable(e)) {
          throw e;
        }
        markDown(c, e);
        // the script may have run and only its answer got lost: cancel it, so its lease does not linger
        enqueue(new Pending(Script.RELEASE, ks, releaseArgs(callId, charges, nowMillis, "x"), "cancel " + callId));
        return whileUnavailable(callId, charges, ks, now, e);
      }
      return reserved(callId, charges, ks, nowMillis, r);
    }
    return whileUnavailable(callId, charges, ks, now, null);
  }

  private BudgetReservation reserved(String callId, List<BudgetCharge> charges, String[] ks, long nowMillis,
      List<Object> r) {
    long status = (Long) r.get(0);
    if (status == -2) {
      throw new IllegalStateException("call " + callId + " already holds a budget reservation");
    }
    if (status == 0) {
      int i = (int) (long) (Long) r.get(1);
      return new BudgetReservation(i, List.of(
          new BudgetSnapshot(charges.get(i).key(), (Long) r.get(2), Math.max(0, (Long) r.get(3)))));
    }
    List<BudgetSnapshot> out = new ArrayList<>(charges.size());
    for (int i = 0; i < charges.size(); i++) {
      out.add(new BudgetSnapshot(charges.get(i).key(), (Long) r.get(1 + 2 * i), Math.max(0, (Long) r.get(2 + 2 * i))));
    }
    calls.put(callId, new Call(charges, ks, Mode.REDIS, nowMillis + leaseMillis + LATE_SETTLE_MILLIS));
    return new BudgetReservation(-1, out);
  }

  private BudgetReservation whileUnavailable(String callId, List<BudgetCharge> charges, String[] ks, Instant now,
      RuntimeException cause) {
    long forgetAt = now.toEpochMilli() + leaseMillis + LATE_SETTLE_MILLIS;
    switch (onUnavailable) {
      case FAIL_OPEN: {
        List<BudgetSnapshot> out = new ArrayList<>(charges.size());
        for (BudgetCharge ch : charges) {
          out.add(new BudgetSnapshot(ch.key(), 0, ch.amount()));
        }
        calls.put(callId, new Call(charges, ks, Mode.OPEN, forgetAt));
        return new BudgetReservation(-1, out);
      }
      case LOCAL: {
        List<BudgetCharge> shares = new ArrayList<>(charges.size());
        for (BudgetCharge ch : charges) {
          long limit = ch.limit() == BudgetCharge.UNLIMITED ? ch.limit() : (long) Math.floor(ch.limit() * localShare);
          shares.add(new BudgetCharge(ch.key(), ch.amount(), limit, ch.windowEnd()));
        }
        BudgetReservation r = local.reserve(callId, shares, now);
        if (r.granted()) {
          calls.put(callId, new Call(charges, ks, Mode.LOCAL, forgetAt));
        }
        return r;
      }
      default:
        throw new BudgetStoreUnavailableException(where, "budget store unreachable: Redis at " + where
            + " did not answer" + (cause == null ? "" : " (" + describe(cause) + ")")
            + "; call refused because on-unavailable is fail-closed (budgets cannot be checked)", cause);
    }
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
    if (call.mode != Mode.REDIS) {
      // spent while Redis was unreachable: summed per counter and pushed when it returns. No snapshots: alerts
      // computed from a partial counter would be wrong
      if (call.mode == Mode.LOCAL) {
        local.settle(callId, actual, now);
      }
      for (int i = 0; i < n; i++) {
        BudgetCharge ch = call.charges.get(i);
        owe(ch.key(), ch.windowEnd(), actual[i]);
      }
      return List.of();
    }
    String[] ks = call.keys;
    String[] args = new String[2 + 3 * n];
    args[0] = Long.toString(now.toEpochMilli() + doneMillis);
    args[1] = callId;
    for (int i = 0; i < n; i++) {
      BudgetCharge ch = call.charges.get(i);
      args[2 + 3 * i] = Long.toString(ch.amount());
      args[3 + 3 * i] = Long.toString(actual[i]);
      args[4 + 3 * i] = Long.toString(expiry(ch.windowEnd()));
    }
    Pending p = new Pending(Script.SETTLE, ks, args, "settle " + callId + " " + Arrays.toString(actual));
    RedisCommands<String, String> c = commands.get();
    if (c == null) {
      enqueue(p);
      return List.of();
    }
    List<Object> r;
    try {
      r = eval(c, Script.SETTLE, ScriptOutputType.MULTI, ks, args);
    } catch (RuntimeException e) {
      if (!unreachable(e)) {
        throw e;
      }
      markDown(c, e);
      enqueue(p);
      return List.of();
    }
    if ((Long) r.get(0) == 0) {
      return List.of();
    }
    List<BudgetSnapshot> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new BudgetSnapshot(call.charges.get(i).key(), (Long) r.get(1 + 2 * i),
          Math.max(0, (Long) r.get(2 + 2 * i))));
    }
    return out;
  }

  @Override
  public boolean release(String callId, Instant now) {
    Call call = calls.remove(callId);
    if (call == null) {
      return false;
    }
    if (call.mode == Mode.LOCAL) {
      return local.release(callId, now);
    }
    if (call.mode == Mode.OPEN) {
      return true;
    }
    String[] args = releaseArgs(callId, call.charges, now.toEpochMilli(), "d");
    RedisCommands<String, String> c = commands.get();
    if (c != null) {
      try {
        Long r = eval(c, Script.RELEASE, ScriptOutputType.INTEGER, call.keys, args);
        return r == 1;
      } catch (RuntimeException e) {
        if (!unreachable(e)) {
          throw e;
        }
        markDown(c, e);
      }
    }
    enqueue(new Pending(Script.RELEASE, call.keys, args, "release " + callId));
    return true;
  }

  /** The counter in Redis; while Redis is unreachable, this instance's local counter (zeros unless local). */
  @Override
  public BudgetSnapshot snapshot(BudgetKey key) {
    RedisCommands<String, String> c = commands.get();
    if (c != null) {
      try {
        return snapshot(key, c.hmget(keys.counter(key), "s", "r"));
      } catch (RuntimeException e) {
        if (!unreachable(e)) {
          throw e;
        }
        markDown(c, e);
      }
    }
    // Redis cannot be read: what this instance holds locally is all it knows, and it says so
    BudgetSnapshot mine = local.snapshot(key);
    return new BudgetSnapshot(key, mine.spent(), mine.reserved(), false);
  }

  /** Every counter of this key prefix (SCAN): slow, for dashboards; empty while Redis is unreachable. */
  @Override
  public List<BudgetSnapshot> snapshots() {
    RedisCommands<String, String> c = commands.get();
    List<BudgetSnapshot> out = new ArrayList<>();
    if (c == null) {
      return out;
    }
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
        cursor = c.scan(ScanCursor.of(cursor.getCursor()), match);
      }
    } catch (RuntimeException e) {
      if (!unreachable(e)) {
        throw e;
      }
      markDown(c, e);
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

  /** True while this store has a working connection to Redis. */
  public boolean available() {
    return commands.get() != null;
  }

  /** Settles and releases waiting for Redis, plus counters whose outage spend is not in Redis yet. */
  public int queued() {
    return queue.size() + owed.size();
  }

  /** Settles lost because the queue was full when Redis was unreachable, since start. */
  public long droppedSettles() {
    return dropped.get();
  }

  /** Where the store lives, {@code host:port}. */
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
      RedisCommands<String, String> c = commands.get();
      if (c == null && !connect()) {
        return queued();
      }
      c = commands.get();
      moveOwedToQueue();
      Pending p;
      while (c != null && (p = queue.peekFirst()) != null) {
        try {
          eval(c, p.script, p.script == Script.RELEASE ? ScriptOutputType.INTEGER : ScriptOutputType.MULTI,
              p.keys, p.args);
        } catch (RuntimeException e) {
          if (unreachable(e)) {
            markDown(c, e);
            break;
          }
          dropped.incrementAndGet();
          log.error("dropping queued budget {}: Redis refused it", p.what, e);
        }
        queue.pollFirst();   // only this thread (under flushLock) takes from the head
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

  @SuppressWarnings("deprecation") // getStatefulConnection, deprecated at our Lettuce floor (6.5)
  private void disconnect() {
    RedisCommands<String, String> c = commands.getAndSet(null);
    if (c != null) {
      c.getStatefulConnection().close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  private void runFlusher() {
    while (!closed) {
      try {
        if (commands.get() == null || !queue.isEmpty() || !owed.isEmpty()) {
          flush();
        }
        synchronized (signal) {
          if (commands.get() == null) {
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
      String[] ks = {keys.outageCharge(id), keys.counter(key), keys.leases(key)};
      String[] args = {Long.toString(nowMillis + doneMillis), id, "-", Long.toString(o.amount),
          Long.toString(expiry(o.windowEnd))};
      if (!queue.offerLast(new Pending(Script.SETTLE, ks, args, "outage spend " + o.amount + " on " + key))) {
        owe(key, o.windowEnd, o.amount);   // the queue is full: keep it summed here
        return;
      }
    }
  }

  @SuppressWarnings("deprecation") // getStatefulConnection, deprecated at our Lettuce floor (6.5)
  private boolean connect() {
    try {
      StatefulRedisConnection<String, String> conn = client.connect();
      RedisCommands<String, String> c = conn.sync();
      for (Script s : Script.values()) {
        c.scriptLoad(s.text);   // so that calls find them; EVALSHA still falls back to EVAL if they get flushed
      }
      RedisCommands<String, String> old = commands.getAndSet(c);
      if (old != null) {
        old.getStatefulConnection().closeAsync();
      }
      if (down.compareAndSet(true, false)) {
        log.info("Redis budget store at {} is reachable again; pushing {} queued settles and the outage spend of {} "
            + "counters", where, queue.size(), owed.size());
      }
      return true;
    } catch (RuntimeException e) {
      markDown(null, e);
      return false;
    }
  }

  /** Forgets {@code failed} (the connection a command just failed on); logs once per outage. */
  @SuppressWarnings("deprecation") // getStatefulConnection, deprecated at our Lettuce floor (6.5)
  private void markDown(RedisCommands<String, String> failed, RuntimeException e) {
    if (failed != null && commands.compareAndSet(failed, null)) {
      failed.getStatefulConnection().closeAsync();
    }
    if (down.compareAndSet(false, true)) {
      String policy;
      switch (onUnavailable) {
        case FAIL_OPEN: policy = "calls pass without a budget check"; break;
        case LOCAL: policy = "each instance enforces " + localShare + " of each limit locally"; break;
        default: policy = "calls are refused"; break;
      }
      log.warn("Redis budget store at {} is unreachable ({}); on-unavailable {}: {} until it returns; settles wait "
          + "in a queue of {}", where, describe(e), onUnavailable.yamlName(), policy, queue.remainingCapacity()
          + queue.size());
    }
  }

  /** True for failures that mean "Redis is not answering", false for errors a script or a bug caused. */
  static boolean unreachable(RuntimeException e) {
    if (e instanceof RedisLoadingException || e instanceof RedisBusyException || e instanceof RedisReadOnlyException) {
      return true;   // a server that is up but cannot serve: restarting, busy, or a replica after failover
    }
    if (e instanceof RedisCommandExecutionException || e instanceof RedisCommandInterruptedException) {
      return false;
    }
    return e instanceof RedisException;   // connection refused or lost, timeout, not connected
  }

  // ---------------------------------------------------------------------------------------------------------
  // helpers

  @SuppressWarnings("unchecked")
  private static <T> T eval(RedisCommands<String, String> c, Script s, ScriptOutputType type, String[] keys,
      String[] args) {
    try {
      return (T) c.evalsha(s.sha, type, keys, args);
    } catch (RedisNoScriptException e) {
      // Redis lost its script cache (restart, SCRIPT FLUSH, failover): EVAL runs and caches it again
      return (T) c.eval(s.text, type, keys, args);
    }
  }

  private String[] callKeys(String callKey, List<BudgetCharge> charges) {
    String[] ks = new String[1 + 2 * charges.size()];
    ks[0] = callKey;
    for (int i = 0; i < charges.size(); i++) {
      BudgetKey k = charges.get(i).key();
      ks[1 + 2 * i] = keys.counter(k);
      ks[2 + 2 * i] = keys.leases(k);
    }
    return ks;
  }

  private String[] releaseArgs(String callId, List<BudgetCharge> charges, long nowMillis, String mark) {
    String[] args = new String[3 + charges.size()];
    args[0] = Long.toString(nowMillis + doneMillis);
    args[1] = callId;
    args[2] = mark;
    for (int i = 0; i < charges.size(); i++) {
      args[3 + i] = Long.toString(charges.get(i).amount());
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

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /** The URL without its password, for messages. */
  static String redact(String url) {
    return url.replaceAll("//[^@/]*@", "//***@");
  }

  /** Builds a {@link RedisBudgetStore}; every setting has the default documented on its constant. */
  public static final class Builder {
    // package-private for the configuration tests
    String url = DEFAULT_URL;
    String keyPrefix = DEFAULT_KEY_PREFIX;
    Duration timeout = DEFAULT_TIMEOUT;
    Duration lease = DEFAULT_LEASE;
    OnUnavailable onUnavailable = OnUnavailable.FAIL_CLOSED;
    double localShare = DEFAULT_LOCAL_SHARE;
    int settleQueueCapacity = DEFAULT_SETTLE_QUEUE_CAPACITY;
    Duration retryInterval = DEFAULT_RETRY_INTERVAL;
    BudgetStore localFallback;

    private Builder() {}

    /** {@code redis://[user:password@]host:port[/db]} or {@code rediss://} for TLS. */
    public Builder url(String u) { url = Objects.requireNonNull(u, "url"); return this; }

    /** Becomes the hash tag {@code {prefix}} that starts every key; apps sharing a Redis need distinct ones. */
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
