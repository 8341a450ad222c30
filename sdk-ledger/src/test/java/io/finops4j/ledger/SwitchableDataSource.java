package io.finops4j.ledger;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** The real PostgreSQL, which a test can take down (open connections are closed, new ones refused) and back up. */
final class SwitchableDataSource implements DataSource {

  private final String url;
  private final List<Connection> handedOut = new ArrayList<>();
  private volatile boolean down;
  final AtomicInteger refused = new AtomicInteger();
  final java.util.concurrent.CountDownLatch threeRefusals = new java.util.concurrent.CountDownLatch(3);

  SwitchableDataSource(String url) {
    this.url = url;
  }

  synchronized void down() throws SQLException {
    down = true;
    for (Connection c : handedOut) {
      c.close();
    }
    handedOut.clear();
  }

  void up() {
    down = false;
  }

  @Override
  public synchronized Connection getConnection() throws SQLException {
    if (down) {
      refused.incrementAndGet();
      threeRefusals.countDown();
      throw new SQLException("Connection to 127.0.0.1:5432 refused (test outage)", "08001");
    }
    Connection c = DriverManager.getConnection(url);
    handedOut.add(c);
    return c;
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() { return null; }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() { return 0; }

  @Override
  public Logger getParentLogger() { return Logger.getGlobal(); }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException { throw new SQLException("not a wrapper"); }

  @Override
  public boolean isWrapperFor(Class<?> iface) { return false; }

  @Override
  public String toString() {
    return "switchable PostgreSQL";
  }
}
