package io.finops4j.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
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
import java.util.concurrent.ConcurrentHashMap;

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

  /** Field names with their quoted UTF-8 bytes made once (Jackson escapes a plain String char by char per row). */
  private static final SerializableString TS = new SerializedString("ts");
  private static final SerializableString CALL_ID = new SerializedString("call_id");
  private static final SerializableString CUSTOMER = new SerializedString("customer");
  private static final SerializableString FEATURE = new SerializedString("feature");
  private static final SerializableString WORKFLOW = new SerializedString("workflow");
  private static final SerializableString USER = new SerializedString("user");
  private static final SerializableString TEAM = new SerializedString("team");
  private static final SerializableString ENVIRONMENT = new SerializedString("environment");
  private static final SerializableString TAGS = new SerializedString("tags");
  private static final SerializableString TASK_TYPE = new SerializedString("task_type");
  private static final SerializableString TIER = new SerializedString("tier");
  private static final SerializableString MODEL = new SerializedString("model");
  private static final SerializableString INPUT_TOKENS = new SerializedString("input_tokens");
  private static final SerializableString CACHED_INPUT_TOKENS = new SerializedString("cached_input_tokens");
  private static final SerializableString CACHE_WRITE_TOKENS = new SerializedString("cache_write_tokens");
  private static final SerializableString CACHE_WRITE_1H_TOKENS = new SerializedString("cache_write_1h_tokens");
  private static final SerializableString OUTPUT_TOKENS = new SerializedString("output_tokens");
  private static final SerializableString REASONING_TOKENS = new SerializedString("reasoning_tokens");
  private static final SerializableString USAGE_RAW = new SerializedString("usage_raw");
  private static final SerializableString ESTIMATED = new SerializedString("estimated");
  private static final SerializableString COST_USD = new SerializedString("cost_usd");
  private static final SerializableString SAVED_USD = new SerializedString("saved_usd");
  private static final SerializableString CACHE_STATUS = new SerializedString("cache_status");
  private static final SerializableString ROUTE_REASON = new SerializedString("route_reason");
  private static final SerializableString ATTEMPTS = new SerializedString("attempts");
  private static final SerializableString LATENCY_NS = new SerializedString("latency_ns");
  private static final SerializableString OUTCOME = new SerializedString("outcome");
  private static final SerializableString ERROR_TYPE = new SerializedString("error_type");
  private static final SerializableString PRICE_VERSION = new SerializedString("price_version");

  /** How many distinct values {@link #quoted} keeps: the repeated ones of a workload, bounded whatever comes. */
  static final int MAX_QUOTED = 4096;
  private static final ConcurrentHashMap<String, SerializableString> QUOTED = new ConcurrentHashMap<>();
  /** Models are few (the price table's): each one's qualified id, quoted once. */
  private static final ConcurrentHashMap<ModelId, SerializableString> MODELS = new ConcurrentHashMap<>();

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
    char[] ts = new char[32];
    ts[0] = '"';
    int tsLength = Timestamps.iso(r.timestamp(), ts, 1);
    g.writeFieldName(TS);
    if (tsLength < 0) {
      g.writeString(r.timestamp().toString());
    } else {
      ts[tsLength + 1] = '"';
      g.writeRawValue(ts, 0, tsLength + 2); // digits and separators only: nothing to escape, no String per row
    }
    g.writeFieldName(CALL_ID);
    g.writeString(r.callId());
    Attribution a = r.attribution();
    text(g, CUSTOMER, a.customer());
    text(g, FEATURE, a.feature());
    text(g, WORKFLOW, a.workflow());
    text(g, USER, a.user());
    text(g, TEAM, a.team());
    text(g, ENVIRONMENT, a.environment());
    if (!a.tags().isEmpty()) {
      g.writeFieldName(TAGS);
      writeMap(g, a.tags());
    }
    text(g, TASK_TYPE, r.taskType());
    text(g, TIER, r.tier());
    if (r.model() != null) {
      g.writeFieldName(MODEL);
      g.writeString(MODELS.computeIfAbsent(r.model(), m -> new SerializedString(m.qualified())));
    }
    Usage u = r.usage();
    number(g, INPUT_TOKENS, u.inputTokens());
    number(g, CACHED_INPUT_TOKENS, u.cachedInputTokens());
    number(g, CACHE_WRITE_TOKENS, u.cacheWriteTokens());
    number(g, CACHE_WRITE_1H_TOKENS, u.cacheWrite1hTokens());
    number(g, OUTPUT_TOKENS, u.outputTokens());
    number(g, REASONING_TOKENS, u.reasoningTokens());
    if (!u.raw().isEmpty()) {
      g.writeFieldName(USAGE_RAW);
      writeMap(g, u.raw());
    }
    g.writeFieldName(ESTIMATED);
    g.writeBoolean(u.estimated());
    g.writeFieldName(COST_USD);
    g.writeNumber(r.costUsd().toPlainString());
    g.writeFieldName(SAVED_USD);
    g.writeNumber(r.savedUsd().toPlainString());
    text(g, CACHE_STATUS, r.cacheStatus());
    text(g, ROUTE_REASON, r.routeReason());
    number(g, ATTEMPTS, r.attempts());
    number(g, LATENCY_NS, r.latencyNanos());
    text(g, OUTCOME, r.outcome());
    text(g, ERROR_TYPE, r.errorType());
    text(g, PRICE_VERSION, r.priceVersion());
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
      g.writeFieldName(quoted(e.getKey()));
      if (e.getValue() instanceof Long n) {
        g.writeNumber(n);
      } else {
        g.writeString(String.valueOf(e.getValue()));
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

  private static void text(JsonGenerator g, SerializableString name, String value) throws IOException {
    if (value != null) {
      g.writeFieldName(name);
      g.writeString(quoted(value));
    }
  }

  private static void number(JsonGenerator g, SerializableString name, long value) throws IOException {
    g.writeFieldName(name);
    g.writeNumber(value);
  }

  /**
   * {@code s} with its quoted UTF-8 bytes worked out once: rows repeat the same few values (attribution, task, tier,
   * outcome, route reason, usage keys), and Jackson's char-by-char escaping of each was most of a row's cost. Up to
   * {@link #MAX_QUOTED} distinct strings are kept; past that, a new one is written as it is, never stored.
   */
  private static SerializableString quoted(String s) {
    SerializableString q = QUOTED.get(s);
    if (q != null) {
      return q;
    }
    q = new SerializedString(s);
    if (QUOTED.size() < MAX_QUOTED) {
      QUOTED.putIfAbsent(s, q);
    }
    return q;
  }
}
