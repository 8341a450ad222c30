package io.finops4j.spring;

import io.finops4j.api.Llm;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A provider that answers "ok" with 100 input and 20 output tokens, and remembers what it was asked. */
final class FakeProvider implements ProviderClient {

  final String name;
  final List<ProviderRequest> requests = new CopyOnWriteArrayList<>();

  FakeProvider(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProviderResponse complete(ProviderRequest request) {
    requests.add(request);
    return new ProviderResponse("ok", request.model(), Usage.of(100, 20), "stop", "req-1");
  }

  @Override
  public ProviderResponse stream(ProviderRequest request, Llm.TextListener listener) {
    ProviderResponse r = complete(request);
    listener.onText(r.text());
    return r;
  }
}
