package io.finops4j.telemetry;

import io.finops4j.api.Attempt;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.ModelId;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CallRecord;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;

/**
 * What one finished call amounts to, worked out once and shared by the span, the metrics and the log line.
 *
 * <p>{@code requestModel} is the routed primary (what the call was sent to first); {@code responseModel} the model
 * that answered, which differs after a fallback. Both are {@code null} when routing never ran.
 */
record CallFacts(
    CompletionRequest request,
    CallContext context,
    Completion completion,
    Throwable error,
    ModelId requestModel,
    ModelId responseModel,
    String tier,
    String outcome,
    String errorType,
    String cacheStatus,
    Usage usage,
    BigDecimal costUsd,
    BigDecimal savedUsd,
    long costNanosApprox,
    long durationNanos,
    URI server,
    CompletionRequest sent,
    List<Note> notes) {

  /**
   * The facts of a call that ended with {@code completion} or {@code error}; {@code server}, {@code sent} (the
   * request of the last attempt), {@code cacheStatus} and {@code notes} as its events reported them (null, null,
   * null and empty when no step reported).
   */
  static CallFacts of(CompletionRequest request, CallContext context, Completion completion, Throwable error,
      long durationNanos, URI server, CompletionRequest sent, String cacheStatus, List<Note> notes) {
    Route route = context.route();
    List<Attempt> attempts = context.attempts();
    ModelId requestModel = route != null ? route.primary() : request.model();
    if (requestModel == null && !attempts.isEmpty()) {
      requestModel = attempts.get(0).model();
    }
    ModelId responseModel;
    if (completion != null) {
      responseModel = completion.model();
    } else if (!attempts.isEmpty()) {
      responseModel = attempts.get(attempts.size() - 1).model();
    } else {
      responseModel = requestModel;
    }
    String tier = completion != null && completion.tier() != null ? completion.tier()
        : route != null ? route.tier() : request.tier();
    Usage usage = completion != null ? completion.usage() : Usage.ZERO;
    BigDecimal cost = completion != null ? completion.costUsd() : BigDecimal.ZERO;
    BigDecimal saved = completion != null ? completion.savedUsd() : BigDecimal.ZERO;
    return new CallFacts(request, context, completion, error, requestModel, responseModel, tier, outcome(error),
        errorType(error), cacheStatus(request, completion, cacheStatus), usage, cost, saved, nanos(cost),
        durationNanos, server, sent != null ? sent : request, notes);
  }

  boolean ok() {
    return error == null;
  }

  boolean rejected() {
    return error instanceof BudgetExceededException || error instanceof CostCapExceededException;
  }

  /** The effective request options: what the last attempt sent, else what the caller asked for. */
  CompletionRequest sentRequest() {
    return sent;
  }

  static String outcome(Throwable error) {
    if (error == null) {
      return CallRecord.OK;
    }
    if (error instanceof BudgetExceededException) {
      return CallRecord.REJECTED_BUDGET;
    }
    if (error instanceof CostCapExceededException) {
      return CallRecord.REJECTED_CAP;
    }
    return CallRecord.ERROR;
  }

  /**
   * A low-cardinality {@code error.type}: the provider's error code or HTTP status for provider failures, else the
   * exception's class name, as the conventions suggest.
   */
  static String errorType(Throwable error) {
    if (error == null) {
      return null;
    }
    if (error instanceof ProviderException p) {
      if (p.errorCode() != null && !p.errorCode().isBlank()) {
        return p.errorCode();
      }
      if (p.status() > 0) {
        return Integer.toString(p.status());
      }
    }
    return error.getClass().getName();
  }

  private static String cacheStatus(CompletionRequest request, Completion completion, String told) {
    if (completion != null && completion.cached()) {
      return "hit";
    }
    if (told != null) {
      return told;
    }
    return request.cacheEnabled() && completion != null ? "miss" : "off";
  }

  /** Nano-USD, approximately: only a rank weight for the cardinality guard, so a double is exact enough. */
  private static long nanos(BigDecimal usd) {
    return Math.round(usd.doubleValue() * 1e9);
  }
}
