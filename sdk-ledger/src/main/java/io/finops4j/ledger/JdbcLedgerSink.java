package io.finops4j.ledger;

import io.finops4j.api.spi.CallRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Writes ledger rows to a database table over plain JDBC: PostgreSQL, or H2 as an embedded database.
 *
 * <p>The table (default {@code finops4j_ledger}) and its indexes are created, or migrated, on the first
 * connection, under a version table {@code <table>_version}; a database that is down at start-up is simply
 * retried by the writer. Each batch is one transaction of batched inserts that skip call ids already present
 * ({@code ON CONFLICT DO NOTHING} on PostgreSQL, {@code MERGE ... WHEN NOT MATCHED} on H2), so a retried batch
 * never duplicates a row. Money is {@code NUMERIC(20,9)}: exact to the nano-USD. PostgreSQL stores timestamps
 * to the microsecond; the sink truncates finer ones.
 *
 * <p>On PostgreSQL the same transaction adds the batch's rows to three summary tables (per day, per month's token
 * counts, per workflow; see {@link LedgerRollups}) that showback reads instead of the rows. Migrating a table made
 * by an older version (schema version 1) creates them and fills them once from the rows already there; upgrade
 * every instance that writes the table together, as rows an older writer adds afterwards are not summarised.
 *
 * <p>Connections come from a {@link DataSource} (a pool; borrowed per batch) or from {@link DriverManager} with
 * URL, user and password (kept between batches; PostgreSQL gets a 60 s socket timeout unless the URL sets one).
 * A connection is replaced after any error.
 */
public final class JdbcLedgerSink implements LedgerSink {

  /** The default table name. */
  public static final String DEFAULT_TABLE = "finops4j_ledger";

  /** The schema version this code writes; see {@link #migrate()}. */
  public static final int SCHEMA_VERSION = 2;

  static final Pattern TABLE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,39}");
  private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&;]*");

  private final DataSource dataSource;
  private final String url;
  private final String username;
  private final Secret password;
  private final String table;
  private final boolean createSchema;

  private Connection connection;
  private SqlDialect dialect;
  private String insertSql;
  private boolean migrated;
  /**
   * The statements that add a batch to the table's summaries, made once per connection; empty when the table keeps
   * none (not PostgreSQL, or schema version 1): see {@link LedgerRollups}.
   */
  private List<String> rollupUpserts = List.of();

  private JdbcLedgerSink(Builder b) {
    if ((b.dataSource == null) == (b.url == null)) {
      throw new IllegalArgumentException("set exactly one of url(...) or dataSource(...)");
    }
    this.dataSource = b.dataSource;
    this.url = b.url;
    this.username = b.username;
    this.password = b.password;
    this.table = b.table;
    this.createSchema = b.createSchema;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The table name, possibly schema-qualified. */
  public String table() {
    return table;
  }

  @Override
  public void write(List<CallRecord> records) throws SQLException {
    if (records.isEmpty()) {
      return;
    }
    Connection c = connection();
    try (PreparedStatement ps = c.prepareStatement(insertSql)) {
      for (CallRecord r : records) {
        LedgerColumns.bind(ps, r, dialect);
        ps.addBatch();
      }
      ps.executeBatch();
      if (!rollupUpserts.isEmpty()) {
        addToRollups(c, records);
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      discardConnection();
      throw e;
    }
    if (dataSource != null) {
      // A pool's connection goes back after each batch, so the pool's own health checks and lifetimes apply.
      release();
    }
  }

  /** Adds the rows this transaction inserted to the summaries, in the same transaction (see {@link LedgerRollups}). */
  private void addToRollups(Connection c, List<CallRecord> records) throws SQLException {
    Object[] ids = new Object[records.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = LedgerColumns.text(records.get(i).callId(), true); // as the insert stored it
    }
    java.sql.Array array = c.createArrayOf("varchar", ids);
    try {
      for (String sql : rollupUpserts) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setArray(1, array);
          ps.executeUpdate();
        }
      }
    } finally {
      array.free();
    }
  }

  private synchronized void release() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      closeQuietly(c);
    }
  }

  /**
   * Creates the table and its indexes if missing, or migrates them to {@link #SCHEMA_VERSION}. Called on the
   * first connection unless {@code createSchema(false)}; call it yourself to fail fast at start-up.
   */
  public synchronized void migrate() throws SQLException {
    Connection c = connection();
    if (!migrated) {
      runMigrations(c);
    }
  }

  private synchronized Connection connection() throws SQLException {
    if (connection != null) {
      return connection;
    }
    Connection c = dataSource != null ? dataSource.getConnection() : driverConnection();
    try {
      c.setAutoCommit(false);
      if (dialect == null) {
        dialect = SqlDialect.of(c.getMetaData().getDatabaseProductName());
        insertSql = dialect.insert(table);
      }
      if (createSchema && !migrated) {
        runMigrations(c);
      }
      if (dialect == SqlDialect.POSTGRESQL) {
        rollupUpserts = LedgerRollups.present(c, table)
            ? LedgerRollups.upserts(table, LedgerRollups.INSERTED_BY_THIS_TRANSACTION) : List.of();
        c.commit();
      }
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    connection = c;
    return c;
  }

  private Connection driverConnection() throws SQLException {
    try {
      return DriverManager.getConnection(url, properties());
    } catch (SQLException e) {
      // DriverManager's messages quote the URL, which may hold a password: never let it reach a log line.
      String msg = String.valueOf(e.getMessage()).replace(url, redactedUrl());
      if (msg.startsWith("No suitable driver")) {
        msg = "no JDBC driver on the classpath for " + redactedUrl()
            + ": add org.postgresql:postgresql or com.h2database:h2";
      }
      SQLException safe = new SQLException(msg, e.getSQLState(), e.getErrorCode());
      safe.setStackTrace(e.getStackTrace());
      throw safe;
    }
  }

  private String redactedUrl() {
    return redact(url);
  }

  /** {@code url} with any password parameter shown as {@code ****}. */
  static String redact(String url) {
    return PASSWORD_IN_URL.matcher(url).replaceAll("$1****");
  }

  private Properties properties() {
    Properties p = new Properties();
    if (username != null) {
      p.setProperty("user", username);
    }
    if (password != null) {
      p.setProperty("password", password.reveal());
    }
    if (url.startsWith("jdbc:postgresql:")) {
      if (!url.contains("reWriteBatchedInserts")) {
        // One multi-row INSERT per batch instead of one round trip per row.
        p.setProperty("reWriteBatchedInserts", "true");
      }
      if (!url.contains("socketTimeout")) {
        // A server that hangs must fail the write (to be retried), not stall the writer for ever.
        p.setProperty("socketTimeout", "60");
      }
    }
    return p;
  }

  private void runMigrations(Connection c) throws SQLException {
    String versionTable = table + "_version";
    String indexPrefix = table.substring(table.indexOf('.') + 1);
    try (Statement st = c.createStatement()) {
      String lock = dialect.migrationLock(table);
      if (lock != null) {
        st.execute(lock);
      }
      st.execute("CREATE TABLE IF NOT EXISTS " + versionTable + " (version INTEGER NOT NULL PRIMARY KEY, "
          + "applied_at " + dialect.type("TIMESTAMP") + " NOT NULL, description VARCHAR(200))");
      int current;
      try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + versionTable)) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > SCHEMA_VERSION) {
        throw new SQLException("ledger table " + table + " has schema version " + current
            + ", newer than this finops4j writes (" + SCHEMA_VERSION + "); upgrade finops4j");
      }
      if (current < 1) {
        for (String ddl : dialect.createV1(table, indexPrefix)) {
          st.execute(ddl);
        }
        recordVersion(c, versionTable, 1, "ledger table and report indexes");
      }
      if (current < 2) {
        if (dialect == SqlDialect.POSTGRESQL) {
          // The summaries, filled once from the rows already there (one GROUP BY per summary over the whole table:
          // about as long as one showback of it took before), under the migration lock.
          for (String ddl : LedgerRollups.create(table)) {
            st.execute(ddl);
          }
          backfill(c, st);
        }
        recordVersion(c, versionTable, 2, dialect == SqlDialect.POSTGRESQL
            ? "summaries per day, month and workflow, backfilled" : "summaries: PostgreSQL only");
      }
      c.commit();
      migrated = true;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // reporting the migration error matters more
      }
      throw e;
    }
  }

  /**
   * Fills the summaries from the rows already in the table. Over millions of rows this takes minutes, longer than
   * the socket timeout that guards each batch (60 s by default), so the connection waits without one meanwhile.
   */
  private void backfill(Connection c, Statement st) throws SQLException {
    int timeout = c.getNetworkTimeout();
    c.setNetworkTimeout(Runnable::run, 0);
    try {
      for (String sql : LedgerRollups.upserts(table, "TRUE")) {
        st.execute(sql);
      }
    } finally {
      c.setNetworkTimeout(Runnable::run, timeout);
    }
  }

  private static void recordVersion(Connection c, String versionTable, int version, String description)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + versionTable
        + " (version, applied_at, description) VALUES (?, ?, ?)")) {
      ps.setInt(1, version);
      ps.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
      ps.setString(3, description);
      ps.executeUpdate();
    }
  }

  private synchronized void discardConnection() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the connection may well be dead already
      }
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing useful to do
    }
  }

  @Override
  public String describe() {
    String where = url != null ? redactedUrl() : "dataSource " + dataSource;
    return where + " table " + table;
  }

  @Override
  public void close() {
    release();
  }

  /** Builds a {@link JdbcLedgerSink}: set {@link #url} (with optional user and password) or {@link #dataSource}. */
  public static final class Builder {
    private DataSource dataSource;
    private String url;
    private String username;
    private Secret password;
    private String table = DEFAULT_TABLE;
    private boolean createSchema = true;

    private Builder() {}

    /** A JDBC URL such as {@code jdbc:postgresql://db:5432/app} or {@code jdbc:h2:./ledger}. */
    public Builder url(String url) { this.url = Objects.requireNonNull(url, "url"); return this; }
    public Builder username(String username) { this.username = username; return this; }
    /** Held redacted: never logged, never in {@link #describe()} or an exception message. */
    public Builder password(String password) { this.password = password == null ? null : new Secret(password); return this; }
    /** A pool or other source of connections, instead of a URL. */
    public Builder dataSource(DataSource dataSource) { this.dataSource = Objects.requireNonNull(dataSource); return this; }

    /** The table, {@code name} or {@code schema.name}: letters, digits and underscores. */
    public Builder table(String table) {
      if (table == null || !TABLE.matcher(table).matches()) {
        throw new IllegalArgumentException("table must be a name of letters, digits and underscores (at most 40), "
            + "optionally schema-qualified, got '" + table + "'");
      }
      this.table = table;
      return this;
    }

    /** Whether to create or migrate the table on the first connection (default true). */
    public Builder createSchema(boolean createSchema) { this.createSchema = createSchema; return this; }

    public JdbcLedgerSink build() {
      return new JdbcLedgerSink(this);
    }
  }
}
