package io.finops4j.telemetry;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the Micrometer {@code Observation} of each call; replace {@link DefaultCallObservationConvention}
 * (or extend it) with {@code Telemetry.builder().observationConvention(...)}, {@code Finops4j.builder()}, or a
 * Spring bean of this type. Low-cardinality key values become metric tags and span attributes; high-cardinality
 * ones only span attributes.
 */
public interface CallObservationConvention extends ObservationConvention<CallObservationContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof CallObservationContext;
  }
}
