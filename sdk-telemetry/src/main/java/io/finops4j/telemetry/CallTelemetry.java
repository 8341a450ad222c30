package io.finops4j.telemetry;

import io.finops4j.api.Attempt;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelId;
import io.finops4j.api.spi.BudgetOvershoot;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CacheLookup;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.api.spi.CapCheck;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The telemetry of one call: opens the call's span at {@code callStart} (current while the pipeline runs) and an
 * attempt span around each provider exchange, collects what the steps report, and at the end writes the span,
 * the metrics and the log line once. One call, one thread: not thread-safe.
 */
final class CallTelemetry extends CallEventListener {

  private final Telemetry telemetry;
  private final CallContext call;
  private CompletionRequest request;
  private long startTick;
  private long startEpochNanos;
  private OtelSide.Started started;
  private ObservationSide.Started observed;
  private int attempts;
  private URI server;
  private CompletionRequest sent;
  private String cacheStatus;
  /** Created on the first note: most calls have none. */
  private List<Note> notes;

  CallTelemetry(Telemetry telemetry, CallContext call) {
    this.telemetry = telemetry;
    this.call = call;
  }

  @Override
  public void callStart(CallContext call, CompletionRequest request) {
    this.request = request;
    startTick = telemetry.tick();
    startEpochNanos = telemetry.epochNanosNow();
    observed = telemetry.observe(request, call);
    started = observed == null ? telemetry.start(request, call, startEpochNanos) : null;
  }

  @Override
  public void cacheLookup(CallContext call, CacheLookup lookup) {
    cacheStatus = lookup.status().label();
    if (lookup.reason() != null) {
      note(new Note("cache.bypass", now(), Map.of("reason", lookup.reason())));
    }
  }

  @Override
  public void capChecked(CallContext call, CapCheck check) {
    if (check.droppedCandidates() > 0) {
      note(new Note("cost_cap.dropped", now(), Map.of("cap", check.cap(), "limit", check.limitUsd().toPlainString(),
          "dropped", String.valueOf(check.droppedCandidates()))));
    }
    if (check.clamped()) {
      note(new Note("cost_cap.clamped", now(), Map.of("cap", check.cap(), "limit",
          check.limitUsd().toPlainString(), "max_output_tokens_requested",
          String.valueOf(check.maxOutputTokensRequested()), "max_output_tokens",
          String.valueOf(check.maxOutputTokens()))));
    }
  }

  @Override
  public void budgetOvershoot(CallContext call, BudgetOvershoot o) {
    String model = String.valueOf(o.model());
    note(new Note(TelemetryNames.EVENT_BUDGET_OVERSHOOT, now(), Map.of("model", model,
        "worst_case_usd", o.worstCaseUsd().toPlainString(), "cost_usd", o.costUsd().toPlainString(),
        "worst_case_tokens", String.valueOf(o.worstCaseTokens()), "tokens", String.valueOf(o.tokens()))));
    telemetry.budgetOvershoot(request.taskType(), model);
  }

  @Override
  public void thresholdCrossed(CallContext call, BudgetView.BudgetUsage u, double threshold) {
    double utilization = u.utilization();
    note(new Note(TelemetryNames.EVENT_BUDGET_THRESHOLD, now(), Map.of("budget", u.budgetId(),
        "key", String.valueOf(u.key()), "threshold", String.valueOf(threshold), "limit", u.limit().toPlainString(),
        "spent", u.spent().toPlainString(), "unit", u.unit(), "utilization", String.valueOf(utilization)),
        u.budgetId(), utilization));
    telemetry.budgetUtilization(u.budgetId(), utilization);
  }

  @Override
  public void attemptStart(CallContext call, CompletionRequest request, ModelId model, URI server) {
    sent = request;
    if (server != null) {
      this.server = server; // the candidate being tried; the last one is the call's server
    }
    int index = attempts++;
    if (observed != null) {
      try {
        observed.startAttempt(model, index);
      } catch (LinkageError e) {
        telemetry.observationFailed(e);
      } catch (RuntimeException e) {
        telemetry.log.telemetryFailed(call.callId(), e);
      }
    }
    if (started != null) {
      try {
        started.startAttempt(model, now());
      } catch (LinkageError e) {
        telemetry.otelFailed(e);
      } catch (RuntimeException e) {
        telemetry.log.telemetryFailed(call.callId(), e);
      }
    }
  }

  @Override
  public void attemptEnd(CallContext call, Attempt attempt, URI server) {
    if (server != null) {
      this.server = server;
    }
    if (observed != null) {
      try {
        observed.endAttempt(attempt, server);
      } catch (LinkageError e) {
        telemetry.observationFailed(e);
      } catch (RuntimeException e) {
        telemetry.log.telemetryFailed(call.callId(), e);
      }
    }
    if (started != null) {
      try {
        started.endAttempt(attempt, server, now());
      } catch (LinkageError e) {
        telemetry.otelFailed(e);
      } catch (RuntimeException e) {
        telemetry.log.telemetryFailed(call.callId(), e);
      }
    }
  }

  @Override
  public void callEnd(CallContext call, Completion completion, CallRecord record) {
    end(completion, null);
  }

  @Override
  public void callFailed(CallContext call, RuntimeException error, CallRecord record) {
    end(null, error);
  }

  private void end(Completion completion, RuntimeException error) {
    long duration = Math.max(0, telemetry.tick() - startTick);
    CallFacts facts;
    try {
      facts = CallFacts.of(request, call, completion, error, duration, server, sent, cacheStatus,
          notes == null ? List.of() : notes);
    } catch (RuntimeException e) {
      telemetry.abandon(started, observed, call.callId(), e);
      return;
    }
    telemetry.finish(started, observed, facts, startEpochNanos + duration);
  }

  private void note(Note n) {
    if (notes == null) {
      notes = new ArrayList<>(2);
    }
    notes.add(n);
  }

  /** The wall time now, on the call's clock: its start plus the ticker's progress since. */
  private long now() {
    return startEpochNanos + Math.max(0, telemetry.tick() - startTick);
  }
}
