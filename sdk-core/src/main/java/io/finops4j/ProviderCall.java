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
import io.finops4j.core.PriceCatalog;
import io.finops4j.routing.CircuitBreakers;
import io.finops4j.routing.RoutingInterceptor;
import io.finops4j.telemetry.TelemetryInterceptor;
import java.util.List;
import java.util.Map;

/**
 * The end of the pipeline: calls the route's candidates in order, retrying retryable failures with backoff and
 * then falling back to the next candidate, records every attempt, and prices the answer exactly.
 *
 * <p>A streamed call never retries or falls back once a delta has reached the caller: the caller would see
 * two answers spliced together.
 */
final class ProviderCall implements Interceptor {

  /** The error code of a stream the caller closed early. */
  static final String CANCELLED = "cancelled";

  private final Map<String, ProviderClient> providers;
  private final PriceCatalog prices;
  private final int maxRetries;
  private final Backoff.Sleeper sleeper;
  private final CircuitBreakers breakers;

  ProviderCall(Map<String, ProviderClient> providers, PriceCatalog prices, int maxRetries, Backoff.Sleeper sleeper,
      CircuitBreakers breakers) {
    this.providers = providers;
    this.prices = prices;
    this.maxRetries = maxRetries;
    this.sleeper = sleeper;
    this.breakers = breakers;
  }

  @Override
  public Completion intercept(Chain chain) {
    CompletionRequest request = chain.request();
    CallContext context = chain.context();
    Route route = context.route();
    if (route == null) {
      route = Route.forced(request.model());
      context.route(route);
    }
    context.put(TelemetryInterceptor.SENT_REQUEST, request);
    DeltaCounter stream = context.textListener() == null ? null : new DeltaCounter(context.textListener());
    ProviderException last = null;
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
      ProviderRequest providerRequest = new ProviderRequest(model.model(), request.prompt(), request.maxOutputTokens(),
          request.temperature(), endUser(request), Boolean.TRUE.equals(context.get(RoutingInterceptor.PROMPT_CACHING)));
      for (int attempt = 0; attempt <= maxRetries; attempt++) {
        if (attempt > 0) {
          pause(Backoff.delay(attempt, last.retryAfter()));
        }
        long start = System.nanoTime();
        try {
          ProviderResponse response = stream == null ? client.complete(providerRequest)
              : client.stream(providerRequest, stream);
          context.addAttempt(new Attempt(model, "ok", 200, System.nanoTime() - start, response.requestId()));
          breakers.onSuccess(model);
          return completion(model, route, request, context, response);
        } catch (ProviderException e) {
          context.addAttempt(new Attempt(model, outcome(e), e.status(), System.nanoTime() - start, e.requestId()));
          last = e;
          if (stream != null && stream.delivered) {
            // text reached the caller: no retry (two answers spliced), and the provider bills what it generated
            throw withPartial(e, model, request, context, stream);
          }
          if (!e.retryable()) {
            throw e;
          }
          breakers.onFailure(model, context.clock().instant());
        } catch (StreamCancelledException e) {
          context.addAttempt(new Attempt(model, CANCELLED, 0, System.nanoTime() - start, null));
          ProviderException cancelled = new ProviderException(model.provider(), 0, CANCELLED, null, false, null,
              "stream cancelled by the caller", e);
          throw stream != null && stream.delivered ? withPartial(cancelled, model, request, context, stream)
              : cancelled;
        }
      }
    }
    throw last;
  }

  /**
   * Attaches to {@code e} the estimate of what a broken stream generated: the prompt's token count plus the
   * tokens of the text delivered, marked estimated. The budget step charges it instead of releasing the
   * reservation for nothing.
   */
  private ProviderException withPartial(ProviderException e, ModelId model, CompletionRequest request,
      CallContext context, DeltaCounter stream) {
    Usage usage = Usage.builder()
        .inputTokens(context.tokens().count(request.prompt(), model))
        .outputTokens(context.tokens().countText(stream.text.toString(), model))
        .estimated(true).build();
    return e.withPartial(usage, prices.price(model).cost(usage));
  }

  private Completion completion(ModelId model, Route route, CompletionRequest request, CallContext context,
      ProviderResponse response) {
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
        .finishReason(response.finishReason())
        .callId(context.callId())
        .requestId(response.requestId())
        .priceVersion(prices.version())
        .route(route)
        .attempts(context.attempts())
        .build();
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

    DeltaCounter(Llm.TextListener target) {
      this.target = target;
    }

    @Override
    public void onText(String delta) {
      delivered = true;
      text.append(delta); // generated and billed whether or not the caller takes it
      target.onText(delta);
    }
  }
}
