package io.finops4j.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Completion;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class MaintenanceExecutorTest {

  @Test
  void cacheMaintenanceRunsOffTheCallingThreadAndSurvivesAFailingTask() throws Exception {
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<String> afterFailure = new CompletableFuture<>();
    MaintenanceExecutor.SHARED.execute(() -> first.complete(Thread.currentThread().getName()));
    MaintenanceExecutor.SHARED.execute(() -> {
      throw new IllegalStateException("a listener failed");
    });
    MaintenanceExecutor.SHARED.execute(() -> afterFailure.complete(Thread.currentThread().getName()));

    assertThat(first.get()).isEqualTo("finops4j-cache-maintenance");
    assertThat(afterFailure.get()).isEqualTo("finops4j-cache-maintenance");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // the batch below would otherwise wait an hour
  void aBatchRunsEarlyOnceEnoughPutsHaveBeenMade() throws Exception {
    // Caffeine buffers a bounded number of writes between drains; a put that finds the buffer full runs the
    // maintenance on the caller's thread, so a busy cache must not wait out the batch's time.
    MaintenanceExecutor executor = new MaintenanceExecutor("test-maintenance", TimeUnit.HOURS.toNanos(1), 8);
    CompletableFuture<String> drained = new CompletableFuture<>();
    executor.execute(() -> drained.complete(Thread.currentThread().getName()));
    for (int i = 0; i < 8; i++) {
      executor.wrote();
    }
    assertThat(drained.get()).isEqualTo("test-maintenance");
  }

  @Test
  void theSharedThreadStartsABatchEarlyAtHalfOfWhatCaffeineBuffers() {
    // Caffeine's write buffer holds 128 x (CPUs rounded up to a power of two) writes
    int cpus = Runtime.getRuntime().availableProcessors();
    int buffered = 128 * (cpus <= 1 ? 1 : Integer.highestOneBit(cpus - 1) << 1);
    assertThat(MaintenanceExecutor.SHARED.batchWrites).isEqualTo(buffered / 2);
  }

  @Test
  void theDefaultStoreStaysWithinItsBoundOnceMaintenanceHasRun() {
    CaffeineResponseCache store = new CaffeineResponseCache(64 * 1024);
    Completion answer = Completion.builder().text("x".repeat(1000)).model(ModelId.parse("openai/gpt-5-mini"))
        .usage(Usage.of(10, 10)).costUsd(BigDecimal.ZERO).build();
    for (int i = 0; i < 1000; i++) {
      store.put("global|key-" + i, answer, Duration.ofMinutes(5));
    }
    store.nativeCache().cleanUp();
    long weight = store.nativeCache().policy().eviction().orElseThrow().weightedSize().orElseThrow();
    assertThat(weight).isLessThanOrEqualTo(64 * 1024);
    assertThat(store.nativeCache().estimatedSize()).isBetween(1L, 64L);
  }
}
