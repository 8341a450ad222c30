package io.finops4j.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL that differs between the databases the JDBC sink supports: column types and the idempotent insert.
 * Everything else is plain SQL shared by both.
 */
enum SqlDialect {

  POSTGRESQL("TIMESTAMPTZ", "JSONB", "?::jsonb") {
    @Override
    String insert(String table) {
      return "INSERT INTO " + table + " (" + String.join(", ", LedgerColumns.NAMES) + ") VALUES ("
          + String.join(", ", placeholders()) + ") ON CONFLICT (call_id) DO NOTHING";
    }

    @Override
    String migrationLock(String table) {
      // Two instances starting together must not both create the table.
      return "SELECT pg_advisory_xact_lock(hashtext('finops4j:" + table + "'))";
    }
  },

  H2("TIMESTAMP(9) WITH TIME ZONE", "CHARACTER VARYING", "?") {
    @Override
    String insert(String table) {
      List<String> casts = new ArrayList<>();
      List<String> source = new ArrayList<>();
      for (int i = 0; i < LedgerColumns.NAMES.size(); i++) {
        casts.add("CAST(? AS " + type(LedgerColumns.TYPES.get(i)) + ")");
        source.add("s." + LedgerColumns.NAMES.get(i));
      }
      String cols = String.join(", ", LedgerColumns.NAMES);
      return "MERGE INTO " + table + " t USING (VALUES (" + String.join(", ", casts) + ")) AS s(" + cols
          + ") ON t.call_id = s.call_id WHEN NOT MATCHED THEN INSERT (" + cols + ") VALUES ("
          + String.join(", ", source) + ")";
    }
  };

  private final String timestampType;
  private final String jsonType;
  private final String jsonPlaceholder;

  SqlDialect(String timestampType, String jsonType, String jsonPlaceholder) {
    this.timestampType = timestampType;
    this.jsonType = jsonType;
    this.jsonPlaceholder = jsonPlaceholder;
  }

  /** The dialect of a database product name as JDBC reports it; fails for databases we do not support. */
  static SqlDialect of(String productName) {
    String p = productName.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return POSTGRESQL;
    }
    if (p.equals("h2")) {
      return H2;
    }
    throw new IllegalStateException("the ledger supports PostgreSQL and H2, not " + productName);
  }

  abstract String insert(String table);

  String migrationLock(String table) {
    return null;
  }

  /** A column type of {@link LedgerColumns#TYPES} in this dialect. */
  String type(String generic) {
    switch (generic) {
      case "TIMESTAMP": return timestampType;
      case "JSON": return jsonType;
      default: return generic;
    }
  }

  List<String> placeholders() {
    List<String> out = new ArrayList<>();
    for (String t : LedgerColumns.TYPES) {
      out.add(t.equals("JSON") ? jsonPlaceholder : "?");
    }
    return out;
  }

  /** Schema version 1: the table and the indexes the reports query by. */
  List<String> createV1(String table, String indexPrefix) {
    StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table).append(" (");
    for (int i = 0; i < LedgerColumns.NAMES.size(); i++) {
      ddl.append(i == 0 ? "" : ", ").append(LedgerColumns.NAMES.get(i)).append(' ')
          .append(type(LedgerColumns.TYPES.get(i))).append(LedgerColumns.NOT_NULL.get(i) ? " NOT NULL" : "");
    }
    ddl.append(", CONSTRAINT ").append(indexPrefix).append("_pk PRIMARY KEY (call_id))");
    List<String> out = new ArrayList<>();
    out.add(ddl.toString());
    out.add(index(table, indexPrefix + "_ts_idx", "ts"));
    out.add(index(table, indexPrefix + "_customer_idx", "customer, ts"));
    out.add(index(table, indexPrefix + "_feature_idx", "feature, ts"));
    out.add(index(table, indexPrefix + "_workflow_idx", "workflow, ts"));
    out.add(index(table, indexPrefix + "_model_idx", "model, ts"));
    return out;
  }

  private static String index(String table, String name, String columns) {
    return "CREATE INDEX IF NOT EXISTS " + name + " ON " + table + " (" + columns + ")";
  }
}
