package io.finops4j.core.cache;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Caffeine's maintenance (draining its read and write buffers, evicting, expiring) on one daemon thread, in
 * batches: a task handed over wakes the thread at most once per {@link #BATCH_NANOS}, so the writes of a millisecond
 * share one drain. Run on the calling thread instead, every miss's store paid for the drain and whichever caller won
 * it paid for the evictions (9.4 us of caller CPU per call at 64 callers, issue 24); handed to the common pool, each
 * write woke a thread.
 *
 * <p>Caffeine hands over the same drain task again and again and never two at once while one is pending, so the
 * queue stays short. If the write buffer fills faster than this thread drains it, Caffeine's writers drain it
 * themselves (the bound and the TTLs hold either way; eviction is at most a batch late).
 */
final class MaintenanceExecutor implements Executor {

  private static final Logger log = LoggerFactory.getLogger(MaintenanceExecutor.class);

  /** How long the thread gathers work after a wake-up before it runs it. */
  static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Shared by every cache of the JVM, as Caffeine shares the common pool: the work is small and bursty. */
  static final MaintenanceExecutor SHARED = new MaintenanceExecutor("finops4j-cache-maintenance");

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean signalled = new AtomicBoolean();
  private final Thread thread;

  private MaintenanceExecutor(String name) {
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

  private void loop() {
    while (true) {
      while (!signalled.get()) {
        LockSupport.park(this);
      }
      LockSupport.parkNanos(this, BATCH_NANOS);
      // Cleared before draining: a task queued from here on signals again and is run in the next batch.
      signalled.set(false);
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
}
