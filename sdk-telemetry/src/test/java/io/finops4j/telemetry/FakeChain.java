package io.finops4j.telemetry;

import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Interceptor;
import java.util.function.BiFunction;

/** The rest of the pipeline, played by a function of the request and the context (routing, attempts, answer). */
final class FakeChain implements Interceptor.Chain {

  private final CompletionRequest request;
  private final CallContext context;
  private final BiFunction<CompletionRequest, CallContext, Completion> rest;

  FakeChain(CompletionRequest request, CallContext context,
      BiFunction<CompletionRequest, CallContext, Completion> rest) {
    this.request = request;
    this.context = context;
    this.rest = rest;
  }

  @Override public CompletionRequest request() { return request; }
  @Override public CallContext context() { return context; }
  @Override public Completion proceed(CompletionRequest r) { return rest.apply(r, context); }
}
