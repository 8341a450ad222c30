package io.finops4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.Plugin;
import io.finops4j.api.spi.PluginContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's own beans reach the Llm: its DataSource for the ledger, its MeterRegistry for meters, its
 * plug-ins.
 */
class ApplicationBeansTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(Finops4jAutoConfiguration.class));

  @Configuration(proxyBeanMethods = false)
  static class AppBeans {
    static final String DB = "jdbc:h2:mem:ledger-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Bean
    DataSource dataSource() {
      JdbcDataSource ds = new JdbcDataSource();
      ds.setURL(DB);
      return ds;
    }

    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class AuditPluginBean {
    static final List<String> AUDITED = new CopyOnWriteArrayList<>();

    /** A plug-in of the application: reads finops4j.audit and records each call's model after the others. */
    @Bean
    Plugin auditPlugin() {
      return new Plugin() {
        @Override public String name() { return "audit"; }
        @Override public void plug(PluginContext context) {
          String prefix = context.config().get("audit").get("prefix").asString();
          context.listenLast(CallEventListener.factory(CallEventListener.of(r -> AUDITED.add(prefix + r.model()))));
        }
      };
    }
  }

  @Test
  void aPluginBeanPlugsInAndReadsItsSectionOfTheProperties() {
    AuditPluginBean.AUDITED.clear();
    runner.withUserConfiguration(AuditPluginBean.class, Finops4jAutoConfigurationTest.FakeSimulator.class)
        .withPropertyValues(Finops4jAutoConfigurationTest.POLICY)
        .withPropertyValues("finops4j.audit.prefix=eu:")
        .run(ctx -> {
          Completion c = ctx.getBean(Llm.class).complete("classification", Prompt.of("q"),
              Attribution.of("acme", "tickets"));
          assertThat(AuditPluginBean.AUDITED).containsExactly("eu:" + c.model());
        });
  }

  @Test
  void aJdbcLedgerWithoutAUrlWritesThroughTheApplicationsDataSourceAndMetersGoToItsRegistry() throws Exception {
    BigDecimal[] total = {BigDecimal.ZERO};
    runner.withUserConfiguration(AppBeans.class, Finops4jAutoConfigurationTest.FakeSimulator.class)
        .withPropertyValues(Finops4jAutoConfigurationTest.POLICY)
        .withPropertyValues("finops4j.ledger.type=jdbc", "finops4j.ledger.flush-interval=50ms")
        .run(ctx -> {
          Llm llm = ctx.getBean(Llm.class);
          for (int i = 0; i < 3; i++) {
            Completion c = llm.complete("classification", Prompt.of("q" + i), Attribution.of("acme", "tickets"));
            total[0] = total[0].add(c.costUsd());
          }
          assertThat(ctx.getBean(MeterRegistry.class).find("finops4j.calls").counters()).isNotEmpty();
        }); // closing the context closes the Llm, which flushes the ledger
    try (Connection c = new AppBeans().dataSource().getConnection();
         ResultSet rs = c.createStatement().executeQuery("select count(*), sum(cost_usd) from finops4j_ledger")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(3);
      assertThat(rs.getBigDecimal(2)).isEqualByComparingTo(total[0]);
    }
  }
}
