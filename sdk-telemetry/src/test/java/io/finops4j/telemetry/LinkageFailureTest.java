package io.finops4j.telemetry;

import static io.finops4j.telemetry.Harness.MINI;
import static io.finops4j.telemetry.Harness.completion;
import static io.finops4j.telemetry.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An instrumentation library older than finops4j supports throws {@link LinkageError}s (a Spring Boot app's
 * managed OpenTelemetry 1.55 against code that calls a 1.62 method gave {@code NoSuchMethodError} on every call).
 * The call goes on, that library's side turns off, one WARN names the version found, and the other side works.
 */
class LinkageFailureTest {

  static final String MISSING = "'boolean io.opentelemetry.api.GlobalOpenTelemetry.isSet()'";

  final Harness h = new Harness();

  @AfterEach
  void close() {
    TelemetryStatus.reset();
    h.close();
  }

  @Test
  void anOpenTelemetryThatFailsToLinkTurnsSpansOffAndCallsGoOn() {
    AtomicInteger attempts = new AtomicInteger();
    Tracer broken = name -> {
      attempts.incrementAndGet();
      throw new NoSuchMethodError(MISSING);
    };
    OpenTelemetry otel = new OpenTelemetry() {
      @Override
      public TracerProvider getTracerProvider() {
        return new TracerProvider() {
          @Override
          public Tracer get(String scope) {
            return broken;
          }

          @Override
          public Tracer get(String scope, String version) {
            return broken;
          }

          @Override
          public TracerBuilder tracerBuilder(String scope) {
            return new TracerBuilder() {
              @Override
              public TracerBuilder setSchemaUrl(String url) {
                return this;
              }

              @Override
              public TracerBuilder setInstrumentationVersion(String version) {
                return this;
              }

              @Override
              public Tracer build() {
                return broken;
              }
            };
          }
        };
      }

      @Override
      public MeterProvider getMeterProvider() {
        return h.otel.getMeterProvider();
      }

      @Override
      public ContextPropagators getPropagators() {
        return ContextPropagators.noop();
      }
    };
    Telemetry t = h.builder().openTelemetry(otel).build();

    String log;
    try (StdErrCapture err = StdErrCapture.start()) {
      assertThat(call(t).text()).isEqualTo("hi there");
      assertThat(call(t).text()).isEqualTo("hi there");
      log = err.text();
    }

    assertThat(attempts).hasValue(1); // off after the first failure
    assertThat(h.registry.get("finops4j.calls").counter().count()).isEqualTo(2.0); // Micrometer goes on
    String reason = TelemetryStatus.problems().get("OpenTelemetry API");
    assertThat(reason).contains("OpenTelemetry API " + Library.OPENTELEMETRY.versionFound() + " failed to link")
        .contains("NoSuchMethodError").contains(MISSING).contains("supports OpenTelemetry API 1.49.0 and later")
        .contains("calls go on");
    assertThat(log.split("finops4j telemetry: ", -1)).hasSize(2); // one WARN line
    assertThat(log).contains("WARN");
  }

  @Test
  void aMicrometerThatFailsToLinkTurnsMetersOffAndSpansGoOn() {
    SimpleMeterRegistry broken = new SimpleMeterRegistry() {
      @Override
      protected Counter newCounter(Meter.Id id) {
        throw new NoSuchMethodError("'void io.micrometer.core.instrument.Counter.increment(double)'");
      }
    };
    Telemetry t = h.builder().meterRegistry(broken).build();

    try (StdErrCapture ignored = StdErrCapture.silence()) {
      call(t);
      call(t);
    }

    assertThat(h.spans()).hasSize(2);
    assertThat(TelemetryStatus.problems()).containsOnlyKeys("Micrometer");
    assertThat(TelemetryStatus.problems().get("Micrometer")).contains("NoSuchMethodError")
        .contains("supports Micrometer 1.15.0 and later");
  }

  private Completion call(Telemetry t) {
    return h.call(t, request("classification", Attribution.of("acme", "chat")), h.context("c"), 1_000L, (r, c) -> {
      c.route(new Route("small", List.of(MINI), List.of()));
      return completion(MINI, Usage.of(1, 1), "0.01");
    });
  }
}
