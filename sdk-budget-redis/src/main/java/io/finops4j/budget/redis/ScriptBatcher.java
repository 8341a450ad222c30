package io.finops4j.budget.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit for one connection: the script runs of concurrent callers are gathered into one {@link Script#BATCH}
 * EVALSHA (per hash slot on a cluster, where a script may only touch one slot), so many callers share one command, one
 * write, one read and one wake-up of Redis and of the event loop instead of each paying for its own. At most
 * {@link #IN_FLIGHT} batches per slot are in Redis at a time; what callers submit meanwhile waits and goes as the next
 * batch when one comes back. A caller alone is sent at once, as its own script.
 *
 * <p>Every call in a batch is run by its own script's code with its own keys and arguments, in order, inside one
 * atomic script: the same as the scripts one after another, so each call is still all or nothing and idempotent by its
 * record, and an error in one call is that call's answer only. A batch that fails as a whole (timeout, lost connection)
 * fails each of its calls with that failure, as their own commands would have.
 */
final class ScriptBatcher {

  /**
   * Batches per slot in Redis at a time. One gave the largest batches and the least Redis CPU per call (16 threads on
   * loopback: ~13 calls per batch; with 2 or 4, 5-7 or 3 and 20-40% more Redis CPU). The price is on a distant Redis:
   * a caller arriving while a batch is out waits for it, up to one round trip more than its own command would take.
   */
  static final int IN_FLIGHT = 1;
  /** Calls per batch at most, so that one script run stays short (Redis serves nobody else while it runs). */
  static final int MAX_CALLS = 64;
  /** A call's answer in a batch when its script raised an error: {-3, message}. */
  private static final long FAILED = -3;

  /** One caller's script run, answered through {@link #answer}. */
  record Run(Script script, ScriptOutputType type, String[] keys, String[] args, CompletableFuture<Object> answer) {}

  private final RedisClusterAsyncCommands<String, String> async;
  private final boolean cluster;
  private final Lane single = new Lane();
  private final ConcurrentHashMap<Integer, Lane> bySlot = new ConcurrentHashMap<>();

  ScriptBatcher(RedisClusterAsyncCommands<String, String> async, boolean cluster) {
    this.async = async;
    this.cluster = cluster;
  }

  /** Runs {@code s} with {@code keys} (all in one slot) and {@code args} in the next batch of their slot. */
  CompletableFuture<Object> submit(Script s, ScriptOutputType type, String[] keys, String[] args) {
    Run run = new Run(s, type, keys, args, new CompletableFuture<>());
    Lane lane = cluster ? bySlot.computeIfAbsent(SlotHash.getSlot(keys[0]), k -> new Lane()) : single;
    lane.queue.add(run);
    lane.send();
    return run.answer;
  }

  /** The calls waiting for one slot (one connection on a single server) and the batches of it in Redis. */
  private final class Lane {
    final ConcurrentLinkedQueue<Run> queue = new ConcurrentLinkedQueue<>();
    final AtomicInteger inFlight = new AtomicInteger();

    /** Sends what waits, as long as fewer than {@link #IN_FLIGHT} batches are out; called on submit and on answers. */
    void send() {
      while (!queue.isEmpty()) {
        int n = inFlight.get();
        if (n >= IN_FLIGHT) {
          return;   // the answer of a batch out sends what waits (it calls send after lowering inFlight)
        }
        if (!inFlight.compareAndSet(n, n + 1)) {
          continue;
        }
        List<Run> batch = new ArrayList<>();
        for (Run r; batch.size() < MAX_CALLS && (r = queue.poll()) != null; ) {
          if (!r.answer.isDone()) {   // a caller that gave up (timed out) needs no run
            batch.add(r);
          }
        }
        if (batch.isEmpty()) {
          inFlight.decrementAndGet();
          continue;
        }
        dispatch(batch, false);
      }
    }

    /** Sends one batch; its answer (or failure) is delivered to its callers, then what waits is sent. */
    private void dispatch(List<Run> batch, boolean asText) {
      RedisFuture<Object> f;
      try {
        f = command(batch, asText);
      } catch (RuntimeException e) {   // refused before it was sent (connection closed)
        deliver(batch, null, e);
        inFlight.decrementAndGet();
        return;
      }
      f.whenComplete((answer, failure) -> {
        if (failure instanceof RedisNoScriptException && !asText) {
          dispatch(batch, true);   // Redis lost its script cache (restart, SCRIPT FLUSH, failover): EVAL caches it again
          send();
          return;
        }
        try {
          deliver(batch, answer, failure);
        } catch (RuntimeException e) {   // an answer of a shape no script returns: its calls fail, the lane goes on
          for (Run r : batch) {
            r.answer.completeExceptionally(e);
          }
        } finally {
          inFlight.decrementAndGet();
          send();
        }
      });
    }

    private RedisFuture<Object> command(List<Run> batch, boolean asText) {
      if (batch.size() == 1) {   // a caller alone: its own script, as without batching
        Run r = batch.get(0);
        return asText ? async.eval(r.script.text, r.type, r.keys, r.args)
            : async.evalsha(r.script.sha, r.type, r.keys, r.args);
      }
      int nk = 0;
      int na = 0;
      for (Run r : batch) {
        nk += r.keys.length;
        na += 3 + r.args.length;
      }
      String[] keys = new String[nk];
      String[] args = new String[na];
      nk = 0;
      na = 0;
      for (Run r : batch) {
        System.arraycopy(r.keys, 0, keys, nk, r.keys.length);
        nk += r.keys.length;
        args[na] = r.script.code;
        args[na + 1] = Integer.toString(r.keys.length);
        args[na + 2] = Integer.toString(r.args.length);
        System.arraycopy(r.args, 0, args, na + 3, r.args.length);
        na += 3 + r.args.length;
      }
      return asText ? async.eval(Script.BATCH.text, ScriptOutputType.MULTI, keys, args)
          : async.evalsha(Script.BATCH.sha, ScriptOutputType.MULTI, keys, args);
    }
  }

  private static void deliver(List<Run> batch, Object answer, Throwable failure) {
    if (failure != null) {
      for (Run r : batch) {
        r.answer.completeExceptionally(failure);
      }
      return;
    }
    if (batch.size() == 1) {
      batch.get(0).answer.complete(answer);
      return;
    }
    List<?> answers = (List<?>) answer;
    for (int i = 0; i < batch.size(); i++) {
      Object a = answers.get(i);
      if (a instanceof List<?> l && l.size() == 2 && Long.valueOf(FAILED).equals(l.get(0))) {
        batch.get(i).answer.completeExceptionally(new RedisCommandExecutionException(String.valueOf(l.get(1))));
      } else {
        batch.get(i).answer.complete(a);
      }
    }
  }
}
