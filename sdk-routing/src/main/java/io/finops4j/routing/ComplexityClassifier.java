package io.finops4j.routing;

import io.finops4j.api.Prompt;

/**
 * Judges how hard a prompt is, so a task can move a request up or down one tier
 * ({@code escalate: { when: complex }}, {@code deescalate: { when: simple }}). Runs on every routed call of such a
 * task: implementations must be fast (microseconds) and deterministic. Supply your own with
 * {@code RoutingInterceptor} or the builder; the default is {@link HeuristicClassifier}.
 */
@FunctionalInterface
public interface ComplexityClassifier {

  Verdict classify(Prompt prompt);

  /** How hard a prompt is. */
  enum Complexity { SIMPLE, NORMAL, COMPLEX }

  /**
   * A classification and the evidence for it, in words a person understands (it becomes part of the route's
   * reason: "escalated: prompt has code and 3 reasoning steps").
   */
  record Verdict(Complexity complexity, String evidence) {}
}
