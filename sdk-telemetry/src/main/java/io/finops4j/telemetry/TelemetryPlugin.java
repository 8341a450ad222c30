package io.finops4j.telemetry;

import io.finops4j.api.spi.Plugin;
import io.finops4j.api.spi.PluginContext;

/**
 * Plugs {@link Telemetry} into every {@code Llm} built while this module is on the class path: reads
 * {@code finops4j.telemetry} (present or not: telemetry is on by default), listens first to every call so that the
 * call's span is current while the other listeners and the pipeline run, and carries the caller's OpenTelemetry
 * context into {@code completeAsync} and pull streams.
 *
 * <p>Components it takes from the builder, each optional: {@code OpenTelemetry} and {@code MeterRegistry} (else
 * the global ones), Micrometer's {@code ObservationRegistry} (then each call is one {@code Observation}) and a
 * {@link CallObservationConvention}. Each is looked up only when its library is on the class path, so that this
 * class links without any of them.
 */
public final class TelemetryPlugin implements Plugin {

  /** Made by {@link java.util.ServiceLoader}, or by an application that plugs telemetry in by hand. */
  public TelemetryPlugin() { }

  @Override
  public String name() {
    return "telemetry";
  }

  @Override
  public int order() {
    return TELEMETRY_ORDER;
  }

  @Override
  public void plug(PluginContext context) {
    Telemetry.Builder b = Telemetry.builder();
    if (Library.OPENTELEMETRY.present()) {
      context.component(io.opentelemetry.api.OpenTelemetry.class).ifPresent(b::openTelemetry);
    }
    if (Library.MICROMETER.present()) {
      context.component(io.micrometer.core.instrument.MeterRegistry.class).ifPresent(b::meterRegistry);
    }
    if (Library.OBSERVATION.present()) {
      context.component(io.micrometer.observation.ObservationRegistry.class).ifPresent(b::observationRegistry);
      context.component(CallObservationConvention.class).ifPresent(b::observationConvention);
    }
    context.listenFirst(Telemetry.fromConfig(context.config().get(name()), b));
    context.wrapAsyncTasks(Telemetry::wrap);
  }
}
