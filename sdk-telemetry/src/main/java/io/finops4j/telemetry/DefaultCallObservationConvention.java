package io.finops4j.telemetry;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default naming of a call's observation, as Spring AI names its chat model observations so that the same
 * dashboards show both: name {@code gen_ai.client.operation} (a timer {@code gen_ai.client.operation} in seconds),
 * contextual name {@code chat {model}}.
 *
 * <p>Low cardinality (metric tags and span attributes): {@code gen_ai.operation.name}, {@code gen_ai.provider.name},
 * {@code gen_ai.request.model}, {@code gen_ai.response.model}, {@code finops4j.task.type},
 * {@code finops4j.outcome}, {@code error.type}. High cardinality (span attributes only): {@code finops4j.call.id},
 * {@code gen_ai.response.id}, {@code server.address}, {@code server.port}, token counts, cost, cache status, and
 * the attribution ids (customer, feature, workflow, user, team).
 */
public class DefaultCallObservationConvention implements CallObservationConvention {

  /** The observation's (and the timer's) name. */
  public static final String NAME = "gen_ai.client.operation";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(CallObservationContext c) {
    return c.requestModel() == null ? TelemetryNames.OPERATION_CHAT
        : TelemetryNames.OPERATION_CHAT + " " + c.requestModel().model();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(CallObservationContext c) {
    return KeyValues.of(
        KeyValue.of(TelemetryNames.GEN_AI_OPERATION_NAME, TelemetryNames.OPERATION_CHAT),
        KeyValue.of(TelemetryNames.GEN_AI_PROVIDER_NAME, c.requestModel() == null ? TelemetryNames.NONE
            : TelemetryNames.providerName(c.requestModel().provider())),
        KeyValue.of(TelemetryNames.GEN_AI_REQUEST_MODEL, c.requestModel() == null ? TelemetryNames.NONE
            : c.requestModel().model()),
        KeyValue.of(TelemetryNames.GEN_AI_RESPONSE_MODEL, c.responseModel() == null ? TelemetryNames.NONE
            : c.responseModel().model()),
        KeyValue.of(TelemetryNames.TASK_TYPE, c.request().taskType()),
        KeyValue.of(TelemetryNames.OUTCOME, c.outcome() == null ? TelemetryNames.NONE : c.outcome()),
        KeyValue.of(TelemetryNames.ERROR_TYPE, c.errorType() == null ? TelemetryNames.NONE : c.errorType()));
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(CallObservationContext c) {
    KeyValues kv = KeyValues.of(KeyValue.of(TelemetryNames.CALL_ID, c.callId()));
    if (c.cacheStatus() != null) {
      kv = kv.and(TelemetryNames.CACHE_STATUS, c.cacheStatus());
    }
    if (c.server() != null && c.server().getHost() != null) {
      kv = kv.and(TelemetryNames.SERVER_ADDRESS, c.server().getHost())
          .and(TelemetryNames.SERVER_PORT, Integer.toString(CallSpans.port(c.server())));
    }
    Completion done = c.completion();
    if (done != null) {
      if (done.responseId() != null) {
        kv = kv.and(TelemetryNames.GEN_AI_RESPONSE_ID, done.responseId());
      }
      kv = kv.and(TelemetryNames.GEN_AI_USAGE_INPUT_TOKENS, Long.toString(done.usage().inputTokens()))
          .and(TelemetryNames.GEN_AI_USAGE_OUTPUT_TOKENS, Long.toString(done.usage().outputTokens()))
          .and(TelemetryNames.COST_USD, done.costUsd().toPlainString());
    }
    Attribution a = c.request().attribution();
    kv = put(kv, TelemetryNames.CUSTOMER, a.customer());
    kv = put(kv, TelemetryNames.FEATURE, a.feature());
    kv = put(kv, TelemetryNames.WORKFLOW, a.workflow());
    kv = put(kv, TelemetryNames.USER, a.user());
    return put(kv, TelemetryNames.TEAM, a.team());
  }

  private static KeyValues put(KeyValues kv, String key, String value) {
    return value == null ? kv : kv.and(key, value);
  }
}
