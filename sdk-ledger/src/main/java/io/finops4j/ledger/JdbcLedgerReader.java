package io.finops4j.ledger;

import io.finops4j.api.spi.CallRecord;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams the rows of a JDBC ledger (as {@link JdbcLedgerSink} wrote them) in time order, with a cursor, so a
 * report over millions of rows holds aggregates only, never the rows.
 */
public final class JdbcLedgerReader {

  private JdbcLedgerReader() {}

  /** Fails unless {@code table} is a plain (optionally schema-qualified) name, safe to put into SQL. */
  public static void checkTable(String table) {
    if (table == null || !JdbcLedgerSink.TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("table must be a name of letters, digits and underscores, got '" + table + "'");
    }
  }

  /** A connection to the ledger database; the error never quotes the URL's password. */
  public static Connection connect(String url) throws SQLException {
    try {
      return DriverManager.getConnection(url);
    } catch (SQLException e) {
      throw new SQLException("cannot open the ledger database " + JdbcLedgerSink.redact(url) + ": "
          + String.valueOf(e.getMessage()).replace(url, JdbcLedgerSink.redact(url)), e.getSQLState(), e.getErrorCode());
    }
  }

  /**
   * The rows of {@code table} at {@code url} with {@code from <= ts < until} (either bound may be {@code null}),
   * oldest first. Close the stream to close the connection. Errors never quote the URL's password.
   */
  public static Stream<CallRecord> stream(String url, String table, Instant from, Instant until) throws SQLException {
    checkTable(table);
    Connection c = connect(url);
    try {
      c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
      PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table + " WHERE ts >= ? AND ts < ? ORDER BY ts");
      ps.setFetchSize(1000);
      ps.setTimestamp(1, Timestamp.from(from != null ? from : Instant.parse("0001-01-01T00:00:00Z")));
      ps.setTimestamp(2, Timestamp.from(until != null ? until : Instant.parse("9999-12-31T00:00:00Z")));
      ResultSet rs = ps.executeQuery();
      Iterator<CallRecord> rows = new Iterator<>() {
        private Boolean ready;

        @Override
        public boolean hasNext() {
          if (ready == null) {
            try {
              ready = rs.next();
            } catch (SQLException e) {
              throw new UncheckedIOException(new java.io.IOException("reading the ledger table " + table + ": "
                  + e.getMessage(), e));
            }
          }
          return ready;
        }

        @Override
        public CallRecord next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          ready = null;
          try {
            return LedgerColumns.read(rs);
          } catch (SQLException e) {
            throw new UncheckedIOException(new java.io.IOException("reading the ledger table " + table + ": "
                + e.getMessage(), e));
          }
        }
      };
      return StreamSupport.stream(Spliterators.spliteratorUnknownSize(rows, Spliterator.ORDERED | Spliterator.NONNULL),
          false).onClose(() -> {
            try {
              c.close();
            } catch (SQLException ignored) {
              // nothing left to release
            }
          });
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }
}
