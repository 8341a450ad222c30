package io.finops4j.api.spi;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What the response cache did for one call.
 *
 * @param status {@link Status#HIT}, {@link Status#MISS} or {@link Status#OFF}
 * @param match how a hit matched: {@code exact}, {@code semantic} or {@code single-flight}; {@code null} otherwise
 * @param reason why the cache was off for the call (e.g. {@code non-deterministic}, {@code no customer}), or
 *     {@code null} when the task does not cache at all
 * @param embeddingCostUsd what the semantic lookup's embedding cost, zero without one
 */
public record CacheLookup(Status status, String match, String reason, BigDecimal embeddingCostUsd) {

  /** The outcome of a lookup. */
  public enum Status {
    /** Answered from the cache: no provider call. */
    HIT,
    /** Looked up and not found: the provider is called and its answer stored. */
    MISS,
    /** Not looked up: the task does not cache, or the request cannot be cached. */
    OFF;

    /** Spelled once: every call's telemetry and ledger row read it. */
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** {@code hit}, {@code miss} or {@code off}: the ledger's and the metrics' spelling. */
    public String label() {
      return label;
    }
  }

  /** The lookup of a task that does not cache. */
  public static final CacheLookup OFF = new CacheLookup(Status.OFF, null, null, BigDecimal.ZERO);

  /** A miss that cost nothing to find out (no semantic lookup). */
  public static final CacheLookup MISS = new CacheLookup(Status.MISS, null, null, BigDecimal.ZERO);

  public CacheLookup {
    Objects.requireNonNull(status, "status");
    embeddingCostUsd = embeddingCostUsd == null ? BigDecimal.ZERO : embeddingCostUsd;
  }
}
