package io.finops4j.reports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place that maps a ledger JSONL line to a {@link CallRecord} and back. Field names:
 * {@code ts, call_id, customer, feature, workflow, user, team, environment, tags, task_type, tier, provider, model,
 * input_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens,
 * estimated, cost_usd, saved_usd, cache_status, route_reason, attempts, latency_ms, outcome, error_type,
 * price_version}. Money is a JSON string (or number) read exactly; unknown fields are ignored so that newer
 * writers stay readable.
 */
public final class LedgerJson {

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

  private LedgerJson() {}

  /** Parses one line; fails with {@link IllegalArgumentException} naming the bad field. */
  public static CallRecord parse(String line) {
    try (JsonParser p = FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      Fields f = new Fields();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        try {
          f.read(name, t, p);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("field '" + name + "': " + e.getMessage(), e);
        }
      }
      return f.build();
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String s) {
    int nl = s == null ? -1 : s.indexOf('\n');
    return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
  }

  /** Writes one record as one line (no trailing newline). */
  public static String write(CallRecord r) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      Attribution a = r.attribution();
      Usage u = r.usage();
      g.writeStartObject();
      g.writeStringField("ts", r.timestamp().toString());
      g.writeStringField("call_id", r.callId());
      g.writeStringField("customer", a.customer());
      g.writeStringField("feature", a.feature());
      g.writeStringField("workflow", a.workflow());
      g.writeStringField("user", a.user());
      g.writeStringField("team", a.team());
      g.writeStringField("environment", a.environment());
      g.writeObjectFieldStart("tags");
      for (Map.Entry<String, String> e : new TreeMap<>(a.tags()).entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeStringField("task_type", r.taskType());
      g.writeStringField("tier", r.tier());
      g.writeStringField("provider", r.model() == null ? null : r.model().provider());
      g.writeStringField("model", r.model() == null ? null : r.model().model());
      g.writeNumberField("input_tokens", u.inputTokens());
      g.writeNumberField("cached_input_tokens", u.cachedInputTokens());
      g.writeNumberField("cache_write_tokens", u.cacheWriteTokens());
      g.writeNumberField("cache_write_1h_tokens", u.cacheWrite1hTokens());
      g.writeNumberField("output_tokens", u.outputTokens());
      g.writeNumberField("reasoning_tokens", u.reasoningTokens());
      g.writeBooleanField("estimated", u.estimated());
      g.writeStringField("cost_usd", r.costUsd().toPlainString());
      g.writeStringField("saved_usd", r.savedUsd().toPlainString());
      g.writeStringField("cache_status", r.cacheStatus());
      g.writeStringField("route_reason", r.routeReason());
      g.writeNumberField("attempts", r.attempts());
      g.writeNumberField("latency_ms", r.latencyNanos() / 1_000_000.0);
      g.writeStringField("outcome", r.outcome());
      g.writeStringField("error_type", r.errorType());
      g.writeStringField("price_version", r.priceVersion());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The fields of one line as they are read. */
  private static final class Fields {
    private final Attribution.Builder attribution = Attribution.builder();
    private final Usage.Builder usage = Usage.builder();
    private final CallRecord.Builder record = CallRecord.builder();
    private String provider;
    private String model;

    void read(String name, JsonToken t, JsonParser p) throws IOException {
      switch (name) {
        case "ts" -> record.timestamp(instant(text(t, p)));
        case "call_id" -> record.callId(text(t, p));
        case "customer" -> attribution.customer(text(t, p));
        case "feature" -> attribution.feature(text(t, p));
        case "workflow" -> attribution.workflow(text(t, p));
        case "user" -> attribution.user(text(t, p));
        case "team" -> attribution.team(text(t, p));
        case "environment" -> attribution.environment(text(t, p));
        case "tags" -> readTags(t, p);
        case "task_type" -> record.taskType(text(t, p));
        case "tier" -> record.tier(text(t, p));
        case "provider" -> provider = text(t, p);
        case "model" -> model = text(t, p);
        case "input_tokens" -> usage.inputTokens(count(t, p));
        case "cached_input_tokens" -> usage.cachedInputTokens(count(t, p));
        case "cache_write_tokens" -> usage.cacheWriteTokens(count(t, p));
        case "cache_write_1h_tokens" -> usage.cacheWrite1hTokens(count(t, p));
        case "output_tokens" -> usage.outputTokens(count(t, p));
        case "reasoning_tokens" -> usage.reasoningTokens(count(t, p));
        case "estimated" -> usage.estimated(t == JsonToken.VALUE_TRUE);
        case "cost_usd" -> record.costUsd(money(t, p));
        case "saved_usd" -> record.savedUsd(money(t, p));
        case "cache_status" -> record.cacheStatus(text(t, p));
        case "route_reason" -> record.routeReason(text(t, p));
        case "attempts" -> record.attempts((int) count(t, p));
        case "latency_ms" -> record.latencyNanos(t == JsonToken.VALUE_NULL ? 0 : Math.round(p.getDoubleValue() * 1e6));
        case "outcome" -> record.outcome(text(t, p));
        case "error_type" -> record.errorType(text(t, p));
        case "price_version" -> record.priceVersion(text(t, p));
        default -> p.skipChildren();
      }
    }

    private void readTags(JsonToken t, JsonParser p) throws IOException {
      if (t == JsonToken.VALUE_NULL) {
        return;
      }
      if (t != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("expected an object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        if (v != JsonToken.VALUE_NULL) {
          attribution.tag(key, p.getValueAsString());
        }
      }
    }

    /**
     * Parses the writer's own form, {@code 2026-11-24T10:00:00[.fraction]Z}, without the general ISO parser (a
     * third of the read time over a large ledger); anything else goes through {@link Instant#parse}.
     */
    static Instant instant(String s) {
      if (s == null) {
        return null;
      }
      int n = s.length();
      int fraction = n - 21; // digits between '.' and 'Z'
      boolean shape = n >= 20 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T'
          && s.charAt(13) == ':' && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z'
          && (n == 20 || s.charAt(19) == '.' && fraction >= 1 && fraction <= 9);
      if (shape) {
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nanos = n == 20 ? 0 : digits(s, 20, n - 1);
        for (int i = Math.max(fraction, 0); i < 9 && nanos > 0; i++) {
          nanos *= 10;
        }
        if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && hour >= 0 && hour < 24 && minute >= 0
            && minute < 60 && second >= 0 && second < 60 && nanos >= 0
            && day <= java.time.YearMonth.of(year, month).lengthOfMonth()) {
          long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
          return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nanos);
        }
      }
      return Instant.parse(s);
    }

    /** The decimal number in {@code s[from, to)}, or -1 when a character is not a digit. */
    private static int digits(String s, int from, int to) {
      int v = 0;
      for (int i = from; i < to; i++) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        v = v * 10 + (c - '0');
      }
      return v;
    }

    private static String text(JsonToken t, JsonParser p) throws IOException {
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (!t.isScalarValue()) {
        throw new IllegalArgumentException("expected a string");
      }
      return p.getValueAsString();
    }

    private static long count(JsonToken t, JsonParser p) throws IOException {
      if (t == JsonToken.VALUE_NULL) {
        return 0;
      }
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw new IllegalArgumentException("expected a whole number, got " + t);
      }
      return p.getLongValue();
    }

    private static BigDecimal money(JsonToken t, JsonParser p) throws IOException {
      if (t == JsonToken.VALUE_NULL) {
        return BigDecimal.ZERO;
      }
      if (t == JsonToken.VALUE_STRING) {
        return new BigDecimal(p.getText());
      }
      if (t.isNumeric()) {
        return p.getDecimalValue();
      }
      throw new IllegalArgumentException("expected a decimal string such as \"0.000123\"");
    }

    CallRecord build() {
      if (model != null) {
        record.model(provider == null ? ModelId.parse(model) : new ModelId(provider, model));
      }
      try {
        return record.attribution(attribution.build()).usage(usage.build()).build();
      } catch (NullPointerException e) {
        // CallRecord names the missing required field (timestamp, callId, outcome) in its message.
        throw new IllegalArgumentException("missing required field: " + e.getMessage(), e);
      }
    }
  }
}
