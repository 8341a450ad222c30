package io.finops4j.core.cache;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Caffeine's maintenance (draining its read and write buffers, evicting, expiring) on one daemon thread, in
 * batches: a task handed over waits up to {@link #BATCH_NANOS}, or until the caches' puts since the last batch reach
 * {@link #batchWrites}, so the writes of a few milliseconds share one drain. Run on the calling thread instead, every
 * miss's store paid for the drain and whichever caller won it paid for the evictions (9.4 us of caller CPU per call at
 * 64 callers, issue 24); handed to the common pool, each write woke a thread.
 *
 * <p>Why 4 ms and a count: each batch costs a wake-up and Caffeine's fixed maintenance steps whatever it holds
 * (30-40 us of this thread's CPU on a small cloud VM, where a timed park alone is 15-30 us), and 1 ms batches at 12,000
 * stores a second spent 4.3 us of it per store against 3.3 us with 4 ms ones ({@code MaintenanceCost} in the
 * benchmarks). But Caffeine buffers at most {@code 128 x} (CPUs rounded up to a power of two) writes between drains,
 * and a store that finds the buffer full runs the maintenance on the caller's thread: so a batch also starts once
 * half that many puts have been made.
 *
 * <p>Caffeine hands over the same drain task again and again and never two at once while one is pending, so the
 * queue stays short. The bound and the TTLs hold either way (an expired entry is never served; eviction is at most a
 * batch late).
 */
final class MaintenanceExecutor implements Executor {

  private static final Logger log = LoggerFactory.getLogger(MaintenanceExecutor.class);

  /** How long the thread gathers work after a wake-up before it runs it. */
  static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(4);

  /** Shared by every cache of the JVM, as Caffeine shares the common pool: the work is small and bursty. */
  static final MaintenanceExecutor SHARED = new MaintenanceExecutor("finops4j-cache-maintenance", BATCH_NANOS,
      64 * ceilingPowerOfTwo(Runtime.getRuntime().availableProcessors()));

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean signalled = new AtomicBoolean();
  /** Puts reported through {@link #wrote()} since the current batch began gathering. */
  private final AtomicInteger writes = new AtomicInteger();
  private final long batchNanos;
  /** Puts after which a batch runs without waiting out {@link #batchNanos}. */
  final int batchWrites;
  private final Thread thread;

  MaintenanceExecutor(String name, long batchNanos, int batchWrites) {
    this.batchNanos = batchNanos;
    this.batchWrites = batchWrites;
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    // One unpark per batch: later tasks of the same batch find the flag set and only queue.
    if (!signalled.get() && signalled.compareAndSet(false, true)) {
      LockSupport.unpark(thread);
    }
  }

  /** A cache using this executor stored an entry: enough of them start the batch early. */
  void wrote() {
    if (writes.incrementAndGet() == batchWrites) {
      LockSupport.unpark(thread);
    }
  }

  private void loop() {
    while (true) {
      while (!signalled.get()) {
        LockSupport.park(this);
      }
      if (writes.get() < batchWrites) {
        LockSupport.parkNanos(this, batchNanos); // returns early when wrote() counts the batch full
      }
      // Cleared before draining: a task queued from here on signals again and is run in the next batch.
      signalled.set(false);
      writes.set(0);
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          // A task failing must not stop the maintenance of every other cache.
          log.warn("cache maintenance task failed: {}", e.getClass().getName());
        }
      }
    }
  }

  private static int ceilingPowerOfTwo(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }
}
