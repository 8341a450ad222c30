package io.finops4j;

import io.finops4j.api.Llm;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/** A provider that answers from a script, and remembers what it was asked. */
class ScriptedProvider implements ProviderClient {

  private final String name;
  private final Deque<Supplier<ProviderResponse>> script = new ArrayDeque<>();
  final List<ProviderRequest> requests = new ArrayList<>();
  Supplier<ProviderResponse> fallback;

  ScriptedProvider(String name) {
    this.name = name;
    this.fallback = () -> ok("fine", Usage.of(100, 20));
  }

  static ProviderResponse ok(String text, Usage usage) {
    return new ProviderResponse(text, null, usage, "stop", "req-ok");
  }

  static ProviderException failure(String provider, int status, boolean retryable, Duration retryAfter) {
    return new ProviderException(provider, status, "code_" + status, "req-" + status, retryable, retryAfter, null, null);
  }

  ScriptedProvider then(Supplier<ProviderResponse> step) {
    script.add(step);
    return this;
  }

  ScriptedProvider thenFail(int status, boolean retryable, Duration retryAfter) {
    return then(() -> {
      throw failure(name, status, retryable, retryAfter);
    });
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized ProviderResponse complete(ProviderRequest request) {
    requests.add(request);
    Supplier<ProviderResponse> step = script.isEmpty() ? fallback : script.poll();
    return step.get();
  }

  @Override
  public ProviderResponse stream(ProviderRequest request, Llm.TextListener listener) {
    ProviderResponse r = complete(request);
    for (String word : r.text().split("(?<= )")) {
      listener.onText(word);
    }
    return r;
  }
}
