package io.finops4j.telemetry;

import static io.finops4j.telemetry.TelemetryNames.*;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_OPERATION_NAME;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_PROVIDER_NAME;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_REQUEST_MODEL;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_RESPONSE_MODEL;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_RESPONSE_ID;
import static io.finops4j.telemetry.OtelKeys.PROVIDER_REQUEST_ID;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_RESPONSE_FINISH_REASONS;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_REQUEST_MAX_TOKENS;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_REQUEST_TEMPERATURE;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_USAGE_INPUT_TOKENS;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_USAGE_OUTPUT_TOKENS;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_INPUT_MESSAGES;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_OUTPUT_MESSAGES;
import static io.finops4j.telemetry.OtelKeys.GEN_AI_SYSTEM_INSTRUCTIONS;
import static io.finops4j.telemetry.OtelKeys.ERROR_TYPE;
import static io.finops4j.telemetry.OtelKeys.EXCEPTION_MESSAGE;
import static io.finops4j.telemetry.OtelKeys.EXCEPTION_STACKTRACE;
import static io.finops4j.telemetry.OtelKeys.EXCEPTION_TYPE;
import static io.finops4j.telemetry.OtelKeys.SERVER_ADDRESS;
import static io.finops4j.telemetry.OtelKeys.SERVER_PORT;
import static io.finops4j.telemetry.OtelKeys.HTTP_RESPONSE_STATUS_CODE;
import static io.finops4j.telemetry.OtelKeys.COST_USD;
import static io.finops4j.telemetry.OtelKeys.SAVED_USD;
import static io.finops4j.telemetry.OtelKeys.COST_ESTIMATED;
import static io.finops4j.telemetry.OtelKeys.CALL_ID;
import static io.finops4j.telemetry.OtelKeys.TASK_TYPE;
import static io.finops4j.telemetry.OtelKeys.TIER;
import static io.finops4j.telemetry.OtelKeys.ROUTE_REASON;
import static io.finops4j.telemetry.OtelKeys.MODEL;
import static io.finops4j.telemetry.OtelKeys.CACHE_STATUS;
import static io.finops4j.telemetry.OtelKeys.OUTCOME;
import static io.finops4j.telemetry.OtelKeys.ATTEMPTS;
import static io.finops4j.telemetry.OtelKeys.ATTEMPT_INDEX;
import static io.finops4j.telemetry.OtelKeys.STREAM;
import static io.finops4j.telemetry.OtelKeys.CACHE_WRITE_1H_TOKENS;
import static io.finops4j.telemetry.OtelKeys.REASONING_TOKENS;
import static io.finops4j.telemetry.OtelKeys.BUDGET_UTILIZATION;
import static io.finops4j.telemetry.OtelKeys.CUSTOMER;
import static io.finops4j.telemetry.OtelKeys.FEATURE;
import static io.finops4j.telemetry.OtelKeys.WORKFLOW;
import static io.finops4j.telemetry.OtelKeys.USER;
import static io.finops4j.telemetry.OtelKeys.TEAM;
import static io.finops4j.telemetry.OtelKeys.ENVIRONMENT;
import static io.finops4j.telemetry.OtelKeys.BUDGET_ID;
import static io.finops4j.telemetry.OtelKeys.BUDGET_SCOPE;
import static io.finops4j.telemetry.OtelKeys.BUDGET_KEY;
import static io.finops4j.telemetry.OtelKeys.BUDGET_UNIT;
import static io.finops4j.telemetry.OtelKeys.BUDGET_LIMIT;
import static io.finops4j.telemetry.OtelKeys.BUDGET_SPENT;
import static io.finops4j.telemetry.OtelKeys.BUDGET_RESERVED;
import static io.finops4j.telemetry.OtelKeys.BUDGET_REQUESTED;
import static io.finops4j.telemetry.OtelKeys.BUDGET_RESETS_AT;
import static io.finops4j.telemetry.OtelKeys.CAP;
import static io.finops4j.telemetry.OtelKeys.CAP_LIMIT_USD;
import static io.finops4j.telemetry.OtelKeys.CAP_SPENT_USD;
import static io.finops4j.telemetry.OtelKeys.CAP_REQUESTED_USD;
import static io.finops4j.telemetry.OtelKeys.CAP_CALLS;

import io.finops4j.api.Attempt;
import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes the span of one call: started before the pipeline runs, completed with the route, usage, cost and events
 * once it returns, plus one child span per provider attempt when there was more than one.
 *
 * <p>The routed model is unknown when the span starts (routing runs after telemetry), so the span starts as
 * {@code chat} and is renamed {@code chat {model}} at the end; a sampler sees the task type and the operation.
 */
final class CallSpans {

  private final Tracer tracer;
  private final boolean captureContent;
  /** Span names per model: {@code "chat " + model} would be concatenated on every call. */
  private final BoundedCache<String, String> names = new BoundedCache<>(1024);

  CallSpans(Tracer tracer, boolean captureContent) {
    this.tracer = tracer;
    this.captureContent = captureContent;
  }

  Span start(CompletionRequest request, CallContext context, long startEpochNanos) {
    ModelId forced = request.model();
    return tracer.spanBuilder(forced == null ? OPERATION_CHAT : name(forced))
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS)
        .setAttribute(GEN_AI_OPERATION_NAME, OPERATION_CHAT)
        .setAttribute(TASK_TYPE, request.taskType())
        .setAttribute(CALL_ID, context.callId())
        .startSpan();
  }

  void finish(Span span, CallFacts f, long endEpochNanos) {
    try {
      if (span.isRecording()) {
        describe(span, f);
      }
    } finally {
      span.end(endEpochNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void describe(Span span, CallFacts f) {
    CompletionRequest sent = f.sentRequest();
    ModelId primary = f.requestModel();
    if (primary != null) {
      span.updateName(name(primary));
      span.setAttribute(GEN_AI_PROVIDER_NAME, providerName(primary.provider()));
      span.setAttribute(GEN_AI_REQUEST_MODEL, primary.model());
    }
    if (sent.maxOutputTokens() != null) {
      span.setAttribute(GEN_AI_REQUEST_MAX_TOKENS, (long) sent.maxOutputTokens());
    }
    if (sent.temperature() != null) {
      span.setAttribute(GEN_AI_REQUEST_TEMPERATURE, sent.temperature());
    }
    if (f.server() != null && f.server().getHost() != null) {
      span.setAttribute(SERVER_ADDRESS, f.server().getHost());
      span.setAttribute(SERVER_PORT, (long) port(f.server()));
    }
    if (f.tier() != null) {
      span.setAttribute(TIER, f.tier());
    }
    Route route = f.context().route();
    if (route != null && !route.reasons().isEmpty()) {
      span.setAttribute(ROUTE_REASON, route.reason());
    }
    attribution(span, f.request().attribution());
    span.setAttribute(CACHE_STATUS, f.cacheStatus());
    span.setAttribute(OUTCOME, f.outcome());
    span.setAttribute(ATTEMPTS, (long) f.context().attempts().size());
    if (f.context().textListener() != null) {
      span.setAttribute(STREAM, true);
    }
    Completion c = f.completion();
    if (c != null) {
      response(span, c);
    }
    double utilization = events(span, f.notes());
    if (utilization >= 0) {
      span.setAttribute(BUDGET_UTILIZATION, utilization);
    }
    if (captureContent) {
      content(span, f.request().prompt(), c);
    }
    if (f.error() != null) {
      error(span, f, captureContent);
    }
  }

  private static void response(Span span, Completion c) {
    // the model exactly as served (a dated snapshot), next to the catalog model finops4j.model it was priced as
    span.setAttribute(GEN_AI_RESPONSE_MODEL, c.servedModel() != null ? c.servedModel() : c.model().model());
    span.setAttribute(MODEL, c.model().qualified());
    Usage u = c.usage();
    span.setAttribute(GEN_AI_USAGE_INPUT_TOKENS, u.inputTokens());
    span.setAttribute(GEN_AI_USAGE_OUTPUT_TOKENS, u.outputTokens());
    // "not reported" is not 0, and Usage cannot tell them apart: only positive subsets are written
    if (u.cachedInputTokens() > 0) {
      span.setAttribute(GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, u.cachedInputTokens());
    }
    if (u.cacheWriteTokens() > 0) {
      span.setAttribute(GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, u.cacheWriteTokens());
    }
    if (u.cacheWrite1hTokens() > 0) {
      span.setAttribute(CACHE_WRITE_1H_TOKENS, u.cacheWrite1hTokens());
    }
    if (u.reasoningTokens() > 0) {
      span.setAttribute(REASONING_TOKENS, u.reasoningTokens());
    }
    if (c.finishReason() != null) {
      span.setAttribute(GEN_AI_RESPONSE_FINISH_REASONS, List.of(c.finishReason()));
    }
    if (c.responseId() != null) {
      span.setAttribute(GEN_AI_RESPONSE_ID, c.responseId());
    }
    if (c.requestId() != null) {
      span.setAttribute(PROVIDER_REQUEST_ID, c.requestId());
    }
    span.setAttribute(COST_USD, c.costUsd().doubleValue());
    span.setAttribute(SAVED_USD, c.savedUsd().doubleValue());
    span.setAttribute(COST_ESTIMATED, u.estimated());
  }

  private static void attribution(Span span, Attribution a) {
    setIfPresent(span, CUSTOMER, a.customer());
    setIfPresent(span, FEATURE, a.feature());
    setIfPresent(span, WORKFLOW, a.workflow());
    setIfPresent(span, USER, a.user());
    setIfPresent(span, TEAM, a.team());
    setIfPresent(span, ENVIRONMENT, a.environment());
  }

  /** Adds the call's events; returns the highest budget utilisation they report, or -1. */
  private static double events(Span span, List<Note> events) {
    double max = -1;
    for (Note e : events) {
      AttributesBuilder b = Attributes.builder();
      for (Map.Entry<String, String> a : e.attributes().entrySet()) {
        String key = a.getKey().startsWith(PREFIX) ? a.getKey() : PREFIX + a.getKey();
        b.put(key, a.getValue());
      }
      String name = e.name().startsWith(EVENT_PREFIX) ? e.name() : EVENT_PREFIX + e.name();
      if (e.epochNanos() > 0) {
        span.addEvent(name, b.build(), e.epochNanos(), TimeUnit.NANOSECONDS);
      } else {
        span.addEvent(name, b.build());
      }
      max = Math.max(max, e.utilization());
    }
    return max;
  }

  private static void error(Span span, CallFacts f, boolean captureContent) {
    Throwable e = f.error();
    span.setAttribute(ERROR_TYPE, f.errorType());
    span.setStatus(StatusCode.ERROR, f.errorType());
    if (e instanceof BudgetExceededException b) {
      AttributesBuilder a = Attributes.builder()
          .put(BUDGET_ID, b.budgetId())
          .put(BUDGET_SCOPE, b.scope())
          .put(BUDGET_UNIT, b.unit())
          .put(BUDGET_LIMIT, plain(b.limit()))
          .put(BUDGET_SPENT, plain(b.spent()))
          .put(BUDGET_RESERVED, plain(b.reserved()))
          .put(BUDGET_REQUESTED, plain(b.requested()));
      putIfPresent(a, BUDGET_KEY, b.key());
      if (b.resetsAt() != null) {
        a.put(BUDGET_RESETS_AT, b.resetsAt().toString());
      }
      span.addEvent(EVENT_BUDGET_EXCEEDED, a.build());
    } else if (e instanceof CostCapExceededException c) {
      AttributesBuilder a = Attributes.builder().put(CAP, c.cap()).put(CAP_CALLS, c.calls());
      putIfPresent(a, CAP_LIMIT_USD, plain(c.limitUsd()));
      putIfPresent(a, CAP_SPENT_USD, plain(c.spentUsd()));
      putIfPresent(a, CAP_REQUESTED_USD, plain(c.requestedUsd()));
      span.addEvent(EVENT_COST_CAP_EXCEEDED, a.build());
    } else if (e instanceof ProviderException p && p.providerMessage() != null && !captureContent) {
      // kept on the exception by error-detail: true, but it may quote the prompt: not on spans without capture
      // the event recordException would write, built here so no SDK version can add the raw message
      span.addEvent(EVENT_EXCEPTION, Attributes.of(EXCEPTION_TYPE, e.getClass().getCanonicalName(),
          EXCEPTION_MESSAGE, redact(p.getMessage(), p.providerMessage()),
          EXCEPTION_STACKTRACE, redact(stackTrace(e), p.providerMessage())));
    } else {
      // other finops4j exception messages never carry keys or prompt text (a rule of the API)
      span.recordException(e);
    }
  }

  static final String REDACTED = "[redacted: provider message, capture-content: true records it]";

  private static String redact(String text, String providerMessage) {
    return text.replace(providerMessage, REDACTED);
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }

  /**
   * The span of one provider attempt, child of the call's span, started as the attempt goes out: made current by
   * the caller, so the HTTP client's own spans are its children.
   */
  Span startAttempt(Span parent, ModelId model, int index, long startEpochNanos) {
    return tracer.spanBuilder(name(model))
        .setParent(Context.current().with(parent))
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS)
        .setAttribute(GEN_AI_OPERATION_NAME, OPERATION_CHAT)
        .setAttribute(GEN_AI_PROVIDER_NAME, providerName(model.provider()))
        .setAttribute(GEN_AI_REQUEST_MODEL, model.model())
        .setAttribute(ATTEMPT_INDEX, (long) index)
        .startSpan();
  }

  /** Ends an attempt's span with its outcome. */
  static void endAttempt(Span s, Attempt a, java.net.URI server, long endEpochNanos) {
    try {
      if (s.isRecording()) {
        if (server != null && server.getHost() != null) {
          s.setAttribute(SERVER_ADDRESS, server.getHost());
          s.setAttribute(SERVER_PORT, (long) port(server));
        }
        if (a.status() > 0) {
          s.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) a.status());
        }
        if (a.requestId() != null) {
          s.setAttribute(PROVIDER_REQUEST_ID, a.requestId());
        }
        if (!a.succeeded()) {
          s.setAttribute(ERROR_TYPE, a.outcome());
          s.setStatus(StatusCode.ERROR, a.outcome());
        }
      }
    } finally {
      s.end(endEpochNanos, TimeUnit.NANOSECONDS);
    }
  }

  private static void content(Span span, Prompt prompt, Completion c) {
    StringBuilder in = new StringBuilder("[");
    for (Prompt.Message m : prompt.messages()) {
      if (m.role() == Prompt.Role.SYSTEM) {
        span.setAttribute(GEN_AI_SYSTEM_INSTRUCTIONS,
            "[{\"type\":\"text\",\"content\":" + Json.quote(m.content()) + "}]");
        continue;
      }
      if (in.length() > 1) {
        in.append(',');
      }
      in.append("{\"role\":\"").append(role(m.role())).append("\",\"parts\":[");
      if (m.role() == Prompt.Role.TOOL) { // the GenAI conventions' part for a tool's result
        in.append("{\"type\":\"tool_call_response\",\"id\":").append(Json.quote(m.toolCallId()))
            .append(",\"response\":").append(Json.quote(m.content())).append('}');
      } else if (!m.content().isEmpty() || m.toolCalls().isEmpty()) {
        in.append("{\"type\":\"text\",\"content\":").append(Json.quote(m.content())).append('}');
      }
      for (io.finops4j.api.ToolCall call : m.toolCalls()) {
        in.append(in.charAt(in.length() - 1) == '[' ? "" : ",").append("{\"type\":\"tool_call\",\"id\":")
            .append(Json.quote(call.id())).append(",\"name\":").append(Json.quote(call.name()))
            .append(",\"arguments\":").append(Json.quote(call.arguments())).append('}');
      }
      in.append("]}");
    }
    span.setAttribute(GEN_AI_INPUT_MESSAGES, in.append(']').toString());
    if (c != null) {
      span.setAttribute(GEN_AI_OUTPUT_MESSAGES, "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":"
          + Json.quote(c.text()) + "}]" + (c.finishReason() == null ? "" : ",\"finish_reason\":"
          + Json.quote(c.finishReason())) + "}]");
    }
  }

  /** The GenAI conventions' role of a non-system message. */
  private static String role(Prompt.Role role) {
    return switch (role) {
      case USER -> "user";
      case TOOL -> "tool";
      default -> "assistant";
    };
  }

  /** {@code chat {gen_ai.request.model}}, as the conventions name inference spans. */
  private String name(ModelId model) {
    return names.get(model.model(), m -> OPERATION_CHAT + " " + m);
  }

  static int port(java.net.URI server) {
    if (server.getPort() > 0) {
      return server.getPort();
    }
    return "http".equalsIgnoreCase(server.getScheme()) ? 80 : 443;
  }

  private static void setIfPresent(Span span, AttributeKey<String> key, String value) {
    if (value != null) {
      span.setAttribute(key, value);
    }
  }

  private static void putIfPresent(AttributesBuilder b, AttributeKey<String> key, String value) {
    if (value != null) {
      b.put(key, value);
    }
  }

  private static String plain(BigDecimal d) {
    return d == null ? null : d.toPlainString();
  }
}
