package io.finops4j.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;
import java.util.Map;

/**
 * Every span, attribute, event and metric name the telemetry module emits, in one place.
 *
 * <p>Names under {@code gen_ai.*}, {@code server.*} and {@code error.type} follow the OpenTelemetry GenAI semantic
 * conventions (the current, development-status ones: {@code gen_ai.provider.name}, not the deprecated
 * {@code gen_ai.system}). Everything the conventions do not define (cost, savings, routing, budgets, attribution)
 * lives under the one prefix {@value #PREFIX}; cost is never put under {@code gen_ai.*}.
 */
public final class TelemetryNames {

  private TelemetryNames() {}

  /** The prefix of every attribute, event and metric that is ours rather than the conventions'. */
  public static final String PREFIX = "finops4j.";

  /** Instrumentation scope of the tracer and the meter. */
  public static final String SCOPE = "io.finops4j";

  /** {@code gen_ai.operation.name} of every facade call: a chat completion. */
  public static final String OPERATION_CHAT = "chat";

  // ---- OpenTelemetry GenAI semantic conventions (span and metric attributes) ----
  public static final AttributeKey<String> GEN_AI_OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> GEN_AI_PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  public static final AttributeKey<String> GEN_AI_REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  public static final AttributeKey<String> GEN_AI_RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  public static final AttributeKey<String> GEN_AI_RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  public static final AttributeKey<List<String>> GEN_AI_RESPONSE_FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  public static final AttributeKey<Long> GEN_AI_REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  public static final AttributeKey<Double> GEN_AI_REQUEST_TEMPERATURE =
      AttributeKey.doubleKey("gen_ai.request.temperature");
  public static final AttributeKey<Long> GEN_AI_USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> GEN_AI_USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  /** Input tokens served from a provider-managed cache; a subset of {@code gen_ai.usage.input_tokens}. */
  public static final AttributeKey<Long> GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  /** Input tokens written to a provider-managed cache; a subset of {@code gen_ai.usage.input_tokens}. */
  public static final AttributeKey<Long> GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  public static final AttributeKey<String> GEN_AI_TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
  /** Opt-in content (only with {@code capture-content: true}), JSON strings as the conventions allow on spans. */
  public static final AttributeKey<String> GEN_AI_INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
  public static final AttributeKey<String> GEN_AI_OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
  public static final AttributeKey<String> GEN_AI_SYSTEM_INSTRUCTIONS =
      AttributeKey.stringKey("gen_ai.system_instructions");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  /** The exception event, as {@code Span.recordException} writes it (built by hand when a message is redacted). */
  public static final String EVENT_EXCEPTION = "exception";
  public static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  public static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  public static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
  public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  public static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");

  /** {@code gen_ai.token.type} values: input and output only, never a total (it would double count). */
  public static final String TOKEN_TYPE_INPUT = "input";
  public static final String TOKEN_TYPE_OUTPUT = "output";

  // ---- finops4j span attributes ----
  public static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey(PREFIX + "cost.usd");
  public static final AttributeKey<Double> SAVED_USD = AttributeKey.doubleKey(PREFIX + "saved.usd");
  /** True when the provider reported no usage and tokens and cost are the library's estimate. */
  public static final AttributeKey<Boolean> COST_ESTIMATED = AttributeKey.booleanKey(PREFIX + "cost.estimated");
  public static final AttributeKey<String> CALL_ID = AttributeKey.stringKey(PREFIX + "call.id");
  public static final AttributeKey<String> TASK_TYPE = AttributeKey.stringKey(PREFIX + "task.type");
  public static final AttributeKey<String> TIER = AttributeKey.stringKey(PREFIX + "tier");
  public static final AttributeKey<String> ROUTE_REASON = AttributeKey.stringKey(PREFIX + "route.reason");
  /** The qualified model ({@code provider/model}) that answered, as in the ledger. */
  public static final AttributeKey<String> MODEL = AttributeKey.stringKey(PREFIX + "model");
  /** {@code hit}, {@code miss} or {@code off}. */
  public static final AttributeKey<String> CACHE_STATUS = AttributeKey.stringKey(PREFIX + "cache.status");
  /** {@code ok}, {@code rejected_budget}, {@code rejected_cap} or {@code error}, as in the ledger. */
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey(PREFIX + "outcome");
  public static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey(PREFIX + "attempts");
  public static final AttributeKey<Long> ATTEMPT_INDEX = AttributeKey.longKey(PREFIX + "attempt.index");
  public static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey(PREFIX + "stream");
  public static final AttributeKey<Long> CACHE_WRITE_1H_TOKENS =
      AttributeKey.longKey(PREFIX + "usage.cache_write_1h.input_tokens");
  public static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.longKey(PREFIX + "usage.reasoning.output_tokens");
  /** The highest budget utilisation (spent / limit, 0..1+) reported by this call's budget events. */
  public static final AttributeKey<Double> BUDGET_UTILIZATION = AttributeKey.doubleKey(PREFIX + "budget.utilization");
  public static final AttributeKey<String> CUSTOMER = AttributeKey.stringKey(PREFIX + "customer");
  public static final AttributeKey<String> FEATURE = AttributeKey.stringKey(PREFIX + "feature");
  public static final AttributeKey<String> WORKFLOW = AttributeKey.stringKey(PREFIX + "workflow");
  public static final AttributeKey<String> USER = AttributeKey.stringKey(PREFIX + "user");
  public static final AttributeKey<String> TEAM = AttributeKey.stringKey(PREFIX + "team");
  public static final AttributeKey<String> ENVIRONMENT = AttributeKey.stringKey(PREFIX + "environment");

  // ---- finops4j span events and their attributes ----
  /**
   * Each {@code CallContext.events()} entry becomes a span event named {@code finops4j.} + its name (e.g.
   * {@code finops4j.budget.threshold}), its attributes prefixed the same way.
   */
  public static final String EVENT_PREFIX = PREFIX;
  public static final String EVENT_BUDGET_EXCEEDED = PREFIX + "budget.exceeded";
  public static final String EVENT_COST_CAP_EXCEEDED = PREFIX + "cost_cap.exceeded";
  public static final AttributeKey<String> BUDGET_ID = AttributeKey.stringKey(PREFIX + "budget.id");
  public static final AttributeKey<String> BUDGET_SCOPE = AttributeKey.stringKey(PREFIX + "budget.scope");
  public static final AttributeKey<String> BUDGET_KEY = AttributeKey.stringKey(PREFIX + "budget.key");
  public static final AttributeKey<String> BUDGET_UNIT = AttributeKey.stringKey(PREFIX + "budget.unit");
  public static final AttributeKey<String> BUDGET_LIMIT = AttributeKey.stringKey(PREFIX + "budget.limit");
  public static final AttributeKey<String> BUDGET_SPENT = AttributeKey.stringKey(PREFIX + "budget.spent");
  public static final AttributeKey<String> BUDGET_RESERVED = AttributeKey.stringKey(PREFIX + "budget.reserved");
  public static final AttributeKey<String> BUDGET_REQUESTED = AttributeKey.stringKey(PREFIX + "budget.requested");
  public static final AttributeKey<String> BUDGET_RESETS_AT = AttributeKey.stringKey(PREFIX + "budget.resets_at");
  public static final AttributeKey<String> CAP = AttributeKey.stringKey(PREFIX + "cap");
  public static final AttributeKey<String> CAP_LIMIT_USD = AttributeKey.stringKey(PREFIX + "cap.limit_usd");
  public static final AttributeKey<String> CAP_SPENT_USD = AttributeKey.stringKey(PREFIX + "cap.spent_usd");
  public static final AttributeKey<String> CAP_REQUESTED_USD = AttributeKey.stringKey(PREFIX + "cap.requested_usd");
  public static final AttributeKey<Long> CAP_CALLS = AttributeKey.longKey(PREFIX + "cap.calls");

  /**
   * Attribute names the telemetry module reads from {@code CallContext} events (as the budget module records
   * them): the budget's id and its utilisation as a decimal fraction.
   */
  public static final List<String> EVENT_BUDGET_ID_KEYS = List.of("budget", "budget.id", "budgetId", "budget_id");
  public static final List<String> EVENT_UTILIZATION_KEYS = List.of("utilization", "utilisation");
  /** Events at or above WARN in the log; other events log at INFO. */
  public static final String EVENT_BUDGET_THRESHOLD = "budget.threshold";

  // ---- OpenTelemetry metrics ----
  public static final String METRIC_TOKEN_USAGE = "gen_ai.client.token.usage";
  public static final String METRIC_OPERATION_DURATION = "gen_ai.client.operation.duration";
  public static final String METRIC_COST = PREFIX + "cost";
  public static final String METRIC_SAVED = PREFIX + "saved";
  public static final String METRIC_CALLS = PREFIX + "calls";
  public static final String METRIC_CACHE_REQUESTS = PREFIX + "cache.requests";
  public static final String METRIC_REJECTIONS = PREFIX + "rejections";
  public static final String METRIC_BUDGET_UTILIZATION = PREFIX + "budget.utilization";
  /** Bucket boundaries the conventions ask for. */
  public static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L,
      262144L, 1048576L, 4194304L, 16777216L, 67108864L);
  public static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
      5.12, 10.24, 20.48, 40.96, 81.92);
  /** Metric attributes of ours (bounded values only). */
  public static final AttributeKey<String> REJECTION_REASON = AttributeKey.stringKey(PREFIX + "rejection.reason");
  public static final AttributeKey<String> REJECTION_LIMIT = AttributeKey.stringKey(PREFIX + "rejection.limit");

  // ---- Micrometer meters (dot-separated lowercase, base units; tags below) ----
  public static final String METER_COST = PREFIX + "cost";
  public static final String METER_SAVED = PREFIX + "saved";
  public static final String METER_TOKENS = PREFIX + "tokens";
  public static final String METER_CALLS = PREFIX + "calls";
  public static final String METER_CALL_DURATION = PREFIX + "call.duration";
  public static final String METER_CACHE_REQUESTS = PREFIX + "cache.requests";
  public static final String METER_REJECTIONS = PREFIX + "rejections";
  public static final String METER_BUDGET_UTILIZATION = PREFIX + "budget.utilization";
  public static final String TAG_TASK = "task";
  public static final String TAG_MODEL = "model";
  public static final String TAG_OUTCOME = "outcome";
  public static final String TAG_CACHE = "cache";
  public static final String TAG_TYPE = "type";
  public static final String TAG_RESULT = "result";
  public static final String TAG_REASON = "reason";
  public static final String TAG_LIMIT = "limit";
  public static final String TAG_BUDGET = "budget";
  public static final String TAG_CUSTOMER = "customer";
  public static final String TAG_FEATURE = "feature";
  public static final String TAG_TEAM = "team";
  public static final String TAG_USER = "user";

  /** The tag value of every id outside the allow-list or the top N. */
  public static final String OTHER = "other";
  /** The tag value of an absent dimension or model. */
  public static final String NONE = "none";

  /** Attribution dimensions that may become metric tags, each through the cardinality guard. */
  public static final List<String> GUARDED_DIMENSIONS = List.of("customer", "feature", "team", "user");

  /**
   * finops4j provider names whose {@code gen_ai.provider.name} well-known value differs; any other provider name
   * is used as it is.
   */
  public static final Map<String, String> PROVIDER_NAMES = Map.of(
      "gemini", "gcp.gemini",
      "vertex", "gcp.vertex_ai",
      "vertex-ai", "gcp.vertex_ai",
      "bedrock", "aws.bedrock",
      "azure", "azure.ai.openai",
      "azure-openai", "azure.ai.openai",
      "mistral", "mistral_ai",
      "xai", "x_ai");

  /** The {@code gen_ai.provider.name} value for a finops4j provider name. */
  public static String providerName(String provider) {
    return PROVIDER_NAMES.getOrDefault(provider, provider);
  }
}
