package io.finops4j.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Completion;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

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
