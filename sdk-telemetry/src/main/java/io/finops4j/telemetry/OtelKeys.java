package io.finops4j.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The typed OpenTelemetry attribute keys of the names in {@link TelemetryNames}. Only the OpenTelemetry side loads
 * this class, so the rest of the module runs without the OpenTelemetry API on the class path.
 */
final class OtelKeys {

  private OtelKeys() {}

  static final AttributeKey<String> GEN_AI_OPERATION_NAME = AttributeKey.stringKey(TelemetryNames.GEN_AI_OPERATION_NAME);
  static final AttributeKey<String> GEN_AI_PROVIDER_NAME = AttributeKey.stringKey(TelemetryNames.GEN_AI_PROVIDER_NAME);
  static final AttributeKey<String> GEN_AI_REQUEST_MODEL = AttributeKey.stringKey(TelemetryNames.GEN_AI_REQUEST_MODEL);
  static final AttributeKey<String> GEN_AI_RESPONSE_MODEL = AttributeKey.stringKey(TelemetryNames.GEN_AI_RESPONSE_MODEL);
  static final AttributeKey<String> GEN_AI_RESPONSE_ID = AttributeKey.stringKey(TelemetryNames.GEN_AI_RESPONSE_ID);
  static final AttributeKey<List<String>> GEN_AI_RESPONSE_FINISH_REASONS = AttributeKey.stringArrayKey(TelemetryNames.GEN_AI_RESPONSE_FINISH_REASONS);
  static final AttributeKey<Long> GEN_AI_REQUEST_MAX_TOKENS = AttributeKey.longKey(TelemetryNames.GEN_AI_REQUEST_MAX_TOKENS);
  static final AttributeKey<Double> GEN_AI_REQUEST_TEMPERATURE = AttributeKey.doubleKey(TelemetryNames.GEN_AI_REQUEST_TEMPERATURE);
  static final AttributeKey<Long> GEN_AI_USAGE_INPUT_TOKENS = AttributeKey.longKey(TelemetryNames.GEN_AI_USAGE_INPUT_TOKENS);
  static final AttributeKey<Long> GEN_AI_USAGE_OUTPUT_TOKENS = AttributeKey.longKey(TelemetryNames.GEN_AI_USAGE_OUTPUT_TOKENS);
  static final AttributeKey<Long> GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = AttributeKey.longKey(TelemetryNames.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS);
  static final AttributeKey<Long> GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = AttributeKey.longKey(TelemetryNames.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS);
  static final AttributeKey<String> GEN_AI_TOKEN_TYPE = AttributeKey.stringKey(TelemetryNames.GEN_AI_TOKEN_TYPE);
  static final AttributeKey<String> GEN_AI_INPUT_MESSAGES = AttributeKey.stringKey(TelemetryNames.GEN_AI_INPUT_MESSAGES);
  static final AttributeKey<String> GEN_AI_OUTPUT_MESSAGES = AttributeKey.stringKey(TelemetryNames.GEN_AI_OUTPUT_MESSAGES);
  static final AttributeKey<String> GEN_AI_SYSTEM_INSTRUCTIONS = AttributeKey.stringKey(TelemetryNames.GEN_AI_SYSTEM_INSTRUCTIONS);
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey(TelemetryNames.ERROR_TYPE);
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey(TelemetryNames.EXCEPTION_TYPE);
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey(TelemetryNames.EXCEPTION_MESSAGE);
  static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey(TelemetryNames.EXCEPTION_STACKTRACE);
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey(TelemetryNames.SERVER_ADDRESS);
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey(TelemetryNames.SERVER_PORT);
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey(TelemetryNames.HTTP_RESPONSE_STATUS_CODE);
  static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey(TelemetryNames.COST_USD);
  static final AttributeKey<Double> SAVED_USD = AttributeKey.doubleKey(TelemetryNames.SAVED_USD);
  static final AttributeKey<Boolean> COST_ESTIMATED = AttributeKey.booleanKey(TelemetryNames.COST_ESTIMATED);
  static final AttributeKey<String> CALL_ID = AttributeKey.stringKey(TelemetryNames.CALL_ID);
  static final AttributeKey<String> PROVIDER_REQUEST_ID = AttributeKey.stringKey(TelemetryNames.PROVIDER_REQUEST_ID);
  static final AttributeKey<String> TASK_TYPE = AttributeKey.stringKey(TelemetryNames.TASK_TYPE);
  static final AttributeKey<String> TIER = AttributeKey.stringKey(TelemetryNames.TIER);
  static final AttributeKey<String> ROUTE_REASON = AttributeKey.stringKey(TelemetryNames.ROUTE_REASON);
  static final AttributeKey<String> MODEL = AttributeKey.stringKey(TelemetryNames.MODEL);
  static final AttributeKey<String> CACHE_STATUS = AttributeKey.stringKey(TelemetryNames.CACHE_STATUS);
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey(TelemetryNames.OUTCOME);
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey(TelemetryNames.ATTEMPTS);
  static final AttributeKey<Long> ATTEMPT_INDEX = AttributeKey.longKey(TelemetryNames.ATTEMPT_INDEX);
  static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey(TelemetryNames.STREAM);
  static final AttributeKey<Long> CACHE_WRITE_1H_TOKENS = AttributeKey.longKey(TelemetryNames.CACHE_WRITE_1H_TOKENS);
  static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.longKey(TelemetryNames.REASONING_TOKENS);
  static final AttributeKey<Double> BUDGET_UTILIZATION = AttributeKey.doubleKey(TelemetryNames.BUDGET_UTILIZATION);
  static final AttributeKey<String> CUSTOMER = AttributeKey.stringKey(TelemetryNames.CUSTOMER);
  static final AttributeKey<String> FEATURE = AttributeKey.stringKey(TelemetryNames.FEATURE);
  static final AttributeKey<String> WORKFLOW = AttributeKey.stringKey(TelemetryNames.WORKFLOW);
  static final AttributeKey<String> USER = AttributeKey.stringKey(TelemetryNames.USER);
  static final AttributeKey<String> TEAM = AttributeKey.stringKey(TelemetryNames.TEAM);
  static final AttributeKey<String> ENVIRONMENT = AttributeKey.stringKey(TelemetryNames.ENVIRONMENT);
  static final AttributeKey<String> BUDGET_ID = AttributeKey.stringKey(TelemetryNames.BUDGET_ID);
  static final AttributeKey<String> BUDGET_SCOPE = AttributeKey.stringKey(TelemetryNames.BUDGET_SCOPE);
  static final AttributeKey<String> BUDGET_KEY = AttributeKey.stringKey(TelemetryNames.BUDGET_KEY);
  static final AttributeKey<String> BUDGET_UNIT = AttributeKey.stringKey(TelemetryNames.BUDGET_UNIT);
  static final AttributeKey<String> BUDGET_LIMIT = AttributeKey.stringKey(TelemetryNames.BUDGET_LIMIT);
  static final AttributeKey<String> BUDGET_SPENT = AttributeKey.stringKey(TelemetryNames.BUDGET_SPENT);
  static final AttributeKey<String> BUDGET_RESERVED = AttributeKey.stringKey(TelemetryNames.BUDGET_RESERVED);
  static final AttributeKey<String> BUDGET_REQUESTED = AttributeKey.stringKey(TelemetryNames.BUDGET_REQUESTED);
  static final AttributeKey<String> BUDGET_RESETS_AT = AttributeKey.stringKey(TelemetryNames.BUDGET_RESETS_AT);
  static final AttributeKey<String> CAP = AttributeKey.stringKey(TelemetryNames.CAP);
  static final AttributeKey<String> CAP_LIMIT_USD = AttributeKey.stringKey(TelemetryNames.CAP_LIMIT_USD);
  static final AttributeKey<String> CAP_SPENT_USD = AttributeKey.stringKey(TelemetryNames.CAP_SPENT_USD);
  static final AttributeKey<String> CAP_REQUESTED_USD = AttributeKey.stringKey(TelemetryNames.CAP_REQUESTED_USD);
  static final AttributeKey<Long> CAP_CALLS = AttributeKey.longKey(TelemetryNames.CAP_CALLS);
  static final AttributeKey<String> REJECTION_REASON = AttributeKey.stringKey(TelemetryNames.REJECTION_REASON);
  static final AttributeKey<String> REJECTION_LIMIT = AttributeKey.stringKey(TelemetryNames.REJECTION_LIMIT);
}
