package io.finops4j.telemetry;

import static io.finops4j.telemetry.Harness.HAIKU;
import static io.finops4j.telemetry.Harness.MINI;
import static io.finops4j.telemetry.Harness.completion;
import static io.finops4j.telemetry.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attempt;
import io.finops4j.api.Attribution;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With a Micrometer {@code ObservationRegistry} (what every Spring Boot app has), each call is one Observation:
 * its handlers make the timer (named as Spring AI names its chat calls) and the span; finops4j's own OpenTelemetry
 * span and metrics stay off, so nothing is exported twice.
 */
class ObservationTest {

  private static final Attribution ACME = Attribution.builder().customer("acme").feature("support-chat").build();
  private static final Route SMALL = new Route("small", List.of(MINI, HAIKU), List.of("task classification -> small"));

  private final Harness h = new Harness();
  private final ObservationRegistry observations = ObservationRegistry.create();
  /** Every observation context as it stopped, in order: what a tracing handler would turn into spans. */
  private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

  ObservationTest() {
    observations.observationConfig()
        .observationHandler(new DefaultMeterObservationHandler(h.registry))
        .observationHandler(new ObservationHandler<>() {
          @Override public boolean supportsContext(Observation.Context context) { return true; }
          @Override public void onStop(Observation.Context context) { stopped.add(context); }
        });
  }

  @AfterEach
  void close() {
    h.close();
  }

  private void call(Telemetry telemetry) {
    h.call(telemetry, request("classification", ACME), h.context("call-1"), 1_000_000L, (r, c) -> {
      c.route(SMALL);
      h.attempt(c, new Attempt(MINI, "ok", 200, 2_000_000L, "req-1"), URI.create("https://api.openai.com/v1"));
      return completion(MINI, Usage.of(1200, 40), "0.000123").toBuilder().servedModel("gpt-5-mini-2025-08-07")
          .build();
    });
  }

  private static String value(Observation.Context c, String key) {
    KeyValue kv = c.getAllKeyValues().stream().filter(k -> k.getKey().equals(key)).findFirst().orElse(null);
    return kv == null ? null : kv.getValue();
  }

  @Test
  void oneObservationPerCallWithGenAiNamesAndNoSecondExport() {
    call(h.builder().observationRegistry(observations).build());

    Timer timer = h.registry.get("gen_ai.client.operation").tag("gen_ai.operation.name", "chat")
        .tag("gen_ai.provider.name", "openai").tag("gen_ai.request.model", "gpt-5-mini")
        .tag("finops4j.outcome", "ok").tag("error.type", "none").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(h.registry.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").counter().count())
        .isEqualTo(1200.0);
    assertThat(h.registry.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "output").counter().count())
        .isEqualTo(40.0);
    assertThat(h.registry.get("finops4j.cost").tag("customer", "acme").counter().count()).isEqualTo(0.000123);
    // the observation's timer and the GenAI token counter replace these: one name, one unit, one label set
    assertThat(h.registry.find("finops4j.call.duration").timers()).isEmpty();
    assertThat(h.registry.find("finops4j.tokens").counters()).isEmpty();
    assertThat(h.spans()).isEmpty();
    assertThat(h.metrics.collectAllMetrics()).isEmpty();

    // the attempt's observation is a child of the call's and stops first; the call carries the high-cardinality facts
    assertThat(stopped).hasSize(2);
    Observation.Context attempt = stopped.get(0);
    Observation.Context call = stopped.get(1);
    assertThat(attempt.getName()).isEqualTo("finops4j.attempt");
    assertThat(attempt.getParentObservation().getContextView()).isSameAs(call);
    assertThat(value(attempt, "server.address")).isEqualTo("api.openai.com");
    assertThat(value(attempt, "finops4j.provider.request_id")).isEqualTo("req-1");
    assertThat(call).isInstanceOf(CallObservationContext.class);
    assertThat(call.getContextualName()).isEqualTo("chat gpt-5-mini");
    assertThat(value(call, "gen_ai.response.id")).isEqualTo("chatcmpl-123");
    assertThat(value(call, "finops4j.call.id")).isEqualTo("call-1");
    assertThat(value(call, "server.address")).isEqualTo("api.openai.com");
    assertThat(value(call, "finops4j.customer")).isEqualTo("acme");
    // the customer is a span attribute only, never a timer tag
    assertThat(timer.getId().getTag("finops4j.customer")).isNull();
  }

  @Test
  void aConventionOfTheApplicationReplacesTheNaming() {
    CallObservationConvention mine = new DefaultCallObservationConvention() {
      @Override
      public String getName() {
        return "llm.calls";
      }
    };
    call(h.builder().observationRegistry(observations).observationConvention(mine).build());
    assertThat(h.registry.get("llm.calls").tag("gen_ai.request.model", "gpt-5-mini").timer().count()).isEqualTo(1);
    assertThat(h.registry.find("gen_ai.client.operation").timers()).isEmpty();
  }
}
