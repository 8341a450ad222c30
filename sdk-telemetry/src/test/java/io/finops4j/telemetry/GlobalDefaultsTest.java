package io.finops4j.telemetry;

import static io.finops4j.telemetry.Harness.MINI;
import static io.finops4j.telemetry.Harness.completion;
import static io.finops4j.telemetry.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GlobalDefaultsTest {

  private final Harness h = new Harness();

  @AfterEach
  void close() {
    GlobalOpenTelemetry.resetForTest();
    Metrics.globalRegistry.remove(h.registry);
    h.close();
  }

  private void call(Telemetry t) {
    h.call(t, request("classification", Attribution.of("acme", "chat")), h.context("c"), 1_000L, (r, c) -> {
      c.route(new Route("small", List.of(MINI), List.of()));
      return completion(MINI, Usage.of(1, 1), "0.01");
    });
  }

  @Test
  void withoutExplicitBackendsItReportsToTheGlobalOnesEvenWhenRegisteredAfterStartUp() {
    GlobalOpenTelemetry.resetForTest();
    Metrics.globalRegistry.add(h.registry);
    Telemetry t = Telemetry.fromConfig(null, null, null);

    call(t); // no global OpenTelemetry yet: no span, and the global is not pinned to a no-op
    assertThat(h.spans()).isEmpty();

    GlobalOpenTelemetry.set(h.otel); // throws if the call above had pinned the global to a no-op
    call(t);
    assertThat(h.spans()).hasSize(1);
    assertThat(h.registry.get("finops4j.calls").counter().count()).isEqualTo(2.0);
  }

  @Test
  void withNowhereToReportACallRecordsNothingAndRanksNoSpenderUntilABackendIsAdded() {
    GlobalOpenTelemetry.resetForTest();
    CompositeMeterRegistry composite = new CompositeMeterRegistry(); // as Micrometer's global one before any add
    Telemetry t = Telemetry.builder().meterRegistry(composite).build();

    call(t);
    assertThat(composite.getMeters()).isEmpty();
    assertThat(t.guard().sketch("customer").isTop("acme")).isFalse();

    composite.add(h.registry);
    call(t);
    assertThat(h.registry.get("finops4j.calls").counter().count()).isEqualTo(1.0);
    assertThat(h.registry.get("finops4j.cost").tag("customer", "acme").counter().count()).isEqualTo(0.01);
    assertThat(t.guard().sketch("customer").isTop("acme")).isTrue();
  }

  @Test
  void theNoOpOpenTelemetryGivenExplicitlyStaysOffEvenOnceAGlobalIsRegistered() {
    GlobalOpenTelemetry.resetForTest();
    Telemetry t = Telemetry.builder().openTelemetry(OpenTelemetry.noop()).meterRegistry(h.registry).build();

    GlobalOpenTelemetry.set(h.otel);
    call(t);
    assertThat(h.spans()).isEmpty();
    assertThat(h.registry.get("finops4j.calls").counter().count()).isEqualTo(1.0);
  }
}
