package io.finops4j.providers;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * The settings every HTTP provider client's builder has: name, key, timeouts, HTTP client and clock. The public
 * builders extend it with themselves as {@code B}, so each setter still returns that builder.
 */
abstract class ClientBuilder<B extends ClientBuilder<B>> {

  String name;
  ApiKey apiKey;
  Duration connectTimeout = OpenAiClient.DEFAULT_CONNECT_TIMEOUT;
  Duration readTimeout = OpenAiClient.DEFAULT_READ_TIMEOUT;
  Duration callTimeout = OpenAiClient.DEFAULT_CALL_TIMEOUT;
  OkHttpClient httpClient;
  Clock clock = Clock.systemUTC();
  boolean errorDetail;
  EndUser endUser = EndUser.HASHED;

  ClientBuilder(String name) {
    this.name = name;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** The provider name in model ids and errors; the default is the provider's own, e.g. {@code openai}. */
  public B name(String v) { name = Objects.requireNonNull(v, "name"); return self(); }
  public B apiKey(ApiKey v) { apiKey = v; return self(); }
  public B apiKey(String v) { apiKey = v == null ? null : ApiKey.of(v); return self(); }
  public B connectTimeout(Duration v) { connectTimeout = Objects.requireNonNull(v); return self(); }
  /**
   * The longest a call may go without progress, {@link Duration#ZERO} for no limit (default 60 s): until its
   * response headers arrive (from its start, or from the last chunk of a large request body written), then until
   * its body has arrived, or between two lines of a stream. A call past it is cut and fails with a retryable
   * {@code timeout}. Batch file transfers use it as OkHttp's read and write timeouts.
   */
  public B readTimeout(Duration v) {
    if (v.isNegative()) {
      throw new IllegalArgumentException("readTimeout must not be negative: " + v);
    }
    readTimeout = v;
    return self();
  }
  /**
   * How long a call may take from its start until its body or stream is read, {@link Duration#ZERO} for no limit;
   * a call past it is cut and fails with a retryable {@code timeout}.
   */
  public B callTimeout(Duration v) {
    if (v.isNegative()) {
      throw new IllegalArgumentException("callTimeout must not be negative: " + v);
    }
    callTimeout = v;
    return self();
  }
  /** A client to share (its pool and dispatcher are reused); without one the client creates and owns its own. */
  public B httpClient(OkHttpClient v) { httpClient = v; return self(); }
  /** The clock that turns a {@code Retry-After} date into a delay. */
  public B clock(Clock v) { clock = Objects.requireNonNull(v); return self(); }

  /**
   * Keep the provider's own error text in {@link io.finops4j.api.ProviderException} messages (default false: it
   * may quote the prompt, so only the status, error code and request id are kept).
   */
  public B errorDetail(boolean v) { errorDetail = v; return self(); }

  /** What the provider is told about the end user; default {@link EndUser#HASHED}. */
  public B endUser(EndUser v) { endUser = Objects.requireNonNull(v, "endUser"); return self(); }

  /** Copies the key, timeouts, HTTP client and clock (not the name) of {@code other}. */
  B httpSettings(ClientBuilder<?> other) {
    apiKey = other.apiKey;
    connectTimeout = other.connectTimeout;
    readTimeout = other.readTimeout;
    callTimeout = other.callTimeout;
    httpClient = other.httpClient;
    clock = other.clock;
    errorDetail = other.errorDetail;
    endUser = other.endUser;
    return self();
  }
}
