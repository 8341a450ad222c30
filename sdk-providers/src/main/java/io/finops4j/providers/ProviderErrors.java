package io.finops4j.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.ProviderException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Turns HTTP failures into {@link ProviderException}s the way the official OpenAI and Anthropic SDKs classify
 * them: I/O errors, timeouts, 408, 409, 429 and 5xx are retryable, everything else is not.
 */
final class ProviderErrors {

  /** Provider error messages may echo the input: keep only a short head of them. */
  static final int DETAIL_MAX = 200;

  static final String TIMEOUT = "timeout";
  static final String IO_ERROR = "io_error";
  static final String STREAM_TRUNCATED = "stream_truncated";
  static final String MALFORMED = "malformed_response";
  static final String INTERRUPTED = "interrupted";
  static final String REDIRECT = "redirect";

  /** Key-like tokens (OpenAI sk-..., Groq gsk_..., xAI xai-...) that a 401 message may echo, even masked. */
  private static final Pattern KEY_LIKE = Pattern.compile("(?i)\\b(sk|gsk|xai)[-_][A-Za-z0-9_\\-*.]{4,}");

  private ProviderErrors() {}

  static boolean retryableStatus(int status) {
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  /**
   * A non-2xx response; {@code body} is its text (possibly empty or not JSON), its request id travels in
   * {@code requestIdHeader} (OpenAI and Gemini: {@code x-request-id}, Anthropic: {@code request-id}).
   * The error code is the first textual one of {@code error.code}, {@code error.type} (Anthropic) and
   * {@code error.status} (Gemini's {@code RESOURCE_EXHAUSTED}; its numeric {@code code} repeats the HTTP status).
   */
  static ProviderException fromHttp(String provider, int status, Headers headers, String requestIdHeader,
      String body, ObjectMapper json, Clock clock, ApiKey key, boolean keepDetail) {
    String code = null;
    String detail = null;
    Duration delay = retryAfter(headers, clock);
    try {
      JsonNode root = body == null || body.isBlank() ? null : json.readTree(body);
      if (root != null && root.isObject()) {
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
          code = firstText(text(textual(error.get("code"))), firstText(error.get("type"), error.get("status")));
          detail = text(error.get("message"));
          if (delay == null) {
            delay = retryDelay(error.get("details"));
          }
        } else if (error != null && error.isTextual()) {
          detail = error.asText();
        } else {
          // vLLM and some gateways put the fields at the top level
          code = firstText(root.get("code"), root.get("type"));
          detail = firstText(root.get("message"), root.get("detail"));
        }
      }
    } catch (IOException e) {
      return new ProviderException(provider, status, code, headers.get(requestIdHeader), retryableStatus(status),
          delay, "error body is not JSON", null);
    }
    return withDetail(new Fields(provider, status, code, headers.get(requestIdHeader), retryableStatus(status),
        delay), shorten(detail, key), keepDetail);
  }

  /** Says the provider's text was withheld. */
  static final String WITHHELD = "provider message withheld, it may quote the prompt (error-detail: true keeps it)";

  private record Fields(String provider, int status, String code, String requestId, boolean retryable,
      Duration delay) {}

  /** The provider's own text goes on the exception only when {@code keep}; else a note says it was withheld. */
  private static ProviderException withDetail(Fields f, String providerText, boolean keep) {
    if (keep || providerText == null) {
      return new ProviderException(f.provider, f.status, f.code, f.requestId, f.retryable, f.delay, null,
          providerText, null);
    }
    return new ProviderException(f.provider, f.status, f.code, f.requestId, f.retryable, f.delay, WITHHELD, null);
  }

  /** Google's {@code google.rpc.RetryInfo} detail ({@code "retryDelay": "17s"}), sent with Gemini's 429s. */
  private static Duration retryDelay(JsonNode details) {
    if (details == null || !details.isArray()) {
      return null;
    }
    for (JsonNode d : details) {
      String s = text(d.get("retryDelay"));
      if (s != null && s.endsWith("s")) {
        try {
          double seconds = Double.parseDouble(s.substring(0, s.length() - 1));
          if (seconds >= 0 && Double.isFinite(seconds)) {
            return Duration.ofNanos((long) (seconds * 1e9));
          }
        } catch (NumberFormatException ignored) {
          // not a duration: no hint
        }
      }
    }
    return null;
  }

  /** An error event inside a 200 stream ({@code data: {"error": {...}}}). */
  static ProviderException fromStreamError(String provider, int status, JsonNode error, String requestId, ApiKey key,
      boolean keepDetail) {
    String code = error.isObject()
        ? firstText(text(textual(error.get("code"))), firstText(error.get("type"), error.get("status"))) : null;
    String message = error.isObject() ? text(error.get("message")) : error.asText();
    String c = code == null ? "" : code;
    // Anthropic: overloaded_error, rate_limit_error, api_error (its 500); Gemini: UNAVAILABLE, RESOURCE_EXHAUSTED
    boolean retryable = c.contains("server") || c.contains("rate") || c.contains("overload") || c.contains("timeout")
        || c.equals("api_error") || c.equals("UNAVAILABLE") || c.equals("RESOURCE_EXHAUSTED") || c.equals("INTERNAL");
    return withDetail(new Fields(provider, status, code == null ? "stream_error" : code, requestId, retryable, null),
        shorten(message, key), keepDetail);
  }

  /**
   * An I/O failure. Timeouts are status 0 with code {@code timeout}; other failures after the response started
   * (a stream cut mid-way) keep the HTTP status and are {@code stream_truncated}.
   */
  static ProviderException fromIo(String provider, IOException e, int status, String requestId, ApiKey key) {
    if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
      return new ProviderException(provider, 0, INTERRUPTED, requestId, false, null, "thread interrupted", e);
    }
    if (e instanceof InterruptedIOException) {
      return new ProviderException(provider, 0, TIMEOUT, requestId, true, null, shorten(describe(e), key), e);
    }
    String code = status > 0 ? STREAM_TRUNCATED : IO_ERROR;
    return new ProviderException(provider, status, code, requestId, true, null, shorten(describe(e), key), e);
  }

  /**
   * A 3xx answer, which is never followed (the key and the prompt would go with it). The message names the host
   * the redirect pointed to, never its path or query, so a base-url can be corrected.
   */
  static ProviderException redirect(String provider, int status, HttpUrl from, String location, String requestId) {
    HttpUrl to = location == null ? null : from.resolve(location);
    String target = to == null ? "no valid Location" : to.scheme() + "://" + to.host() + ":" + to.port();
    return new ProviderException(provider, status, REDIRECT, requestId, false, null,
        "the provider answered with a redirect to " + target + ", which is not followed (keys and prompts are"
            + " sent only to the configured base-url; point base-url at the final address)", null);
  }

  static ProviderException truncated(String provider, int status, String requestId, String what) {
    return new ProviderException(provider, status, STREAM_TRUNCATED, requestId, true, null, what, null);
  }

  static ProviderException malformed(String provider, int status, String requestId, String what, Throwable cause) {
    return new ProviderException(provider, status, MALFORMED, requestId, false, null, what, cause);
  }

  /** {@code retry-after-ms} (OpenAI), else {@code Retry-After} in seconds or as an HTTP date; else null. */
  static Duration retryAfter(Headers headers, Clock clock) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        double v = Double.parseDouble(ms.trim());
        if (v >= 0 && Double.isFinite(v)) {
          return Duration.ofNanos((long) (v * 1_000_000));
        }
      } catch (NumberFormatException ignored) {
        // fall back to Retry-After
      }
    }
    String ra = headers.get("retry-after");
    if (ra == null || ra.isBlank()) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(ra.trim());
      return seconds >= 0 && Double.isFinite(seconds) ? Duration.ofNanos((long) (seconds * 1e9)) : null;
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(ra.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }

  /** Truncates and scrubs anything key-like from provider text before it goes into a message. */
  static String shorten(String detail, ApiKey key) {
    if (detail == null || detail.isBlank()) {
      return null;
    }
    String s = detail;
    if (key != null) {
      s = s.replace(key.reveal(), "***");
    }
    s = KEY_LIKE.matcher(s).replaceAll("$1-***");
    s = s.replace('\n', ' ').replace('\r', ' ');
    return s.length() <= DETAIL_MAX ? s : s.substring(0, DETAIL_MAX) + "...";
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static String firstText(JsonNode a, JsonNode b) {
    String s = text(a);
    return s != null && !s.isEmpty() ? s : text(b);
  }

  private static String firstText(String a, String b) {
    return a != null && !a.isEmpty() ? a : b;
  }

  private static JsonNode textual(JsonNode n) {
    return n != null && n.isTextual() ? n : null;
  }
}
