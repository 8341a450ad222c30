package io.finops4j.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The one JSON shape of a ledger row, shared by the JSONL sink, the spill file and the reader. Field names are
 * the SQL column names; absent (null) fields are omitted; money is a JSON number in plain notation
 * ({@code 0.000123456}), read back as an exact {@code BigDecimal}.
 */
final class RecordJson {

  /** For reading rows (writing goes through {@link RowBytes}). */
  static final JsonFactory FACTORY = new JsonFactoryBuilder().build();

  /**
   * By number of keys, the order the last such map's keys were written in, for the next map with the same keys in
   * the same iteration order: rows repeat the same usage fields and tags (different sizes, so they do not evict
   * each other), and an immutable map iterates the same keys in the same order within one JVM, so a row's sort
   * becomes one {@code equals} per key (an identity check, for the same key instances) and each key a copy of its
   * encoded bytes. Each element is immutable and replaced whole; a racy read sees an older order or none, which the
   * check then rejects or confirms.
   */
  private static final KeyOrder[] ORDERS = new KeyOrder[33];

  /**
   * Keys as a map iterated them, the index in that iteration of each key in sorted order, and each key in sorted
   * order as {@code "key":} bytes (without a comma: {@link #writeMap} writes one before each entry it keeps but the
   * first, as entries of 0 may be left out).
   */
  private record KeyOrder(String[] iterated, int[] sorted, byte[][] names) {}

  private static final byte[] TS = RowBytes.name("ts", true);
  private static final byte[] CALL_ID = RowBytes.name("call_id", false);
  private static final byte[] CUSTOMER = RowBytes.name("customer", false);
  private static final byte[] FEATURE = RowBytes.name("feature", false);
  private static final byte[] WORKFLOW = RowBytes.name("workflow", false);
  private static final byte[] USER = RowBytes.name("user", false);
  private static final byte[] TEAM = RowBytes.name("team", false);
  private static final byte[] ENVIRONMENT = RowBytes.name("environment", false);
  private static final byte[] TAGS = RowBytes.name("tags", false);
  private static final byte[] TASK_TYPE = RowBytes.name("task_type", false);
  private static final byte[] TIER = RowBytes.name("tier", false);
  private static final byte[] MODEL = RowBytes.name("model", false);
  private static final byte[] INPUT_TOKENS = RowBytes.name("input_tokens", false);
  private static final byte[] CACHED_INPUT_TOKENS = RowBytes.name("cached_input_tokens", false);
  private static final byte[] CACHE_WRITE_TOKENS = RowBytes.name("cache_write_tokens", false);
  private static final byte[] CACHE_WRITE_1H_TOKENS = RowBytes.name("cache_write_1h_tokens", false);
  private static final byte[] OUTPUT_TOKENS = RowBytes.name("output_tokens", false);
  private static final byte[] REASONING_TOKENS = RowBytes.name("reasoning_tokens", false);
  private static final byte[] USAGE_RAW = RowBytes.name("usage_raw", false);
  private static final byte[] ESTIMATED = RowBytes.name("estimated", false);
  private static final byte[] COST_USD = RowBytes.name("cost_usd", false);
  private static final byte[] SAVED_USD = RowBytes.name("saved_usd", false);
  private static final byte[] CACHE_STATUS = RowBytes.name("cache_status", false);
  private static final byte[] ROUTE_REASON = RowBytes.name("route_reason", false);
  private static final byte[] ATTEMPTS = RowBytes.name("attempts", false);
  private static final byte[] LATENCY_NS = RowBytes.name("latency_ns", false);
  private static final byte[] OUTCOME = RowBytes.name("outcome", false);
  private static final byte[] ERROR_TYPE = RowBytes.name("error_type", false);
  private static final byte[] PRICE_VERSION = RowBytes.name("price_version", false);

  /** Models are few (the price table's): each one's qualified id, computed once; past the bound, per row. */
  private static final ConcurrentHashMap<ModelId, String> MODELS = new ConcurrentHashMap<>();
  private static final int MAX_MODELS = 256;

  private RecordJson() {}

  /** Appends {@code r} as one JSON object and a newline: one line of a JSONL file. */
  static void writeLine(RowBytes out, CallRecord r) {
    write(out, r);
    out.raw('\n');
  }

  /** Appends {@code r} as one JSON object. */
  static void write(RowBytes out, CallRecord r) {
    out.raw('{');
    out.raw(TS);
    char[] ts = out.timestampChars();
    int tsLength = Timestamps.iso(r.timestamp(), ts);
    if (tsLength < 0) {
      out.string(r.timestamp().toString());
    } else {
      out.raw('"');
      out.ascii(ts, 0, tsLength); // digits and separators only
      out.raw('"');
    }
    out.raw(CALL_ID);
    out.string(r.callId());
    Attribution a = r.attribution();
    text(out, 0, CUSTOMER, a.customer());
    text(out, 1, FEATURE, a.feature());
    text(out, 2, WORKFLOW, a.workflow());
    text(out, 3, USER, a.user());
    text(out, 4, TEAM, a.team());
    text(out, 5, ENVIRONMENT, a.environment());
    if (!a.tags().isEmpty()) {
      out.raw(TAGS);
      writeMap(out, a.tags(), false);
    }
    text(out, 6, TASK_TYPE, r.taskType());
    text(out, 7, TIER, r.tier());
    if (r.model() != null) {
      text(out, 8, MODEL, qualified(r.model()));
    }
    Usage u = r.usage();
    number(out, INPUT_TOKENS, u.inputTokens());
    number(out, CACHED_INPUT_TOKENS, u.cachedInputTokens());
    number(out, CACHE_WRITE_TOKENS, u.cacheWriteTokens());
    number(out, CACHE_WRITE_1H_TOKENS, u.cacheWrite1hTokens());
    number(out, OUTPUT_TOKENS, u.outputTokens());
    number(out, REASONING_TOKENS, u.reasoningTokens());
    if (!u.raw().isEmpty()) {
      int before = out.length();
      out.raw(USAGE_RAW);
      if (writeMap(out, u.raw(), true) == 0) {
        out.truncate(before); // every count was 0: the row has no usage_raw, as a row without raw fields
      }
    }
    out.raw(ESTIMATED);
    out.bool(u.estimated());
    out.raw(COST_USD);
    out.decimal(r.costUsd());
    out.raw(SAVED_USD);
    out.decimal(r.savedUsd());
    text(out, 9, CACHE_STATUS, r.cacheStatus());
    text(out, 10, ROUTE_REASON, r.routeReason());
    number(out, ATTEMPTS, r.attempts());
    number(out, LATENCY_NS, r.latencyNanos());
    text(out, 11, OUTCOME, r.outcome());
    text(out, 12, ERROR_TYPE, r.errorType());
    text(out, 13, PRICE_VERSION, r.priceVersion());
    out.raw('}');
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
    RowBytes out = new RowBytes(256);
    writeMap(out, map, false);
    return out.toString();
  }

  /** A usage's raw fields as the ledger keeps them (its fields that are not 0); null when every one is 0. */
  static String usageRawToJson(Map<String, Long> raw) {
    RowBytes out = new RowBytes(256);
    return writeMap(out, raw, true) == 0 ? null : out.toString();
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

  /**
   * {@code map} as a JSON object with its keys sorted; with {@code skipZeros}, without the entries whose value is
   * the number 0. Returns how many entries it wrote.
   */
  private static int writeMap(RowBytes out, Map<String, ?> map, boolean skipZeros) {
    out.raw('{');
    MapFields fields = out.mapFields();
    int written = 0;
    try {
      map.forEach(fields);
      // Sorted, so the same row always has the same bytes (an array sort: a TreeMap per row cost more than the rest)
      KeyOrder order = keyOrder(fields.keys, fields.size);
      for (int i = 0; i < fields.size; i++) {
        Object value = fields.values[order.sorted[i]];
        if (skipZeros && value instanceof Long n && n == 0) {
          continue;
        }
        if (written++ > 0) {
          out.raw(',');
        }
        out.raw(order.names[i]);
        if (value instanceof Long n) {
          out.number(n);
        } else {
          out.string(String.valueOf(value));
        }
      }
    } finally {
      fields.clear();
    }
    out.raw('}');
    return written;
  }

  /**
   * A map's keys and values in its iteration order, gathered by {@code forEach}. Kept with the buffer a row is
   * written into ({@link RowBytes#mapFields()}), so that writing a map makes no entry objects: listing an immutable
   * map's entries makes one per key.
   */
  static final class MapFields implements BiConsumer<String, Object> {
    private String[] keys = new String[16];
    private Object[] values = new Object[16];
    private int size;

    @Override
    public void accept(String key, Object value) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size++] = value;
    }

    /** Lets go of the map's keys and values. */
    private void clear() {
      Arrays.fill(keys, 0, size, null);
      Arrays.fill(values, 0, size, null);
      size = 0;
    }
  }

  /** The order of the first {@code n} of {@code keys}: the last such map's order when its keys match, else sorted. */
  private static KeyOrder keyOrder(String[] keys, int n) {
    KeyOrder last = n < ORDERS.length ? ORDERS[n] : null;
    if (last != null) {
      int i = 0;
      while (i < n && last.iterated[i].equals(keys[i])) {
        i++;
      }
      if (i == n) {
        return last;
      }
    }
    String[] iterated = Arrays.copyOf(keys, n);
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> iterated[a].compareTo(iterated[b]));
    int[] sorted = new int[n];
    byte[][] names = new byte[n][];
    for (int i = 0; i < n; i++) {
      sorted[i] = idx[i];
      RowBytes name = new RowBytes(iterated[sorted[i]].length() + 4);
      name.string(iterated[sorted[i]]);
      name.raw(':');
      names[i] = Arrays.copyOf(name.array(), name.length());
    }
    KeyOrder order = new KeyOrder(iterated, sorted, names);
    if (n < ORDERS.length) {
      ORDERS[n] = order;
    }
    return order;
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

  private static String qualified(ModelId model) {
    String q = MODELS.get(model);
    if (q == null) {
      q = model.qualified();
      if (MODELS.size() < MAX_MODELS) {
        MODELS.putIfAbsent(model, q);
      }
    }
    return q;
  }

  /** A text field; {@code slot} numbers the field for {@link RowBytes#string(int, String)}. */
  private static void text(RowBytes out, int slot, byte[] name, String value) {
    if (value != null) {
      out.raw(name);
      out.string(slot, value);
    }
  }

  private static void number(RowBytes out, byte[] name, long value) {
    out.raw(name);
    out.number(value);
  }
}
