package io.finops4j;

import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.Interceptor;
import java.util.List;

/** The chain as OkHttp builds it: one small object per step, each knowing the next interceptor's index. */
final class RealChain implements Interceptor.Chain {

  private final List<Interceptor> interceptors;
  private final int index;
  private final CompletionRequest request;
  private final Call call;

  RealChain(List<Interceptor> interceptors, int index, CompletionRequest request, Call call) {
    this.interceptors = interceptors;
    this.index = index;
    this.request = request;
    this.call = call;
  }

  @Override
  public CompletionRequest request() {
    return request;
  }

  @Override
  public CallContext context() {
    return call;
  }

  @Override
  public Completion proceed(CompletionRequest next) {
    return run(interceptors, index, next, call);
  }

  /** Runs the call through every interceptor: the first one's chain, without a chain object before it. */
  static Completion start(List<Interceptor> interceptors, CompletionRequest request, Call call) {
    return run(interceptors, 0, request, call);
  }

  /** Hands {@code next} to the interceptor at {@code index}, with the chain of the step after it. */
  private static Completion run(List<Interceptor> interceptors, int index, CompletionRequest next, Call call) {
    if (index >= interceptors.size()) {
      throw new IllegalStateException("the last interceptor must not call proceed()");
    }
    Completion c = interceptors.get(index).intercept(new RealChain(interceptors, index + 1, next, call));
    if (c == null) {
      throw new IllegalStateException("interceptor " + interceptors.get(index).getClass().getName()
          + " returned null");
    }
    return c;
  }
}
