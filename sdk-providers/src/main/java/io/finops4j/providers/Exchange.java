package io.finops4j.providers;

import io.finops4j.api.Llm;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One HTTP exchange of a provider client. When a stream's listener throws (the caller cancelled, e.g. with
 * {@link io.finops4j.api.StreamCancelledException}, or failed), the call is cancelled: that closes the socket at
 * once, where merely closing an unfinished body would first try to drain it.
 */
final class Exchange implements AutoCloseable {

  private final Call call;
  final Response response;

  private Exchange(Call call, Response response) {
    this.call = call;
    this.response = response;
  }

  /** Executes {@code request}; an I/O failure before any response becomes a {@link io.finops4j.api.ProviderException}. */
  static Exchange open(OkHttpClient http, Request request, String provider, ApiKey key, java.time.Duration timeout) {
    Call call = http.newCall(request);
    if (timeout != null) {
      // what is left of the call's deadline, when it is sooner than the client's call timeout
      long nanos = Math.max(1, timeout.toNanos());
      if (http.callTimeoutMillis() == 0 || nanos < http.callTimeoutMillis() * 1_000_000L) {
        call.timeout().timeout(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
      }
    }
    try {
      return new Exchange(call, call.execute());
    } catch (IOException e) {
      throw ProviderErrors.fromIo(provider, e, 0, null, key);
    }
  }

  /** Hands {@code delta} to {@code listener}; if the listener throws, the connection is cut and the throw goes on. */
  void deliver(Llm.TextListener listener, String delta) {
    try {
      listener.onText(delta);
    } catch (RuntimeException | Error e) {
      call.cancel();
      throw e;
    }
  }

  @Override
  public void close() {
    response.close();
  }
}
