package io.finops4j.api;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A submitted batch: its provider id (keep it to {@link Llm#attachBatch(String) re-attach} after a restart), its
 * last known status, and the results, which complete once every item has an outcome.
 */
public final class BatchHandle {

  private final String id;
  private final Supplier<String> status;
  private final CompletableFuture<List<BatchResult>> results;

  /**
   * @param id the provider's batch id, e.g. {@code batch_abc123} or {@code msgbatch_01...}
   * @param status the provider's last polled status (e.g. {@code in_progress}, {@code completed}, {@code ended})
   * @param results completes with one result per item, in submission order
   */
  public BatchHandle(String id, Supplier<String> status, CompletableFuture<List<BatchResult>> results) {
    this.id = Objects.requireNonNull(id, "id");
    this.status = Objects.requireNonNull(status, "status");
    this.results = Objects.requireNonNull(results, "results");
  }

  public String id() {
    return id;
  }

  /** The provider's status at the last poll. */
  public String status() {
    return status.get();
  }

  /** One result per item, in submission order, once the batch has ended. */
  public CompletableFuture<List<BatchResult>> results() {
    return results;
  }

  @Override
  public String toString() {
    return "BatchHandle[" + id + ", " + status() + "]";
  }
}
