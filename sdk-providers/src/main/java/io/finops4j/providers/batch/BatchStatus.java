package io.finops4j.providers.batch;

import java.util.List;

/**
 * A batch as last polled.
 *
 * @param id the provider's batch id
 * @param status the provider's own status word (OpenAI {@code in_progress}, {@code completed}...; Anthropic
 *     {@code in_progress}, {@code canceling}, {@code ended})
 * @param ended true when no more results will come
 * @param lines the result lines once ended (empty before); items without a line got no result
 * @param error the batch-level error when the whole batch failed (e.g. OpenAI validation), or {@code null}
 */
public record BatchStatus(String id, String status, boolean ended, List<BatchLine> lines, String error) {

  public BatchStatus {
    lines = List.copyOf(lines);
  }
}
