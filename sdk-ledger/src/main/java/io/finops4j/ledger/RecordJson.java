package io.finops4j.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON shape of a ledger row, shared by the JSONL sink, the spill file and the reader. Field names are
 * the SQL column names; absent (null) fields are omitted; money is a JSON number in plain notation
 * ({@code 0.000123456}), read back as an exact {@code BigDecimal}.
 */
final class RecordJson {

  /**
   * No separator between root values: a line generator ends each row with a newline itself. (A pretty printer
   * that writes none would do the same, but sends every field through Jackson's slower pretty-printing path.)
   */
  static final JsonFactory FACTORY = new JsonFactoryBuilder().rootValueSeparator((String) null).build();

  /**
   * By number of keys, the order the last such map's keys were written in, for the next map with the same keys in
   * the same iteration order: rows repeat the same usage fields and tags (different sizes, so they do not evict
   * each other), and an immutable map iterates the same keys in the same order within one JVM, so a row's sort
   * becomes one {@code equals} per key. Each element is immutable and replaced whole; a racy read sees an older
   * order or none, which the check then rejects or confirms.
   */
  private static final KeyOrder[] ORDERS = new KeyOrder[33];

  /** Keys as a map iterated them, and the index in that iteration of each key in sorted order. */
  private record KeyOrder(String[] iterated, int[] sorted) {}

  private RecordJson() {}

  /** A generator that writes one object per line when the caller ends each with {@link #endLine}. */
  static JsonGenerator lineGenerator(java.io.OutputStream out) throws IOException {
    return FACTORY.createGenerator(out);
  }

  static void endLine(JsonGenerator g) throws IOException {
    g.writeRaw('\n');
  }

  static void write(JsonGenerator g, CallRecord r) throws IOException {
    g.writeStartObject();
    char[] ts = new char[30];
    int tsLength = Timestamps.iso(r.timestamp(), ts);
    g.writeFieldName("ts");
    if (tsLength < 0) {
      g.writeString(r.timestamp().toString());
    } else {
      g.writeString(ts, 0, tsLength); // no String per row
    }
    g.writeStringField("call_id", r.callId());
    Attribution a = r.attribution();
    text(g, "customer", a.customer());
    text(g, "feature", a.feature());
    text(g, "workflow", a.workflow());
    text(g, "user", a.user());
    text(g, "team", a.team());
    text(g, "environment", a.environment());
    if (!a.tags().isEmpty()) {
      g.writeFieldName("tags");
      writeMap(g, a.tags());
    }
    text(g, "task_type", r.taskType());
    text(g, "tier", r.tier());
    if (r.model() != null) {
      g.writeStringField("model", r.model().qualified());
    }
    Usage u = r.usage();
    g.writeNumberField("input_tokens", u.inputTokens());
    g.writeNumberField("cached_input_tokens", u.cachedInputTokens());
    g.writeNumberField("cache_write_tokens", u.cacheWriteTokens());
    g.writeNumberField("cache_write_1h_tokens", u.cacheWrite1hTokens());
    g.writeNumberField("output_tokens", u.outputTokens());
    g.writeNumberField("reasoning_tokens", u.reasoningTokens());
    if (!u.raw().isEmpty()) {
      g.writeFieldName("usage_raw");
      writeMap(g, u.raw());
    }
    g.writeBooleanField("estimated", u.estimated());
    g.writeFieldName("cost_usd");
    g.writeNumber(r.costUsd().toPlainString());
    g.writeFieldName("saved_usd");
    g.writeNumber(r.savedUsd().toPlainString());
    g.writeStringField("cache_status", r.cacheStatus());
    text(g, "route_reason", r.routeReason());
    g.writeNumberField("attempts", r.attempts());
    g.writeNumberField("latency_ns", r.latencyNanos());
    g.writeStringField("outcome", r.outcome());
    text(g, "error_type", r.errorType());
    text(g, "price_version", r.priceVersion());
    g.writeEndObject();
  }

  /**
   * Reads the object the parser is positioned at (its START_OBJECT is the current or the next token).
   * Unknown fields are skipped, so a newer writer's extra columns do not break an older reader.
   */
  static CallRecord read(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT && p.nextToken() != JsonToken.START_OBJECT) {
      throw new IOException("expected a JSON object");
    }
    CallRecord.Builder b = CallRecord.builder();
    Attribution.Builder a = Attribution.builder();
    Usage.Builder u = Usage.builder();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (name) {
        case "ts": b.timestamp(Instant.parse(p.getText())); break;
        case "call_id": b.callId(p.getText()); break;
        case "customer": a.customer(Attribution.clean(p.getText())); break;
        case "feature": a.feature(Attribution.clean(p.getText())); break;
        case "workflow": a.workflow(Attribution.clean(p.getText())); break;
        case "user": a.user(Attribution.clean(p.getText())); break;
        case "team": a.team(Attribution.clean(p.getText())); break;
        case "environment": a.environment(Attribution.clean(p.getText())); break;
        case "tags":
          readStringMap(p).forEach((k, v) -> a.tag(Attribution.clean(k), Attribution.clean(v)));
          break;
        case "task_type": b.taskType(p.getText()); break;
        case "tier": b.tier(p.getText()); break;
        case "model": b.model(ModelId.parse(p.getText())); break;
        case "input_tokens": u.inputTokens(p.getLongValue()); break;
        case "cached_input_tokens": u.cachedInputTokens(p.getLongValue()); break;
        case "cache_write_tokens": u.cacheWriteTokens(p.getLongValue()); break;
        case "cache_write_1h_tokens": u.cacheWrite1hTokens(p.getLongValue()); break;
        case "output_tokens": u.outputTokens(p.getLongValue()); break;
        case "reasoning_tokens": u.reasoningTokens(p.getLongValue()); break;
        case "usage_raw": u.raw(readLongMap(p)); break;
        case "estimated": u.estimated(p.getBooleanValue()); break;
        case "cost_usd": b.costUsd(decimal(p)); break;
        case "saved_usd": b.savedUsd(decimal(p)); break;
        case "cache_status": b.cacheStatus(p.getText()); break;
        case "route_reason": b.routeReason(p.getText()); break;
        case "attempts": b.attempts(p.getIntValue()); break;
        case "latency_ns": b.latencyNanos(p.getLongValue()); break;
        case "outcome": b.outcome(p.getText()); break;
        case "error_type": b.errorType(p.getText()); break;
        case "price_version": b.priceVersion(p.getText()); break;
        default: p.skipChildren(); break;
      }
    }
    return b.attribution(a.build()).usage(u.build()).build();
  }

  static String mapToJson(Map<String, ?> map) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      writeMap(g, map);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }

  static Map<String, String> stringMapFromJson(String json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      p.nextToken();
      return readStringMap(p);
    }
  }

  static Map<String, Long> longMapFromJson(String json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      p.nextToken();
      return readLongMap(p);
    }
  }

  private static void writeMap(JsonGenerator g, Map<String, ?> map) throws IOException {
    g.writeStartObject();
    // Sorted, so the same row always has the same bytes (an array sort: a TreeMap per row cost more than the rest)
    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type is made raw, then typed
    Map.Entry<String, ?>[] entries = map.entrySet().toArray(new Map.Entry[0]);
    int[] order = entries.length > 1 ? sortedOrder(entries) : null;
    for (int i = 0; i < entries.length; i++) {
      Map.Entry<String, ?> e = entries[order == null ? i : order[i]];
      if (e.getValue() instanceof Long n) {
        g.writeNumberField(e.getKey(), n);
      } else {
        g.writeStringField(e.getKey(), String.valueOf(e.getValue()));
      }
    }
    g.writeEndObject();
  }

  /** The indexes of {@code entries} in key order: the last map's order when its keys came the same way, else sorted. */
  static int[] sortedOrder(Map.Entry<String, ?>[] entries) {
    KeyOrder last = entries.length < ORDERS.length ? ORDERS[entries.length] : null;
    if (last != null) {
      int i = 0;
      while (i < entries.length && last.iterated[i].equals(entries[i].getKey())) {
        i++;
      }
      if (i == entries.length) {
        return last.sorted;
      }
    }
    Integer[] idx = new Integer[entries.length];
    String[] keys = new String[entries.length];
    for (int i = 0; i < entries.length; i++) {
      idx[i] = i;
      keys[i] = entries[i].getKey();
    }
    Arrays.sort(idx, (a, b) -> keys[a].compareTo(keys[b]));
    int[] sorted = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      sorted[i] = idx[i];
    }
    if (entries.length < ORDERS.length) {
      ORDERS[entries.length] = new KeyOrder(keys, sorted);
    }
    return sorted;
  }

  private static BigDecimal decimal(JsonParser p) throws IOException {
    // Strings are accepted too, for ledgers written by other tools.
    return p.currentToken() == JsonToken.VALUE_STRING ? new BigDecimal(p.getText()) : p.getDecimalValue();
  }

  private static Map<String, String> readStringMap(JsonParser p) throws IOException {
    expectObject(p);
    Map<String, String> m = new TreeMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      p.nextToken();
      m.put(k, p.getText());
    }
    return m;
  }

  private static Map<String, Long> readLongMap(JsonParser p) throws IOException {
    expectObject(p);
    Map<String, Long> m = new TreeMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      p.nextToken();
      m.put(k, p.getLongValue());
    }
    return m;
  }

  private static void expectObject(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new IOException("expected a JSON object at '" + p.currentName() + "'");
    }
  }

  private static void text(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }
}
