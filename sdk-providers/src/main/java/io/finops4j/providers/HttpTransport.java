package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.Llm;
import io.finops4j.api.ProviderException;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.io.IOException;
import java.time.Clock;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The HTTP side every provider client shares: its name and key, the OkHttp variant it calls with (derived from a
 * shared client, or from one it creates and owns), one exchange per call, and how a failed, cut or unreadable
 * answer becomes a {@link ProviderException}. The request bodies and answers are the provider's.
 */
final class HttpTransport {

  /** Error bodies are small; cap what is read in case a proxy answers with a large page. */
  private static final long ERROR_BODY_MAX = 64 * 1024;

  /** Turns a provider's JSON answer into a {@code T}. */
  interface Parser<T> {
    /** @throws OpenAiWire.MalformedException when the answer lacks what the API documents */
    T parse(JsonNode root, String requestId);
  }

  /** A {@link Parser} that reads a body field by field as it streams by, instead of from a tree of it. */
  interface StreamingParser<T> extends Parser<T> {
    /**
     * Reads the answer from its whole {@code body}.
     *
     * @throws OpenAiWire.MalformedException when the answer lacks what the API documents
     * @throws JsonProcessingException when the body is not JSON
     */
    T parse(byte[] body, String requestId) throws IOException;
  }

  final String name;
  final ApiKey apiKey;
  /** Calls through {@link #open}: no socket timeouts of OkHttp's ({@link CallDeadlines} enforces them). */
  final OkHttpClient http;
  /** Calls through {@link #execute} (batch files): OkHttp's socket timeouts and its per-call timeout. */
  private final OkHttpClient batchHttp;
  /** How long a call may take from its start until its body is read; 0: as long as it takes. */
  final long callTimeoutNanos;
  /** How long a call may go without progress (its headers, a line of a stream); 0: as long as it takes. */
  final long readTimeoutNanos;
  private final boolean ownsHttp;
  private final Clock clock;
  /** Whether the provider's error text (which may quote the prompt) goes into exceptions. */
  private final boolean errorDetail;
  private final EndUser endUser;
  /** The response header an HTTP error's request id travels in. */
  private final String errorIdHeader;

  HttpTransport(ClientBuilder<?> b, String errorIdHeader) {
    this.name = b.name;
    this.apiKey = b.apiKey;
    this.ownsHttp = b.httpClient == null;
    OkHttpClient base = ownsHttp ? HttpClients.newShared() : b.httpClient;
    // a variant shares the base client's connection pool and dispatcher. Redirects are never followed: OkHttp
    // would re-send the body and every header but Authorization (x-api-key, api-key, x-goog-api-key) to wherever
    // the Location points, and no provider API answers a call with a redirect.
    // Calls have neither OkHttp's call timeout nor its socket timeouts: CallDeadlines enforces both the call
    // timeout and the read timeout (it says why). Batch files, read by the caller after the call returned, keep
    // OkHttp's (one duration for reads and writes: okio's watchdog wakes for each timeout at the head of its queue).
    this.http = base.newBuilder().connectTimeout(b.connectTimeout).callTimeout(java.time.Duration.ZERO)
        .readTimeout(java.time.Duration.ZERO).writeTimeout(java.time.Duration.ZERO).followRedirects(false)
        .followSslRedirects(false).build();
    this.batchHttp = http.newBuilder().readTimeout(b.readTimeout).writeTimeout(b.readTimeout).build();
    this.readTimeoutNanos = b.readTimeout.toNanos();
    this.callTimeoutNanos = b.callTimeout.toNanos();
    this.clock = b.clock;
    this.errorDetail = b.errorDetail;
    this.endUser = b.endUser;
    this.errorIdHeader = errorIdHeader;
  }

  /**
   * End-user ids as sent, by id: the same customers call again and again, and hashing one costs a digest lookup
   * and a SHA-256 per call. Cleared when it grows past {@link #WIRE_USERS_MAX} (a simple bound, not an LRU).
   */
  private final java.util.concurrent.ConcurrentHashMap<String, String> wireUsers =
      new java.util.concurrent.ConcurrentHashMap<>();
  static final int WIRE_USERS_MAX = 10_000;

  /** {@code r} with its end-user id as this client sends it ({@link EndUser}). */
  ProviderRequest forWire(ProviderRequest r) {
    String user = wireUser(r.user());
    return java.util.Objects.equals(user, r.user()) ? r : r.withUser(user);
  }

  private String wireUser(String id) {
    if (id == null || endUser != EndUser.HASHED) {
      return endUser.apply(id);
    }
    String wire = wireUsers.get(id);
    if (wire == null) {
      if (wireUsers.size() >= WIRE_USERS_MAX) {
        wireUsers.clear();
      }
      wire = endUser.apply(id);
      wireUsers.put(id, wire);
    }
    return wire;
  }

  /** Executes {@code request}; an I/O failure before any response becomes a {@link ProviderException}. */
  Exchange open(Request request) {
    return Exchange.open(http, request, name, apiKey, timeoutNanos(request), readTimeoutNanos);
  }

  /** Executes {@code request} for a caller that reads the body and closes the response itself. */
  Response execute(Request request) {
    return Exchange.execute(batchHttp, request, name, apiKey, timeoutNanos(request));
  }

  /** The call timeout, or what is left of the call's deadline when that is sooner; 0: none. */
  private long timeoutNanos(Request request) {
    TimeLeft left = request.tag(TimeLeft.class);
    if (left == null) {
      return callTimeoutNanos;
    }
    long nanos = Math.max(1, left.value().toNanos());
    return callTimeoutNanos == 0 ? nanos : Math.min(nanos, callTimeoutNanos);
  }

  /** What is left of the call's deadline, carried on the OkHttp request. */
  record TimeLeft(java.time.Duration value) {}

  /**
   * {@code http} built carrying {@code request}'s timeout, which then bounds the whole exchange, body included
   * (each request is built once with it: adding it to a built request copied the request and its headers).
   */
  static Request timed(Request.Builder http, ProviderRequest request) {
    if (request.timeout() != null) {
      http.tag(TimeLeft.class, new TimeLeft(request.timeout()));
    }
    return http.build();
  }

  /**
   * One call answered by a JSON body, which {@code parser} reads; the request id is in {@code idHeader} (null:
   * none). Non-2xx answers, cut or non-JSON bodies and malformed answers fail with a {@link ProviderException}.
   */
  <T> T call(Request request, String idHeader, Parser<T> parser) {
    Exchange exchange = open(request);
    Response response = exchange.response;
    String requestId = idHeader == null ? null : response.header(idHeader);
    try (exchange) {
      if (!response.isSuccessful()) {
        throw errorOf(response);
      }
      return parse(response.body(), response.code(), requestId, parser);
    } catch (IOException e) {
      // the body broke off after the headers: the status says nothing about the failure
      throw ProviderErrors.fromIo(name, exchange.timedOut(e), 0, requestId, apiKey);
    }
  }

  /**
   * One streamed call: each server-sent event goes to {@code events}, each text delta to {@code listener}. With
   * {@code whole} non-null, a server that ignores {@code stream: true} and answers in one JSON piece is read by it.
   */
  ProviderResponse stream(Request request, String idHeader, EventStream events, Parser<ProviderResponse> whole,
      Llm.TextListener listener) {
    Exchange exchange = open(request);
    Response response = exchange.response;
    String headerId = idHeader == null ? null : response.header(idHeader);
    int status = response.code();
    try (exchange) {
      if (!response.isSuccessful()) {
        throw errorOf(response);
      }
      ResponseBody body = response.body();
      MediaType type = whole == null ? null : body.contentType();
      if (type != null && "json".equals(type.subtype())) {
        ProviderResponse answer = parse(body, status, headerId, whole);
        if (!answer.text().isEmpty()) {
          exchange.deliver(listener, answer.text());
        }
        return answer;
      }
      SseReader reader = new SseReader(body.source(), exchange::progressed);
      String data;
      while ((data = reader.next()) != null) {
        String delta = apply(events, data, status, headerId);
        if (events.error != null) {
          throw ProviderErrors.fromStreamError(name, status, events.error, events.requestId(headerId), apiKey,
              errorDetail);
        }
        if (delta != null) {
          exchange.deliver(listener, delta);
        }
        if (events.ended) {
          return answer(events, status, headerId);
        }
      }
      String truncation = events.truncation();
      if (truncation != null) {
        throw reported(ProviderErrors.truncated(name, status, events.requestId(headerId), truncation), events);
      }
      return answer(events, status, headerId);
    } catch (IOException e) {
      throw reported(ProviderErrors.fromIo(name, exchange.timedOut(e), status, events.requestId(headerId), apiKey),
          events);
    }
  }

  /** The streamed answer; usage the API does not allow makes it malformed. */
  private ProviderResponse answer(EventStream events, int status, String headerId) throws IOException {
    try {
      return events.response(headerId);
    } catch (OpenAiWire.MalformedException e) {
      throw ProviderErrors.malformed(name, status, events.requestId(headerId), e.getMessage(), null);
    }
  }

  /** {@code e} carrying the usage the stream reported as final before it broke, if it did (and it is valid). */
  private static ProviderException reported(ProviderException e, EventStream events) {
    io.finops4j.api.Usage usage;
    try {
      usage = events.finalUsage();
    } catch (OpenAiWire.MalformedException bad) {
      return e; // not a usage to charge: the engine estimates instead
    }
    return usage == null ? e : e.withPartial(usage, null);
  }

  private String apply(EventStream events, String data, int status, String headerId) throws IOException {
    try {
      return events.apply(data);
    } catch (JsonProcessingException e) {
      throw ProviderErrors.malformed(name, status, events.requestId(headerId), events.notJson(), null);
    } catch (OpenAiWire.MalformedException e) {
      throw ProviderErrors.malformed(name, status, events.requestId(headerId), e.getMessage(), null);
    }
  }

  private <T> T parse(ResponseBody body, int status, String requestId, Parser<T> parser) throws IOException {
    if (parser instanceof StreamingParser<T> streaming) {
      // the whole body first (an answer is small): the parser then reads from memory, and a parser that needs
      // a second look at it (StreamedUsage.Repeated) can have one
      byte[] bytes = body.bytes();
      try {
        return streaming.parse(bytes, requestId);
      } catch (JsonProcessingException e) {
        throw ProviderErrors.malformed(name, status, requestId, "response body is not JSON", null);
      } catch (OpenAiWire.MalformedException e) {
        throw ProviderErrors.malformed(name, status, requestId, e.getMessage(), null);
      }
    }
    JsonNode root;
    try {
      root = OpenAiClient.JSON.readTree(body.byteStream());
    } catch (JsonProcessingException e) {
      // no cause: Jackson's message quotes the body, which may echo the prompt
      throw ProviderErrors.malformed(name, status, requestId, "response body is not JSON", null);
    }
    try {
      return parser.parse(root, requestId);
    } catch (OpenAiWire.MalformedException e) {
      throw ProviderErrors.malformed(name, status, requestId, e.getMessage(), null);
    }
  }

  /** Maps a non-2xx response to a {@link ProviderException}. */
  ProviderException errorOf(Response response) {
    if (response.isRedirect()) {
      return ProviderErrors.redirect(name, response.code(), response.request().url(), response.header("Location"),
          response.header(errorIdHeader));
    }
    String body;
    try {
      body = response.peekBody(ERROR_BODY_MAX).string();
    } catch (IOException e) {
      body = null; // the status and headers still say what happened
    }
    return ProviderErrors.fromHttp(name, response.code(), response.headers(), errorIdHeader, body, OpenAiClient.JSON,
        clock, apiKey, errorDetail);
  }

  /** Shuts down the HTTP client when it was created here; a shared one is closed by its owner. */
  void close() {
    if (ownsHttp) {
      HttpClients.shutdown(http);
    }
  }
}
