package io.finops4j.api;

import java.util.concurrent.CompletableFuture;

/**
 * The one facade an application calls for every LLM request.
 *
 * <p>A call names a <em>task type</em> (what the call is for, e.g. {@code "classification"}), never a model:
 * the policy routes the task to a tier and the tier to a model. Every call is priced from the usage the
 * provider reported, checked against budgets and caps before any network traffic, and recorded.
 *
 * <pre>{@code
 * try (Llm llm = Finops4j.fromConfig(Path.of("finops4j.yaml"))) {
 *   Completion c = llm.complete("classification", Prompt.of(text), Attribution.of("acme", "support-chat"));
 *   System.out.println(c.text() + " cost " + c.costUsd() + " USD on " + c.model());
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe; build one per application and share it. {@link #close()} flushes the
 * ledger and releases connections.
 */
public interface Llm extends AutoCloseable {

  /** Completes {@code prompt} for {@code taskType}, attributed to {@code attribution}. */
  default Completion complete(String taskType, Prompt prompt, Attribution attribution) {
    return complete(CompletionRequest.builder(taskType, prompt).attribution(attribution).build());
  }

  /**
   * Completes {@code prompt} for {@code taskType}, attributed to the current scope's attribution
   * ({@link Attribution#current()}: {@link Attribution#NONE} outside any {@link Attribution#makeCurrent()} scope).
   */
  default Completion complete(String taskType, Prompt prompt) {
    return complete(CompletionRequest.builder(taskType, prompt).build());
  }

  /** Completes a request that carries per-call options (max output tokens, cost cap, forced model or tier...). */
  Completion complete(CompletionRequest request);

  /** Asynchronous {@link #complete(String, Prompt, Attribution)}; the future fails with the same exceptions. */
  default CompletableFuture<Completion> completeAsync(String taskType, Prompt prompt, Attribution attribution) {
    return completeAsync(CompletionRequest.builder(taskType, prompt).attribution(attribution).build());
  }

  /**
   * Asynchronous {@link #complete(String, Prompt)}: the current scope's attribution is captured now, on the calling
   * thread, not when the call runs.
   */
  default CompletableFuture<Completion> completeAsync(String taskType, Prompt prompt) {
    return completeAsync(CompletionRequest.builder(taskType, prompt).build());
  }

  /**
   * Asynchronous {@link #complete(CompletionRequest)}. The library's own {@code Llm} runs the call with the
   * request's attribution made current (see {@link Attribution#makeCurrent()}), so interceptors and listeners that
   * read {@link Attribution#current()} on the executor's thread see the caller's.
   */
  CompletableFuture<Completion> completeAsync(CompletionRequest request);

  /**
   * Streams the completion: each text delta is handed to {@code listener} as it arrives, and the returned
   * {@link Completion} carries the exact usage and cost once the stream has ended. A stream that ends without
   * the provider's terminal event fails with a {@link ProviderException}, never a truncated success.
   */
  Completion stream(CompletionRequest request, TextListener listener);

  /**
   * What the price table in use says about {@code model} ({@code provider/model}; dated snapshots resolve to their
   * base model): its rates and its own output ceiling. Empty when the table does not know it, and in the default
   * implementation.
   */
  default java.util.Optional<ModelPrice> price(ModelId model) {
    return java.util.Optional.empty();
  }

  /**
   * How much of which budget is used: for dashboards, health checks and the Spring actuator endpoint. Empty when
   * no budgets are configured.
   */
  default io.finops4j.api.spi.BudgetView budgets() {
    return io.finops4j.api.spi.BudgetView.NONE;
  }

  /**
   * Streams the completion as a {@link CompletionStream} to iterate; the call runs on the library's executor and
   * hands deltas over through a bounded buffer (a slow reader slows the call, it never buffers without bound).
   * The default implementation is unsupported; the library's own {@code Llm} implements it.
   */
  default CompletionStream stream(String taskType, Prompt prompt, Attribution attribution) {
    throw new UnsupportedOperationException(getClass().getName() + " does not implement pull streams");
  }

  /**
   * Submits {@code items} of a task with {@code mode: batch} to the provider's batch API, at the batch price
   * (typically half). The worst case of every item is reserved on the budgets now, each item is settled (or
   * released, when it expires or is cancelled) as its result arrives, and each item becomes one ledger row with
   * its own attribution. The default implementation is unsupported; the library's own {@code Llm} implements it.
   */
  default BatchHandle submitBatch(String taskType, java.util.List<BatchItem> items) {
    throw new UnsupportedOperationException(getClass().getName() + " does not implement batches");
  }

  /**
   * Re-attaches to a batch submitted earlier, by this or a previous {@code Llm} of the same application (its
   * pending batches are kept in the batch state file). The default implementation is unsupported.
   */
  default BatchHandle attachBatch(String batchId) {
    throw new UnsupportedOperationException(getClass().getName() + " does not implement batches");
  }

  /** Flushes pending ledger rows and budget settlements, and releases connections and threads. */
  @Override
  void close();

  /** Receives the text of a streamed completion, one delta at a time, on the calling thread. */
  @FunctionalInterface
  interface TextListener {
    void onText(String delta);
  }
}
