package io.finops4j.api;

/**
 * A streamed completion to pull from: iterate it for the text deltas in order, then read {@link #completion()}
 * for the exact usage and cost. {@link #close()} before the end cancels the call: the provider connection is cut
 * at the next delta and what was generated up to then is charged as an estimate.
 *
 * <pre>{@code
 * try (CompletionStream s = llm.stream("support-reply", Prompt.of(question), Attribution.of("acme", "chat"))) {
 *   for (String delta : s) {
 *     out.write(delta);
 *   }
 *   Completion c = s.completion();
 * }
 * }</pre>
 *
 * <p>Iterate it once, on one thread. A failure of the call surfaces from the iteration (or from
 * {@link #completion()}) as the same exception {@link Llm#complete(CompletionRequest)} would throw.
 */
public interface CompletionStream extends Iterable<String>, AutoCloseable {

  /**
   * The completed call, with exact usage and cost: blocks until the stream has ended. Throws the call's failure;
   * after {@link #close()} before the end, a {@link ProviderException} with code {@code cancelled}.
   */
  Completion completion();

  /** Cancels the call if it is still running; idempotent. */
  @Override
  void close();
}
