package io.finops4j.benchmarks.loopback;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Young-GC pauses and the bytes they promote, from the JVM's own GC notifications: count, summed and longest pause,
 * and how much the old generation grew across young collections (what medium-lived objects such as cache entries
 * cost: every young GC copies them until they are promoted). One watch per measured run.
 */
final class GcWatch {

  private final AtomicLong count = new AtomicLong();
  private final AtomicLong pauseMicros = new AtomicLong();
  private final AtomicLong maxPauseMicros = new AtomicLong();
  private final AtomicLong promoted = new AtomicLong();
  private final AtomicLong survived = new AtomicLong();
  private volatile boolean on;

  private static final GcWatch CURRENT = new GcWatch();

  static {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
          CURRENT.record(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()));
        }
      }, null, null);
    }
  }

  /** Starts counting afresh (notifications arrive on a JMX thread, slightly after each collection). */
  static GcWatch start() {
    CURRENT.count.set(0);
    CURRENT.pauseMicros.set(0);
    CURRENT.maxPauseMicros.set(0);
    CURRENT.promoted.set(0);
    CURRENT.survived.set(0);
    CURRENT.on = true;
    return CURRENT;
  }

  void stop() {
    on = false;
  }

  long youngCollections() {
    return count.get();
  }

  double pauseMillis() {
    return pauseMicros.get() / 1e3;
  }

  double maxPauseMillis() {
    return maxPauseMicros.get() / 1e3;
  }

  long promotedBytes() {
    return promoted.get();
  }

  /**
   * Mean bytes a young GC copied: what survived into the survivor spaces plus what it promoted. The work of a young
   * pause, and unlike its duration not inflated when other processes hold the CPUs.
   */
  long copiedBytesPerCollection() {
    long n = count.get();
    return n == 0 ? 0 : (survived.get() + promoted.get()) / n;
  }

  private void record(GarbageCollectionNotificationInfo info) {
    if (!on || !info.getGcAction().contains("minor")) {
      return;
    }
    GcInfo gc = info.getGcInfo();
    long micros = gc.getDuration() * 1000;
    count.incrementAndGet();
    pauseMicros.addAndGet(micros);
    maxPauseMicros.accumulateAndGet(micros, Math::max);
    Map<String, MemoryUsage> after = gc.getMemoryUsageAfterGc();
    promoted.addAndGet(Math.max(0, used(after, "Old Gen", "Tenured") - used(gc.getMemoryUsageBeforeGc(), "Old Gen",
        "Tenured")));
    survived.addAndGet(used(after, "Survivor", "Survivor"));
  }

  private static long used(Map<String, MemoryUsage> pools, String name, String otherName) {
    long sum = 0;
    for (Map.Entry<String, MemoryUsage> e : pools.entrySet()) {
      if (e.getKey().contains(name) || e.getKey().contains(otherName)) {
        sum += e.getValue().getUsed();
      }
    }
    return sum;
  }
}
