package io.finops4j.providers;

import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** Builds the one {@link OkHttpClient} a {@link Providers} instance shares among its clients. */
final class HttpClients {

  /** OkHttp's defaults (64 requests, 5 per host) would queue async calls to a single provider. */
  static final int MAX_REQUESTS = 256;
  static final int MAX_REQUESTS_PER_HOST = 64;

  private HttpClients() {}

  static OkHttpClient newShared() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(MAX_REQUESTS);
    dispatcher.setMaxRequestsPerHost(MAX_REQUESTS_PER_HOST);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        // keep as many idle connections as may run per host, so a burst does not reconnect each time
        .connectionPool(new ConnectionPool(MAX_REQUESTS_PER_HOST, 5, TimeUnit.MINUTES))
        .build();
  }

  /** Stops the dispatcher's threads and closes pooled connections; calls in flight fail. */
  static void shutdown(OkHttpClient client) {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
