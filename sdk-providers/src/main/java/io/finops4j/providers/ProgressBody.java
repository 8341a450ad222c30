package io.finops4j.providers;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;

/**
 * A large request body written in chunks, each one {@linkplain CallDeadlines.Timed#progressed() progress} of its
 * call: the read timeout of a call starts again after each chunk has gone to the socket, as OkHttp's write timeout
 * bounded each write, so a slow but moving upload of a large prompt (images, documents) is not cut.
 */
final class ProgressBody extends RequestBody {

  /** Bodies up to this size are written at once: on any working connection that takes no time. */
  static final int CHUNK = 64 * 1024;

  private final Request request;
  private final RequestBody body;
  /** The call's timing, set once the call exists (before it runs). */
  volatile CallDeadlines.Timed timed = CallDeadlines.NONE;

  private ProgressBody(Request request, RequestBody body) {
    this.request = request;
    this.body = body;
  }

  /** A chunked body for {@code request}'s, or null when that is small (or of unknown length). */
  static ProgressBody of(Request request) {
    RequestBody body = request.body();
    try {
      return body != null && body.contentLength() > CHUNK ? new ProgressBody(request, body) : null;
    } catch (IOException e) {
      return null; // OkHttp will ask again, and report it
    }
  }

  /** The request with this body in place of its own. */
  Request request() {
    return request.newBuilder().method(request.method(), this).build();
  }

  @Override
  public MediaType contentType() {
    return body.contentType();
  }

  @Override
  public long contentLength() throws IOException {
    return body.contentLength();
  }

  @Override
  public boolean isOneShot() {
    return body.isOneShot();
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    Buffer buffer = new Buffer();
    body.writeTo(buffer);
    while (!buffer.exhausted()) {
      sink.write(buffer, Math.min(CHUNK, buffer.size()));
      sink.flush();
      timed.progressed();
    }
  }
}
