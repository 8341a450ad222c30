package io.finops4j.ledger;

import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The ledger table's columns, in insert order, and the mapping of a {@link CallRecord} to and from them. */
final class LedgerColumns {

  static final List<String> NAMES = List.of("call_id", "ts", "customer", "feature", "workflow", "user_id", "team",
      "environment", "tags", "task_type", "tier", "model", "input_tokens", "cached_input_tokens",
      "cache_write_tokens", "cache_write_1h_tokens", "output_tokens", "reasoning_tokens", "usage_raw", "estimated",
      "cost_usd", "saved_usd", "cache_status", "route_reason", "attempts", "latency_ns", "outcome", "error_type",
      "price_version");

  /** Generic types; {@link SqlDialect#type} maps TIMESTAMP and JSON. Text has no length limit, so no row fails. */
  static final List<String> TYPES = List.of("VARCHAR", "TIMESTAMP", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
      "VARCHAR", "VARCHAR", "JSON", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "BIGINT", "BIGINT", "BIGINT",
      "BIGINT", "BIGINT", "JSON", "BOOLEAN", "NUMERIC(20,9)", "NUMERIC(20,9)", "VARCHAR", "VARCHAR", "INTEGER",
      "BIGINT", "VARCHAR", "VARCHAR", "VARCHAR");

  static final List<Boolean> NOT_NULL = List.of(true, true, false, false, false, false, false, false, false, false,
      false, false, true, true, true, true, true, true, false, true, true, true, true, false, true, true, true,
      false, false);

  private LedgerColumns() {}

  static void bind(PreparedStatement ps, CallRecord r, SqlDialect dialect) throws SQLException {
    Attribution a = r.attribution();
    Usage u = r.usage();
    Instant ts = r.timestamp();
    boolean pg = dialect == SqlDialect.POSTGRESQL;
    if (pg) {
      // PostgreSQL keeps microseconds; truncate here so the stored value is predictable (it would round).
      ts = ts.truncatedTo(ChronoUnit.MICROS);
    }
    int i = 1;
    ps.setString(i++, text(r.callId(), pg));
    ps.setObject(i++, OffsetDateTime.ofInstant(ts, ZoneOffset.UTC));
    ps.setString(i++, text(a.customer(), pg));
    ps.setString(i++, text(a.feature(), pg));
    ps.setString(i++, text(a.workflow(), pg));
    ps.setString(i++, text(a.user(), pg));
    ps.setString(i++, text(a.team(), pg));
    ps.setString(i++, text(a.environment(), pg));
    ps.setString(i++, a.tags().isEmpty() ? null : RecordJson.mapToJson(pg ? clean(a.tags()) : a.tags()));
    ps.setString(i++, text(r.taskType(), pg));
    ps.setString(i++, text(r.tier(), pg));
    ps.setString(i++, r.model() == null ? null : text(r.model().qualified(), pg));
    ps.setLong(i++, u.inputTokens());
    ps.setLong(i++, u.cachedInputTokens());
    ps.setLong(i++, u.cacheWriteTokens());
    ps.setLong(i++, u.cacheWrite1hTokens());
    ps.setLong(i++, u.outputTokens());
    ps.setLong(i++, u.reasoningTokens());
    ps.setString(i++, u.raw().isEmpty() ? null : RecordJson.usageRawToJson(pg ? clean(u.raw()) : u.raw()));
    ps.setBoolean(i++, u.estimated());
    ps.setBigDecimal(i++, r.costUsd());
    ps.setBigDecimal(i++, r.savedUsd());
    ps.setString(i++, text(r.cacheStatus(), pg));
    ps.setString(i++, text(r.routeReason(), pg));
    ps.setInt(i++, r.attempts());
    ps.setLong(i++, r.latencyNanos());
    ps.setString(i++, text(r.outcome(), pg));
    ps.setString(i++, text(r.errorType(), pg));
    ps.setString(i, text(r.priceVersion(), pg));
  }

  /**
   * PostgreSQL cannot store U+0000 in text or jsonb; one such character (say, in a user-supplied tag) would make
   * the batch fail on every retry. It becomes U+FFFD, the replacement character.
   */
  static String text(String s, boolean pg) {
    return pg && s != null && s.indexOf('\u0000') >= 0 ? s.replace('\u0000', '\uFFFD') : s;
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> clean(Map<String, V> map) {
    Map<String, V> out = new java.util.TreeMap<>();
    map.forEach((k, v) -> out.put(text(k, true), v instanceof String sv ? (V) text(sv, true) : v));
    return out;
  }

  private static String clean(ResultSet rs, String column) throws SQLException {
    return Attribution.clean(rs.getString(column));
  }

  /** Reads the row at the cursor of a {@code SELECT *} (columns by name). */
  static CallRecord read(ResultSet rs) throws SQLException {
    try {
      // clean: rows written by another tool may hold characters the builder refuses
      Attribution.Builder a = Attribution.builder().customer(clean(rs, "customer"))
          .feature(clean(rs, "feature")).workflow(clean(rs, "workflow")).user(clean(rs, "user_id"))
          .team(clean(rs, "team")).environment(clean(rs, "environment"));
      String tags = rs.getString("tags");
      if (tags != null) {
        RecordJson.stringMapFromJson(tags).forEach((k, v) -> a.tag(Attribution.clean(k), Attribution.clean(v)));
      }
      String raw = rs.getString("usage_raw");
      Usage u = Usage.builder().inputTokens(rs.getLong("input_tokens"))
          .cachedInputTokens(rs.getLong("cached_input_tokens")).cacheWriteTokens(rs.getLong("cache_write_tokens"))
          .cacheWrite1hTokens(rs.getLong("cache_write_1h_tokens")).outputTokens(rs.getLong("output_tokens"))
          .reasoningTokens(rs.getLong("reasoning_tokens")).estimated(rs.getBoolean("estimated"))
          .raw(raw == null ? Map.of() : RecordJson.longMapFromJson(raw)).build();
      String model = rs.getString("model");
      return CallRecord.builder().callId(rs.getString("call_id"))
          .timestamp(rs.getObject("ts", OffsetDateTime.class).toInstant()).attribution(a.build())
          .taskType(rs.getString("task_type")).tier(rs.getString("tier"))
          .model(model == null ? null : ModelId.parse(model)).usage(u).costUsd(rs.getBigDecimal("cost_usd"))
          .savedUsd(rs.getBigDecimal("saved_usd")).cacheStatus(rs.getString("cache_status"))
          .routeReason(rs.getString("route_reason")).attempts(rs.getInt("attempts"))
          .latencyNanos(rs.getLong("latency_ns")).outcome(rs.getString("outcome"))
          .errorType(rs.getString("error_type")).priceVersion(rs.getString("price_version")).build();
    } catch (IOException e) {
      throw new SQLException("bad JSON in ledger row " + rs.getString("call_id") + ": " + e.getMessage(), e);
    }
  }
}
