package io.finops4j.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://} on a private redis-server listening with TLS (a self-signed test certificate for 127.0.0.1,
 * made with {@code openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=127.0.0.1
 * -addext subjectAltName=IP:127.0.0.1}, in src/test/resources/tls).
 */
class RedisTlsTest {

  private static final Instant NOW = Instant.now();
  private static final BudgetKey ACME = new BudgetKey("customer-day", "acme", NOW.toEpochMilli() - 1000);

  @Test
  void redissEncryptsAndVerifiesTheServerCertificateByDefault() throws Exception {
    Path tls = Path.of(RedisTlsTest.class.getResource("/tls/redis-test-cert.pem").toURI()).getParent();
    int tlsPort = PrivateRedis.freePort();
    try (PrivateRedis server = new PrivateRedis("--tls-port", String.valueOf(tlsPort),
        "--tls-cert-file", tls.resolve("redis-test-cert.pem").toString(),
        "--tls-key-file", tls.resolve("redis-test-key.pem").toString(),
        "--tls-ca-cert-file", tls.resolve("redis-test-cert.pem").toString(), "--tls-auth-clients", "no")) {
      // encrypted; the self-signed certificate is not in the JDK's trust store, so this test skips the check
      try (RedisBudgetStore store = RedisBudgetStore.builder().url("rediss://127.0.0.1:" + tlsPort + "?verifyPeer=NONE")
          .keyPrefix("f4jtls").timeout(Duration.ofSeconds(5)).build()) {
        assertThat(store.available()).isTrue();
        assertThat(store.reserve("c1", List.of(new BudgetCharge(ACME, 100, 1000, NOW.toEpochMilli() + 86_400_000)),
            NOW).granted()).isTrue();
        store.settle("c1", new long[] {60}, NOW);
        assertThat(store.snapshot(ACME)).isEqualTo(new BudgetSnapshot(ACME, 60, 0));
      }
      // verified by default: an untrusted certificate means no connection, and calls go by the outage policy
      try (RedisBudgetStore store = RedisBudgetStore.builder().url("rediss://127.0.0.1:" + tlsPort)
          .keyPrefix("f4jtls").timeout(Duration.ofSeconds(5)).build()) {
        assertThat(store.available()).isFalse();
        assertThatThrownBy(() -> store.reserve("c2", List.of(new BudgetCharge(ACME, 100, 1000,
            NOW.toEpochMilli() + 86_400_000)), NOW)).isInstanceOf(BudgetStoreUnavailableException.class)
            .hasMessageContaining("127.0.0.1:" + tlsPort).hasMessageContaining("certification path");
      }
    }
  }
}
