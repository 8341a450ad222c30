package io.finops4j.providers;

import io.finops4j.api.Llm;
import java.io.IOException;
import java.io.InterruptedIOException;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One HTTP exchange of a provider client, timed from its start until it is closed by {@link CallDeadlines} (its call
 * timeout, and its read timeout from its start, its headers and each {@link #progressed() progress}). When a
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
   * Executes {@code request} on {@code http} (a client without socket timeouts: these are the read timeout here),
   * cancelled if it has not ended (body included) {@code timeoutNanos} from now or goes {@code readTimeoutNanos}
   * without progress (0: no such limit); an I/O failure before any response becomes a
   * {@link io.finops4j.api.ProviderException}.
   */
  static Exchange open(OkHttpClient http, Request request, String provider, ApiKey key, long timeoutNanos,
      long readTimeoutNanos) {
    ProgressBody upload = ProgressBody.of(request);
    Call call = http.newCall(upload == null ? request : upload.request());
    CallDeadlines.Timed deadline = CallDeadlines.SHARED.start(call, timeoutNanos, readTimeoutNanos);
    if (upload != null) {
      upload.timed = deadline;
    }
    try {
      Response response = call.execute();
      deadline.progressed();
      return new Exchange(call, deadline, response);
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
    CallDeadlines.Cut cut = deadline.cut();
    if (cut == CallDeadlines.Cut.NO || e instanceof InterruptedIOException) {
      return e;
    }
    // as okio reports a socket's read timeout, and OkHttp its call timeout
    InterruptedIOException timeout = cut == CallDeadlines.Cut.READ_TIMEOUT
        ? new java.net.SocketTimeoutException("timeout") : new InterruptedIOException("timeout");
    timeout.initCause(e);
    return timeout;
  }

  /** The exchange made progress (a line of a stream arrived): its read timeout starts again. */
  void progressed() {
    deadline.progressed();
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
