package io.finops4j.api;

import java.util.List;

/**
 * How a call's model was chosen: the tier, the ordered candidates (the first is tried first, the rest are
 * fallbacks), and the reasons in words a person understands, e.g. {@code ["task classification -> small"]} or
 * {@code ["task support-reply -> medium", "downgraded: feature support-reply at 83% of its monthly budget"]}.
 *
 * <p>{@code promptCaching} is routing's decision that the provider should mark the prompt's stable prefix for
 * provider-side prompt caching (a task's {@code prompt-caching: true}); the provider step reads it from here.
 */
public record Route(String tier, List<ModelId> candidates, List<String> reasons, boolean promptCaching) {

  public Route {
    candidates = List.copyOf(candidates);
    reasons = List.copyOf(reasons);
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one candidate model");
    }
  }

  /** A route without provider prompt caching. */
  public Route(String tier, List<ModelId> candidates, List<String> reasons) {
    this(tier, candidates, reasons, false);
  }

  /** A route to one forced model. */
  public static Route forced(ModelId model) {
    return new Route(null, List.of(model), List.of("model forced by the caller: " + model));
  }

  /** The first candidate: the model tried first. */
  public ModelId primary() {
    return candidates.get(0);
  }

  /** This route with one more reason appended. */
  public Route withReason(String reason) {
    List<String> r = new java.util.ArrayList<>(reasons);
    r.add(reason);
    return new Route(tier, candidates, r, promptCaching);
  }

  /** This route with other candidates and one more reason, e.g. after a cost cap dropped some. */
  public Route withCandidates(List<ModelId> kept, String reason) {
    return new Route(tier, kept, withReason(reason).reasons(), promptCaching);
  }

  /** This route with provider prompt caching asked for. */
  public Route withPromptCaching() {
    return promptCaching ? this : new Route(tier, candidates, reasons, true);
  }

  /** All reasons joined with "; ". */
  public String reason() {
    // most routes have one reason, read for every call's record: hand it out rather than copy it
    return reasons.size() == 1 ? reasons.get(0) : String.join("; ", reasons);
  }
}
