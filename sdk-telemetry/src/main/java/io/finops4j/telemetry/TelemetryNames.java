package io.finops4j.telemetry;

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

  /**
   * The semantic-conventions version the {@code gen_ai.*} names follow (1.37 introduced {@code gen_ai.provider.name}
   * and the input/output message attributes), given as the scope's schema URL.
   */
  public static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.37.0";

  /** {@code gen_ai.operation.name} of every facade call: a chat completion. */
  public static final String OPERATION_CHAT = "chat";

  // ---- OpenTelemetry GenAI semantic conventions (span and metric attributes) ----
  public static final String GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
  public static final String GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";
  public static final String GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
  public static final String GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
  public static final String GEN_AI_RESPONSE_ID = "gen_ai.response.id";
  public static final String GEN_AI_RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
  public static final String GEN_AI_REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
  public static final String GEN_AI_REQUEST_TEMPERATURE = "gen_ai.request.temperature";
  public static final String GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
  public static final String GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  /** Input tokens served from a provider-managed cache; a subset of {@code gen_ai.usage.input_tokens}. */
  public static final String GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
  /** Input tokens written to a provider-managed cache; a subset of {@code gen_ai.usage.input_tokens}. */
  public static final String GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
  public static final String GEN_AI_TOKEN_TYPE = "gen_ai.token.type";
  /** Opt-in content (only with {@code capture-content: true}), JSON strings as the conventions allow on spans. */
  public static final String GEN_AI_INPUT_MESSAGES = "gen_ai.input.messages";
  public static final String GEN_AI_OUTPUT_MESSAGES = "gen_ai.output.messages";
  public static final String GEN_AI_SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";
  public static final String ERROR_TYPE = "error.type";
  public static final String SERVER_ADDRESS = "server.address";
  public static final String SERVER_PORT = "server.port";
  public static final String HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
  /** The exception event, as {@code Span.recordException} writes it (built by hand when a message is redacted). */
  public static final String EVENT_EXCEPTION = "exception";
  public static final String EXCEPTION_TYPE = "exception.type";
  public static final String EXCEPTION_MESSAGE = "exception.message";
  public static final String EXCEPTION_STACKTRACE = "exception.stacktrace";

  /** {@code gen_ai.token.type} values: input and output only, never a total (it would double count). */
  public static final String TOKEN_TYPE_INPUT = "input";
  public static final String TOKEN_TYPE_OUTPUT = "output";

  // ---- finops4j span attributes ----
  public static final String COST_USD = PREFIX + "cost.usd";
  public static final String SAVED_USD = PREFIX + "saved.usd";
  /** True when the provider reported no usage and tokens and cost are the library's estimate. */
  public static final String COST_ESTIMATED = PREFIX + "cost.estimated";
  public static final String CALL_ID = PREFIX + "call.id";
  /** The provider's request id (a response header), for support tickets; {@code gen_ai.response.id} is the response's own id. */
  public static final String PROVIDER_REQUEST_ID = PREFIX + "provider.request_id";
  public static final String TASK_TYPE = PREFIX + "task.type";
  public static final String TIER = PREFIX + "tier";
  public static final String ROUTE_REASON = PREFIX + "route.reason";
  /** The qualified model ({@code provider/model}) that answered, as in the ledger. */
  public static final String MODEL = PREFIX + "model";
  /** {@code hit}, {@code miss} or {@code off}. */
  public static final String CACHE_STATUS = PREFIX + "cache.status";
  /** {@code ok}, {@code rejected_budget}, {@code rejected_cap} or {@code error}, as in the ledger. */
  public static final String OUTCOME = PREFIX + "outcome";
  public static final String ATTEMPTS = PREFIX + "attempts";
  public static final String ATTEMPT_INDEX = PREFIX + "attempt.index";
  public static final String STREAM = PREFIX + "stream";
  public static final String CACHE_WRITE_1H_TOKENS = PREFIX + "usage.cache_write_1h.input_tokens";
  public static final String REASONING_TOKENS = PREFIX + "usage.reasoning.output_tokens";
  /** The highest budget utilisation (spent / limit, 0..1+) reported by this call's budget events. */
  public static final String BUDGET_UTILIZATION = PREFIX + "budget.utilization";
  public static final String CUSTOMER = PREFIX + "customer";
  public static final String FEATURE = PREFIX + "feature";
  public static final String WORKFLOW = PREFIX + "workflow";
  public static final String USER = PREFIX + "user";
  public static final String TEAM = PREFIX + "team";
  public static final String ENVIRONMENT = PREFIX + "environment";

  // ---- finops4j span events and their attributes ----
  /**
   * Notable call events become span events named {@code finops4j.} + a name ({@code budget.threshold},
   * {@code cost_cap.clamped}, {@code cost_cap.dropped}, {@code cache.bypass}), their
   * attributes prefixed the same way.
   */
  public static final String EVENT_PREFIX = PREFIX;
  public static final String EVENT_BUDGET_EXCEEDED = PREFIX + "budget.exceeded";
  public static final String EVENT_COST_CAP_EXCEEDED = PREFIX + "cost_cap.exceeded";
  public static final String BUDGET_ID = PREFIX + "budget.id";
  public static final String BUDGET_SCOPE = PREFIX + "budget.scope";
  public static final String BUDGET_KEY = PREFIX + "budget.key";
  public static final String BUDGET_UNIT = PREFIX + "budget.unit";
  public static final String BUDGET_LIMIT = PREFIX + "budget.limit";
  public static final String BUDGET_SPENT = PREFIX + "budget.spent";
  public static final String BUDGET_RESERVED = PREFIX + "budget.reserved";
  public static final String BUDGET_REQUESTED = PREFIX + "budget.requested";
  public static final String BUDGET_RESETS_AT = PREFIX + "budget.resets_at";
  public static final String CAP = PREFIX + "cap";
  public static final String CAP_LIMIT_USD = PREFIX + "cap.limit_usd";
  public static final String CAP_SPENT_USD = PREFIX + "cap.spent_usd";
  public static final String CAP_REQUESTED_USD = PREFIX + "cap.requested_usd";
  public static final String CAP_CALLS = PREFIX + "cap.calls";

  /** The span event of a budget alert threshold crossed: logged at WARN; other events log at INFO. */
  public static final String EVENT_BUDGET_THRESHOLD = "budget.threshold";
  /**
   * The span event of a call that used more than the worst case reserved for it ({@code worst_case_usd},
   * {@code cost_usd}, {@code worst_case_tokens}, {@code tokens}, {@code model}).
   */
  public static final String EVENT_BUDGET_OVERSHOOT = "budget.overshoot";

  // ---- OpenTelemetry metrics ----
  public static final String METRIC_TOKEN_USAGE = "gen_ai.client.token.usage";
  public static final String METRIC_OPERATION_DURATION = "gen_ai.client.operation.duration";
  public static final String METRIC_COST = PREFIX + "cost";
  public static final String METRIC_SAVED = PREFIX + "saved";
  public static final String METRIC_CALLS = PREFIX + "calls";
  public static final String METRIC_CACHE_REQUESTS = PREFIX + "cache.requests";
  public static final String METRIC_REJECTIONS = PREFIX + "rejections";
  public static final String METRIC_BUDGET_UTILIZATION = PREFIX + "budget.utilization";
  public static final String METRIC_BUDGET_OVERSHOOTS = PREFIX + "budget.overshoots";
  /** Bucket boundaries the conventions ask for. */
  public static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L,
      262144L, 1048576L, 4194304L, 16777216L, 67108864L);
  public static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
      5.12, 10.24, 20.48, 40.96, 81.92);
  /** Metric attributes of ours (bounded values only). */
  public static final String REJECTION_REASON = PREFIX + "rejection.reason";
  public static final String REJECTION_LIMIT = PREFIX + "rejection.limit";

  // ---- Micrometer meters (dot-separated lowercase, base units; tags below) ----
  public static final String METER_COST = PREFIX + "cost";
  public static final String METER_SAVED = PREFIX + "saved";
  public static final String METER_TOKENS = PREFIX + "tokens";
  public static final String METER_CALLS = PREFIX + "calls";
  public static final String METER_CALL_DURATION = PREFIX + "call.duration";
  public static final String METER_CACHE_REQUESTS = PREFIX + "cache.requests";
  public static final String METER_REJECTIONS = PREFIX + "rejections";
  public static final String METER_BUDGET_UTILIZATION = PREFIX + "budget.utilization";
  public static final String METER_BUDGET_OVERSHOOTS = PREFIX + "budget.overshoots";
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
