package io.finops4j;

import io.finops4j.api.Attempt;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Finops4jException;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Route;
import io.finops4j.api.StreamCancelledException;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Interceptor;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import io.finops4j.core.ParameterRules;
import io.finops4j.core.LivePrices;
import io.finops4j.core.PriceCatalog;
import io.finops4j.routing.CircuitBreakers;
import java.util.List;
import java.util.Map;

/**
 * The end of the pipeline: calls the route's candidates in order, retrying retryable failures with backoff and
 * then falling back to the next candidate, records every attempt, and prices the answer exactly.
 *
 * <p>A streamed call never retries or falls back once a delta has reached the caller: the caller would see
 * two answers spliced together.
 *
 * <p>All attempts of one call share one deadline: each exchange is cut off when it runs out (a body trickling in
 * cannot hold the call for call-timeout x attempts), no backoff waits past it, and the call then fails with
 * {@code deadline_exceeded}.
 */
final class ProviderCall implements Interceptor {

  /** The error code of a call whose attempts used up its deadline. */
  static final String DEADLINE_EXCEEDED = "deadline_exceeded";
  /** The default deadline of one call, every attempt and backoff included. */
  static final java.time.Duration DEFAULT_DEADLINE = java.time.Duration.ofMinutes(5);

  /** The error code of a stream the caller closed early. */
  static final String CANCELLED = "cancelled";
  /** The error code of a stream whose text listener threw (e.g. the caller's client went away). */
  static final String LISTENER_FAILED = "listener_failed";
  /** The provider answered 2xx but the answer could not be read (e.g. usage out of range). */
  static final String MALFORMED = "malformed_response";

  private final Map<String, ProviderClient> providers;
  private final LivePrices prices;
  private final int maxRetries;
  private final Backoff.Sleeper sleeper;
  private final CircuitBreakers breakers;
  private final java.time.Duration deadline;
  private final ParameterRules parameters;

  ProviderCall(Map<String, ProviderClient> providers, LivePrices prices, int maxRetries, Backoff.Sleeper sleeper,
      CircuitBreakers breakers, java.time.Duration deadline, ParameterRules parameters) {
    this.providers = providers;
    this.prices = prices;
    this.maxRetries = maxRetries;
    this.sleeper = sleeper;
    this.breakers = breakers;
    this.deadline = deadline;
    this.parameters = parameters;
  }

  @Override
  public Completion intercept(Chain chain) {
    CompletionRequest request = chain.request();
    CallContext context = chain.context();
    Route route = context.route();
    if (route == null) {
      route = Route.forced(request.model());
      context.route(route);
      context.listener().routeSelected(context, route);
    }
    DeltaCounter stream = context.textListener() == null ? null : new DeltaCounter(context.textListener());
    ProviderException last = null;
    long deadlineAt = System.nanoTime() + deadline.toNanos();
    List<ModelId> candidates = route.candidates();
    for (int i = 0; i < candidates.size(); i++) {
      ModelId model = candidates.get(i);
      boolean lastChance = i == candidates.size() - 1 && last == null;
      if (!lastChance && !breakers.tryAcquire(model, context.clock().instant())) {
        // A model that keeps failing is skipped while its breaker is open, unless it is all that is left.
        route = route.withReason("skipped " + model + ": circuit open after repeated failures");
        context.route(route);
        continue;
      }
      if (last != null) {
        route = route.withReason("fallback to " + model + ": " + last.provider() + " " + describe(last));
        context.route(route);
      }
      // a framework adapter's call is made by the framework's own model (CompletionRequest.client)
      ProviderClient client = request.client() != null ? request.client() : providers.get(model.provider());
      if (client == null) {
        throw new Finops4jException("no provider '" + model.provider() + "' is configured for model " + model
            + "; configured providers: " + providers.keySet());
      }
      java.net.URI server = client.server(); // the attempt's server.address and server.port
      // the model rules, before the network: a parameter the model does not take is refused or left out
      Double temperature = parameters.temperature(model, request.temperature());
      parameters.check(model, request);
      parameters.contextWindow(model, request.prompt(), context.tokens());
      String reasoningEffort = parameters.reasoningEffort(model, request.reasoningEffort());
      Integer thinkingBudget = parameters.thinkingBudget(model, request.thinkingBudget());
      Integer maxOutputTokens = parameters.maxOutputTokens(model, request.maxOutputTokens(), thinkingBudget);
      for (int attempt = 0; attempt <= maxRetries; attempt++) {
        if (attempt > 0) {
          java.time.Duration wait = Backoff.delay(attempt, last.retryAfter());
          if (System.nanoTime() + wait.toNanos() - deadlineAt >= 0) {
            throw deadlineExceeded(last, context); // no point waiting for a retry that may not start
          }
          pause(wait);
        }
        long start = System.nanoTime();
        if (deadlineAt - start <= 0) {
          throw deadlineExceeded(last == null ? new ProviderException(model.provider(), 0, DEADLINE_EXCEEDED, null,
              false, null, "no attempt started", null) : last, context);
        }
        // built per attempt, whole: the timeout is what is left of the call's deadline
        ProviderRequest timed = new ProviderRequest(model.model(), request.prompt(), maxOutputTokens,
            temperature, endUser(request), route.promptCaching(), java.time.Duration.ofNanos(deadlineAt - start),
            request.tools(), request.toolChoice(), request.jsonSchema(), reasoningEffort, thinkingBudget);
        // listeners run synchronously on this thread: a span opened here is current while the client runs
        context.listener().attemptStart(context, request, model, server);
        try {
          ProviderResponse response = stream == null ? client.complete(timed) : client.stream(timed, stream);
          ended(context, new Attempt(model, "ok", 200, System.nanoTime() - start, response.requestId()), server);
          breakers.onSuccess(model);
          return completion(model, route, request, context, response);
        } catch (ProviderException e) {
          ended(context, new Attempt(model, outcome(e), e.status(), System.nanoTime() - start, e.requestId()), server);
          last = e;
          if (MALFORMED.equals(e.errorCode()) && e.status() >= 200 && e.status() < 300) {
            // the provider answered, so it billed, but what it reported cannot be trusted: charge the worst case
            throw worstCase(e, model, request, context);
          }
          if (stream != null && (stream.delivered || e.partialUsage() != null)) {
            // text reached the caller (or the provider reported its usage): no retry (two answers spliced), and
            // the provider bills what it generated
            throw withPartial(e, model, request, context, stream);
          }
          if (!e.retryable()) {
            throw e;
          }
          breakers.onFailure(model, context.clock().instant());
        } catch (StreamCancelledException e) {
          ended(context, new Attempt(model, CANCELLED, 0, System.nanoTime() - start, null), server);
          ProviderException cancelled = new ProviderException(model.provider(), 0, CANCELLED, null, false, null,
              "stream cancelled by the caller", e);
          throw stream != null && stream.delivered ? withPartial(cancelled, model, request, context, stream)
              : cancelled;
        } catch (RuntimeException e) {
          if (stream == null || stream.listenerFailure != e) {
            // a client that failed in an unexpected way: the attempt still ends (its span must not stay open)
            ended(context, new Attempt(model, e.getClass().getSimpleName(), 0, System.nanoTime() - start, null),
                server);
            throw e;
          }
          // the caller's listener threw: the stream stops, and the provider bills what it generated so far
          ended(context, new Attempt(model, LISTENER_FAILED, 0, System.nanoTime() - start, null), server);
          throw withPartial(new ProviderException(model.provider(), 0, LISTENER_FAILED, null, false, null,
              "the stream's text listener threw " + e.getClass().getName() + " (see the cause)", e), model, request,
              context, stream);
        }
      }
    }
    if (System.nanoTime() - deadlineAt >= 0) {
      throw deadlineExceeded(last, context);
    }
    throw last;
  }

  /** Records a finished attempt and tells the listeners. */
  private static void ended(CallContext context, Attempt attempt, java.net.URI server) {
    context.addAttempt(attempt);
    context.listener().attemptEnd(context, attempt, server);
  }

  /** The call ran out of its deadline; {@code last} (the last attempt's failure) is the cause. */
  private ProviderException deadlineExceeded(ProviderException last, CallContext context) {
    return new ProviderException(last.provider(), 0, DEADLINE_EXCEEDED, last.requestId(), false, null,
        "the call's deadline of " + deadline + " passed after " + context.attempts().size() + " attempt(s); the last"
            + " one: " + describe(last), last);
  }

  /**
   * Attaches to {@code e} the estimate of what a broken stream generated: the prompt's token count plus the
   * tokens of the text delivered, marked estimated. The budget step charges it instead of releasing the
   * reservation for nothing.
   */
  private ProviderException withPartial(ProviderException e, ModelId model, CompletionRequest request,
      CallContext context, DeltaCounter stream) {
    Usage usage = e.partialUsage();
    if (usage == null) {
      usage = Usage.builder()
          .inputTokens(context.tokens().count(request.prompt(), model))
          .outputTokens(context.tokens().countText(stream.text.toString(), model))
          .estimated(true).build();
    }
    return e.withPartial(usage, prices.price(model).cost(usage));
  }

  /**
   * Attaches the call's worst case for {@code model} (the prompt's upper bound and the output ceiling), marked
   * estimated: what a provider that answered unreadably may have billed.
   */
  private ProviderException worstCase(ProviderException e, ModelId model, CompletionRequest request,
      CallContext context) {
    ModelPrice price = prices.price(model);
    long out = (request.maxOutputTokens() != null ? request.maxOutputTokens()
        : price.maxOutputTokens() > 0 ? price.maxOutputTokens() : DEFAULT_MAX_OUTPUT_TOKENS)
        + (request.thinkingBudget() == null ? 0 : request.thinkingBudget());
    Usage usage = Usage.builder().inputTokens(context.tokens().upperBound(request.prompt(), model))
        .outputTokens(out).estimated(true).build();
    return e.withPartial(usage, price.cost(usage));
  }

  /** As the budget step's: when neither the request nor the price knows an output ceiling. */
  private static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

  private Completion completion(ModelId model, Route route, CompletionRequest request, CallContext context,
      ProviderResponse response) {
    PriceCatalog prices = this.prices.current(); // one table for the whole completion, even if a feed swaps it
    if (request.client() != null && response.model() != null && !response.model().equals(model.model())) {
      // someone else's client reports the model that really ran: price that one when the table knows it
      ModelId reported = new ModelId(model.provider(), response.model());
      if (prices.find(reported).isPresent()) {
        model = reported;
      }
    }
    ModelPrice price = prices.price(model);
    Usage usage = response.usage();
    if (usage == null) {
      // Never price an unreported call at zero: estimate it, and say so.
      usage = Usage.builder()
          .inputTokens(context.tokens().count(request.prompt(), model))
          .outputTokens(context.tokens().countText(response.text(), model))
          .estimated(true).build();
    }
    return Completion.builder()
        .text(response.text())
        .model(prices.baseModel(model))
        .tier(route.tier())
        .usage(usage)
        .costUsd(price.cost(usage))
        .finishReason(CanonicalStrings.of(response.finishReason()))
        .callId(context.callId())
        .requestId(response.requestId())
        .responseId(response.responseId())
        .servedModel(CanonicalStrings.of(response.model()))
        .priceVersion(prices.version())
        .route(route)
        .attempts(context.attempts())
        .toolCalls(response.toolCalls())
        .reasoning(response.reasoning())
        .json(request.jsonSchema() != null && response.toolCalls().isEmpty() ? json(response.text()) : null)
        .build();
  }

  /** The structured answer: the text when it is a JSON object or array, else null (a refusal is not the answer). */
  private static String json(String text) {
    String t = text.strip();
    return t.startsWith("{") || t.startsWith("[") ? text : null;
  }

  private static String endUser(CompletionRequest request) {
    String user = request.attribution().user();
    return user != null ? user : request.attribution().customer();
  }

  private static String describe(ProviderException e) {
    String what = e.status() > 0 ? "HTTP " + e.status() : "call failed";
    return e.errorCode() != null ? what + " " + e.errorCode() : what;
  }

  private static String outcome(ProviderException e) {
    if (e.status() > 0) {
      return "http_" + e.status();
    }
    return e.errorCode() != null ? e.errorCode() : "io";
  }

  private void pause(java.time.Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Finops4jException("interrupted while waiting to retry", e);
    }
  }

  /** Forwards deltas and remembers what reached the caller. */
  private static final class DeltaCounter implements Llm.TextListener {
    private final Llm.TextListener target;
    final StringBuilder text = new StringBuilder();
    boolean delivered;
    /** What the target threw, to tell it from a failure of the client. */
    RuntimeException listenerFailure;

    DeltaCounter(Llm.TextListener target) {
      this.target = target;
    }

    @Override
    public void onText(String delta) {
      delivered = true;
      text.append(delta); // generated and billed whether or not the caller takes it
      try {
        target.onText(delta);
      } catch (StreamCancelledException e) {
        throw e;
      } catch (RuntimeException e) {
        listenerFailure = e;
        throw e;
      }
    }
  }
}
