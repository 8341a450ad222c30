package io.finops4j.api.spi;

import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;

/**
 * One concern in the call pipeline, in the style of OkHttp's interceptors: observe or change the request,
 * call {@link Chain#proceed} (or not, to reject or answer from a cache), observe or change the completion.
 *
 * <p>The engine's order is: telemetry, user interceptors, routing, cache, cost caps and budgets, then the
 * provider call with retries and fallback. An interceptor runs on the caller's thread and must be thread-safe.
 */
@FunctionalInterface
public interface Interceptor {

  Completion intercept(Chain chain);

  /** The rest of the pipeline, as seen from one interceptor. */
  interface Chain {

    /** The request as the previous interceptors left it. */
    CompletionRequest request();

    /** Per-call state shared along the pipeline: route, prices, token estimates, attempts, events. */
    CallContext context();

    /** Runs the rest of the pipeline with {@code request} (the same or a changed copy). */
    Completion proceed(CompletionRequest request);
  }
}
