package io.finops4j.batch;

import io.finops4j.api.Attribution;
import io.finops4j.api.BatchResult;
import io.finops4j.api.ModelId;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A submitted batch whose results have not all been recorded yet: what survives a restart, plus the future. */
final class PendingBatch {

  /**
   * One item as submitted.
   *
   * @param inputTokens the conservative input count, used if a result line lacks usage
   */
  record Item(String itemId, String callId, Attribution attribution, long inputTokens, long worstNanos,
      long worstTokens) {}

  final String id;
  final String provider;
  final ModelId model;
  final String taskType;
  final String tier;
  final Instant submittedAt;
  final List<Item> items;
  final CompletableFuture<List<BatchResult>> results = new CompletableFuture<>();
  volatile String status;
  /** Guarded by this: set once the results are recorded, so a concurrent poll never records them twice. */
  boolean done;

  PendingBatch(String id, String provider, ModelId model, String taskType, String tier, Instant submittedAt,
      List<Item> items, String status) {
    this.id = id;
    this.provider = provider;
    this.model = model;
    this.taskType = taskType;
    this.tier = tier;
    this.submittedAt = submittedAt;
    this.items = List.copyOf(items);
    this.status = status;
  }
}
