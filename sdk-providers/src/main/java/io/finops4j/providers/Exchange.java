package io.finops4j.providers;

import io.finops4j.api.Llm;
import java.io.IOException;
import java.io.InterruptedIOException;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One HTTP exchange of a provider client, timed from its start until it is closed by {@link CallDeadlines}. When a
 * stream's listener throws (the caller cancelled, e.g. with {@link io.finops4j.api.StreamCancelledException}, or
 * failed), the call is cancelled: that closes the socket at once, where merely closing an unfinished body would first
 * try to drain it.
 */
final class Exchange implements AutoCloseable {

  private final Call call;
  private final CallDeadlines.Timed deadline;
  final Response response;

  private Exchange(Call call, CallDeadlines.Timed deadline, Response response) {
    this.call = call;
    this.deadline = deadline;
    this.response = response;
  }

  /**
   * Executes {@code request}, cancelled if it has not ended (body included) {@code timeoutNanos} from now; an I/O
   * failure before any response becomes a {@link io.finops4j.api.ProviderException}.
   */
  static Exchange open(OkHttpClient http, Request request, String provider, ApiKey key, long timeoutNanos) {
    Call call = http.newCall(request);
    CallDeadlines.Timed deadline =
        timeoutNanos == 0 ? CallDeadlines.NONE : CallDeadlines.SHARED.start(call, timeoutNanos);
    try {
      return new Exchange(call, deadline, call.execute());
    } catch (IOException e) {
      deadline.close();
      throw ProviderErrors.fromIo(provider, timedOut(deadline, e), 0, null, key);
    } catch (RuntimeException | Error e) {
      deadline.close();
      throw e;
    }
  }

  /**
   * Executes {@code request} for a caller that reads and closes the body itself, after this returns; its deadline
   * is OkHttp's per-call timeout, which ends when the body is closed (batch files: rare, and not on the hot path).
   */
  static Response execute(OkHttpClient http, Request request, String provider, ApiKey key, long timeoutNanos) {
    Call call = http.newCall(request);
    call.timeout().timeout(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    try {
      return call.execute();
    } catch (IOException e) {
      throw ProviderErrors.fromIo(provider, e, 0, null, key);
    }
  }

  /**
   * {@code e} as OkHttp's own call timeout reports it (an {@link InterruptedIOException} "timeout") when the deadline
   * cancelled the call; a cancelled call otherwise fails with whatever its socket's closing caused.
   */
  IOException timedOut(IOException e) {
    return timedOut(deadline, e);
  }

  private static IOException timedOut(CallDeadlines.Timed deadline, IOException e) {
    if (!deadline.expired() || e instanceof InterruptedIOException) {
      return e;
    }
    InterruptedIOException timeout = new InterruptedIOException("timeout");
    timeout.initCause(e);
    return timeout;
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
    try {
      response.close();
    } finally {
      deadline.close();
    }
  }
}
