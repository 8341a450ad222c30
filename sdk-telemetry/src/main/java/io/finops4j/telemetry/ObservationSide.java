package io.finops4j.telemetry;

import io.finops4j.api.Attempt;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelId;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;

/**
 * The Micrometer Observation side: one {@code Observation} per call through the application's
 * {@link ObservationRegistry} (its handlers make the timer and, with a tracing bridge, the span), and a child
 * observation per provider attempt, in scope while the HTTP client runs. Only loaded when Micrometer Observation
 * is on the class path and a registry was given.
 */
final class ObservationSide {

  /** The name of an attempt's observation (its timer and span). */
  static final String ATTEMPT = "finops4j.attempt";
  private static final CallObservationConvention DEFAULT = new DefaultCallObservationConvention();

  private final ObservationRegistry registry;
  private final CallObservationConvention custom;

  ObservationSide(ObservationRegistry registry, CallObservationConvention custom) {
    this.registry = registry;
    this.custom = custom;
  }

  Started start(CompletionRequest request, String callId) {
    CallObservationContext context = new CallObservationContext(request, callId);
    Observation o = Observation.createNotStarted(custom, DEFAULT, () -> context, registry).start();
    return new Started(registry, context, o, o.openScope());
  }

  /** A started call observation, in scope on the calling thread until {@link #stop}. Not thread-safe. */
  static final class Started {
    private final ObservationRegistry registry;
    private final CallObservationContext context;
    private final Observation observation;
    private final Observation.Scope scope;
    private Observation attempt;
    private Observation.Scope attemptScope;

    Started(ObservationRegistry registry, CallObservationContext context, Observation observation,
        Observation.Scope scope) {
      this.registry = registry;
      this.context = context;
      this.observation = observation;
      this.scope = scope;
    }

    void startAttempt(ModelId model, int index) {
      closeAttempt();
      attempt = Observation.createNotStarted(ATTEMPT, registry).parentObservation(observation)
          .contextualName(TelemetryNames.OPERATION_CHAT + " " + model.model())
          .lowCardinalityKeyValue(TelemetryNames.GEN_AI_PROVIDER_NAME, TelemetryNames.providerName(model.provider()))
          .lowCardinalityKeyValue(TelemetryNames.GEN_AI_REQUEST_MODEL, model.model())
          .highCardinalityKeyValue(TelemetryNames.ATTEMPT_INDEX, Integer.toString(index))
          .start();
      attemptScope = attempt.openScope();
    }

    void endAttempt(Attempt a, URI server) {
      if (attempt == null) {
        return; // reported without a start (a batch item): no observation of its own
      }
      attempt.lowCardinalityKeyValue(TelemetryNames.ERROR_TYPE, a.succeeded() ? TelemetryNames.NONE : a.outcome());
      if (a.status() > 0) {
        attempt.highCardinalityKeyValue(TelemetryNames.HTTP_RESPONSE_STATUS_CODE, Integer.toString(a.status()));
      }
      if (a.requestId() != null) {
        attempt.highCardinalityKeyValue(TelemetryNames.PROVIDER_REQUEST_ID, a.requestId());
      }
      if (server != null && server.getHost() != null) {
        attempt.highCardinalityKeyValue(TelemetryNames.SERVER_ADDRESS, server.getHost());
        attempt.highCardinalityKeyValue(TelemetryNames.SERVER_PORT, Integer.toString(CallSpans.port(server)));
      }
      closeAttempt();
    }

    private void closeAttempt() {
      if (attempt != null) {
        attemptScope.close();
        attempt.stop();
        attempt = null;
      }
    }

    /** Fills the context from the finished call and stops: the convention's key values are read now. */
    void stop(CallFacts facts) {
      closeAttempt();
      scope.close();
      if (facts != null) {
        context.finish(facts);
      }
      observation.stop();
    }
  }
}
