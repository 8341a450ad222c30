package io.finops4j.api;

import java.util.Objects;

/**
 * The outcome of one batch item: a {@link Completion}, priced at the batch rate, or an error.
 *
 * @param itemId the item's id
 * @param completion the answer, or {@code null} when the item failed
 * @param errorType why it failed, or {@code null}: {@code errored} with the provider's code (e.g.
 *     {@code invalid_request_error}), {@code expired} (the batch window ended first), {@code canceled}, or
 *     {@code missing_result} (the batch ended without a line for the item)
 * @param errorMessage the provider's explanation, or {@code null}; never the prompt
 */
public record BatchResult(String itemId, Completion completion, String errorType, String errorMessage) {

  public BatchResult {
    Objects.requireNonNull(itemId, "itemId");
    if ((completion == null) == (errorType == null)) {
      throw new IllegalArgumentException("a batch result is either a completion or an error");
    }
  }

  public static BatchResult ok(String itemId, Completion completion) {
    return new BatchResult(itemId, Objects.requireNonNull(completion, "completion"), null, null);
  }

  public static BatchResult failed(String itemId, String errorType, String errorMessage) {
    return new BatchResult(itemId, null, Objects.requireNonNull(errorType, "errorType"), errorMessage);
  }

  public boolean ok() {
    return completion != null;
  }
}
