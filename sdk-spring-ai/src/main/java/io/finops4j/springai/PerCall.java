package io.finops4j.springai;

import io.finops4j.api.Attribution;

/**
 * What {@link Finops4jAdvisor} carries from one {@code ChatClient} call to the {@link Finops4jChatModel} beneath it:
 * a task type and an attribution, or {@code null} for the decorator's own. On a thread for blocking calls, in the
 * Reactor context for streams.
 */
record PerCall(String taskType, Attribution attribution) {

  /** The Reactor context key of a stream's {@link PerCall}. */
  static final Object CONTEXT_KEY = PerCall.class;

  private static final ThreadLocal<PerCall> CURRENT = new ThreadLocal<>();

  static PerCall current() {
    return CURRENT.get();
  }

  /** Makes this the current one on this thread until the returned handle is closed. */
  Scope makeCurrent() {
    PerCall previous = CURRENT.get();
    CURRENT.set(this);
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** Restores the previous {@link PerCall} on close. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
