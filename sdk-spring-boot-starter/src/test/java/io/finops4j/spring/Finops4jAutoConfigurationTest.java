package io.finops4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.Route;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CallEventListener;
import io.finops4j.api.spi.CallListener;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.api.spi.BudgetView.BudgetUsage;
import io.finops4j.telemetry.TelemetryStatus;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class Finops4jAutoConfigurationTest {

  static final String[] POLICY = {
      "finops4j.providers.simulator.seed=42",
      "finops4j.tiers.small[0]=simulator/gpt-5-mini",
      "finops4j.tiers.medium[0]=simulator/gpt-5",
      "finops4j.tasks.classification.tier=small",
      "finops4j.tasks.classification.max-output-tokens=50",
      "finops4j.tasks.support-reply.tier=medium"};

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(Finops4jAutoConfiguration.class,
          Finops4jActuatorAutoConfiguration.class))
      .withPropertyValues("management.endpoints.web.exposure.include=finops4j,health");

  @Test
  void withoutFinops4jPropertiesNothingIsCreated() {
    runner.run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx).doesNotHaveBean(Llm.class);
      assertThat(ctx).doesNotHaveBean(Finops4jSettings.class);
      assertThat(ctx).doesNotHaveBean(Finops4jEndpoint.class);
    });
  }

  @Test
  void enabledFalseTurnsAConfiguredSectionOff() {
    runner.withUserConfiguration(FakeSimulator.class).withPropertyValues(POLICY)
        .withPropertyValues("finops4j.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(Llm.class));
  }

  @Test
  void enabledTrueAloneBuildsAnLlmOnDefaults() {
    runner.withPropertyValues("finops4j.enabled=true").run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx).hasSingleBean(Llm.class);
      assertThat(ctx.getBean(Finops4jSettings.class).tree()).isEmpty();
    });
  }

  @Test
  void everyCallEventListenerAndCallListenerBeanHearsEachCallOnce() {
    runner.withUserConfiguration(FakeSimulator.class, Listeners.class).withPropertyValues(POLICY).run(ctx -> {
      Completion c = ctx.getBean(Llm.class).complete("classification", Prompt.of("Is this billing?"),
          Attribution.of("acme", "triage"));
      Listeners l = ctx.getBean(Listeners.class);
      assertThat(l.events).containsExactly("routeSelected small", "callEnd " + c.callId());
      assertThat(l.records).containsExactly(c.callId());
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class Listeners {
    final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> records = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Bean
    CallEventListener.Factory appEvents() {
      return call -> new CallEventListener() {
        @Override public void routeSelected(CallContext c, Route route) { events.add("routeSelected " + route.tier()); }
        @Override public void callEnd(CallContext c, Completion completion, CallRecord record) {
          events.add("callEnd " + record.callId());
        }
      };
    }

    @Bean
    CallListener appRecords() {
      return record -> records.add(record.callId());
    }
  }

  @Test
  void fullPropertiesBuildAWorkingLlmThatRoutesAndPrices() {
    runner.withUserConfiguration(FakeSimulator.class).withPropertyValues(POLICY).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      Llm llm = ctx.getBean(Llm.class);
      Completion c = llm.complete("classification", Prompt.of("my invoice is wrong"), Attribution.of("acme", "tickets"));
      assertThat(c.model()).hasToString("simulator/gpt-5-mini");
      // 100 input x 0.25 USD/M + 20 output x 2.00 USD/M
      assertThat(c.costUsd()).isEqualByComparingTo("0.000065");
      FakeProvider provider = ctx.getBean(FakeProvider.class);
      assertThat(provider.requests).singleElement().satisfies(r -> {
        assertThat(r.model()).isEqualTo("gpt-5-mini");
        assertThat(r.maxOutputTokens()).isEqualTo(50);
      });
    });
  }

  @Test
  void llmIsClosedWithTheContext() {
    runner.withUserConfiguration(FakeSimulator.class).withPropertyValues(POLICY).run(ctx -> {
      Llm llm = ctx.getBean(Llm.class);
      ctx.close();
      // A closed engine refuses async work: its executor was shut down by close().
      CompletableFuture<Completion> f = null;
      Throwable failure = null;
      try {
        f = llm.completeAsync(CompletionRequest.builder("classification", Prompt.of("x")).build());
        f.join();
      } catch (RuntimeException e) {
        failure = e;
      }
      assertThat(failure).isNotNull();
    });
  }

  @Test
  void aUserDefinedLlmWins() {
    runner.withUserConfiguration(UserLlm.class, FakeSimulator.class).withPropertyValues(POLICY).run(ctx -> {
      assertThat(ctx).hasSingleBean(Llm.class);
      assertThat(ctx.getBean(Llm.class)).isSameAs(UserLlm.INSTANCE);
    });
  }

  @Test
  void actuatorAbsentStillGivesTheLlm() {
    runner.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class))
        .withUserConfiguration(FakeSimulator.class).withPropertyValues(POLICY).run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx).hasSingleBean(Llm.class);
          assertThat(ctx).doesNotHaveBean(Finops4jEndpoint.class);
          assertThat(ctx).doesNotHaveBean(SpendAggregator.class);
          assertThat(ctx).doesNotHaveBean(Finops4jHealthIndicator.class);
        });
  }

  @Test
  void telemetryThatFailsToLinkShowsDownInHealthWhileCallsGoOn() throws Exception {
    try {
      runner.withUserConfiguration(FakeSimulator.class, StaleOpenTelemetry.class).withPropertyValues(POLICY)
          .run(ctx -> {
            Completion c = ctx.getBean(Llm.class).complete("classification", Prompt.of("Where is my order?"),
                Attribution.of("acme", "chat"));
            assertThat(c.text()).isNotNull();
            Health health = ctx.getBean(Finops4jHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP); // not fatal: calls go on
            @SuppressWarnings("unchecked")
            Map<String, Object> telemetry = (Map<String, Object>) health.getDetails().get("telemetry");
            assertThat(telemetry).containsEntry("status", "DOWN");
            assertThat(telemetry.get("reasons").toString()).contains("OpenTelemetry API")
                .contains("NoSuchMethodError").contains("and later");
          });
    } finally {
      // the status is process-wide, as a class path is: forget it for the other tests
      java.lang.reflect.Method reset = TelemetryStatus.class.getDeclaredMethod("reset");
      reset.setAccessible(true);
      reset.invoke(null);
    }
  }

  @Test
  void healthIsUpWithProviderNamesAndNoSettings() {
    runner.withUserConfiguration(FakeSimulator.class).withPropertyValues(POLICY)
        .withPropertyValues("finops4j.providers.openai.api-key=sk-secret-123").run(ctx -> {
          Health health = ctx.getBean(Finops4jHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("providers", List.of("simulator", "openai"))
              .containsEntry("tiers", List.of("small", "medium"))
              .containsEntry("tasks", List.of("classification", "support-reply"));
          assertThat(health.toString()).doesNotContain("sk-secret-123");
        });
  }

  @Test
  void endpointShowsPolicyPricesAndTodaysSpend() {
    runner.withUserConfiguration(FakeSimulator.class).withPropertyValues(POLICY)
        .withPropertyValues("finops4j.budgets[0].scope=customer", "finops4j.budgets[0].limit=50.00",
            "finops4j.providers.openai.api-key=sk-secret-123")
        .run(ctx -> {
          Llm llm = ctx.getBean(Llm.class);
          llm.complete("classification", Prompt.of("a"), Attribution.of("acme", "tickets"));
          llm.complete("classification", Prompt.of("b"), Attribution.of("globex", "tickets"));
          llm.complete("support-reply", Prompt.of("c"), Attribution.of("acme", "support"));
          Map<String, Object> report = ctx.getBean(Finops4jEndpoint.class).report();
          assertThat(report.get("priceTableVersion")).isEqualTo("2026-12-03");
          assertThat(report.get("providers")).isEqualTo(List.of("simulator", "openai"));
          assertThat(report.get("tiers")).isEqualTo(Map.of("small", List.of("simulator/gpt-5-mini"),
              "medium", List.of("simulator/gpt-5")));
          assertThat(report.get("tasks")).isEqualTo(Map.of(
              "classification", Map.of("tier", "small", "max-output-tokens", "50"),
              "support-reply", Map.of("tier", "medium")));
          // no BudgetView bean of the app's own: the Llm's live budgets, one counter per customer charged
          @SuppressWarnings("unchecked")
          List<Map<String, Object>> budgets = (List<Map<String, Object>>) report.get("budgets");
          assertThat(budgets).extracting(b -> b.get("key")).containsExactlyInAnyOrder("acme", "globex");
          assertThat(budgets).allSatisfy(b -> assertThat(b.get("limit")).isEqualTo("50.00"));
          @SuppressWarnings("unchecked")
          Map<String, Object> spend = (Map<String, Object>) report.get("spendToday");
          assertThat(spend.get("date")).isEqualTo("2026-11-24");
          // tickets: 2 x 0.000065; support on gpt-5: 100 x 1.25/M + 20 x 10/M = 0.000325
          assertThat(spend.get("byFeature")).isEqualTo(List.of(
              Map.of("name", "support", "calls", 1L, "costUsd", "0.000325"),
              Map.of("name", "tickets", "calls", 2L, "costUsd", "0.00013")));
          assertThat(spend.get("byModel")).isEqualTo(List.of(
              Map.of("name", "simulator/gpt-5", "calls", 1L, "costUsd", "0.000325"),
              Map.of("name", "simulator/gpt-5-mini", "calls", 2L, "costUsd", "0.00013")));
          assertThat(report.toString()).doesNotContain("sk-secret-123");
        });
  }

  @Test
  void endpointShowsLiveBudgetsFromABudgetViewBean() {
    runner.withUserConfiguration(FakeSimulator.class, LiveBudgets.class).withPropertyValues(POLICY).run(ctx -> {
      Map<String, Object> report = ctx.getBean(Finops4jEndpoint.class).report();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("budgets");
      assertThat(rows).hasSize(1);
      Map<String, Object> expected = new java.util.LinkedHashMap<>();
      expected.put("id", "global-month");
      expected.put("scope", "global");
      expected.put("key", null);
      expected.put("unit", "USD");
      expected.put("limit", "100.00");
      expected.put("spent", "25.50");
      expected.put("reserved", "1.25");
      expected.put("utilization", 0.255);
      expected.put("resetsAt", "2026-12-01T00:00:00Z");
      assertThat(rows.get(0)).isEqualTo(expected);
      assertThat(ctx.getBean(Finops4jEndpoint.class).customer("acme"))
          .isEqualTo(Map.of("customer", "acme", "budgets", List.of(expected)));
    });
  }

  @Test
  void endpointCanBeSwitchedOff() {
    runner.withUserConfiguration(FakeSimulator.class).withPropertyValues(POLICY)
        .withPropertyValues("management.endpoint.finops4j.access=NONE")
        .run(ctx -> {
          assertThat(ctx).hasSingleBean(Llm.class);
          assertThat(ctx).doesNotHaveBean(Finops4jEndpoint.class);
        });
  }

  @Test
  void healthIndicatorCanBeSwitchedOff() {
    runner.withUserConfiguration(FakeSimulator.class).withPropertyValues(POLICY)
        .withPropertyValues("management.health.finops4j.enabled=false")
        .run(ctx -> {
          assertThat(ctx).hasSingleBean(Llm.class);
          assertThat(ctx).doesNotHaveBean(Finops4jHealthIndicator.class);
          assertThat(ctx).hasSingleBean(Finops4jEndpoint.class);
        });
  }

  @Test
  void customizersRunInOrderAfterTheProperties() {
    runner.withUserConfiguration(FakeSimulator.class, OrderedCustomizers.class).withPropertyValues(POLICY)
        .run(ctx -> assertThat(OrderedCustomizers.calls).containsExactly("first", "second"));
  }

  @Test
  void aBadTierStopsStartUpWithAnAnalysisNamingTheKey() {
    runner.withUserConfiguration(FakeSimulator.class).withPropertyValues(POLICY)
        .withPropertyValues("finops4j.tasks.classification.tier=tiny").run(ctx -> {
          assertThat(ctx).hasFailed();
          Throwable failure = ctx.getStartupFailure();
          FailureAnalysis analysis = new Finops4jFailureAnalyzer(null).analyze(failure);
          assertThat(analysis).isNotNull();
          assertThat(analysis.getDescription())
              .contains("Property: finops4j.tasks.classification.tier")
              .contains("expected one of [medium, small], got 'tiny'")
              .contains("(in application properties)");
          assertThat(analysis.getAction()).contains("'finops4j.tasks.classification.tier'")
              .contains("FINOPS4J_TASKS_CLASSIFICATION_TIER");
        });
  }

  @Test
  void anUnknownKeyIsNamedWithTheKeysThatExist() {
    runner.withUserConfiguration(FakeSimulator.class).withPropertyValues(POLICY)
        .withPropertyValues("finops4j.tasks.classification.max-tokens=5").run(ctx -> {
          FailureAnalysis analysis = new Finops4jFailureAnalyzer(null).analyze(ctx.getStartupFailure());
          assertThat(analysis.getDescription()).contains("Property: finops4j.tasks.classification.max-tokens")
              .contains("unknown key; expected one of [")
              .contains("max-output-tokens");
        });
  }

  @Test
  void anUnsetEnvironmentPlaceholderNamesTheKeyThatUsesIt() {
    runner.withPropertyValues("finops4j.providers.openai.api-key=${FINOPS4J_TEST_UNSET_VARIABLE}").run(ctx -> {
      assertThat(ctx).hasFailed();
      FailureAnalysis analysis = new Finops4jFailureAnalyzer(null).analyze(ctx.getStartupFailure());
      assertThat(analysis.getDescription()).contains("Property: finops4j.providers.openai.api-key")
          .contains("FINOPS4J_TEST_UNSET_VARIABLE is not set");
    });
  }

  @Test
  void envNameFollowsSpringsRules() {
    assertThat(Finops4jFailureAnalyzer.envName("finops4j.budgets[1].alert-at")).isEqualTo("FINOPS4J_BUDGETS_1_ALERTAT");
  }

  /** Stands in for the simulator provider until the providers module is wired into the builder. */
  @Configuration(proxyBeanMethods = false)
  static class FakeSimulator {
    @Bean
    FakeProvider fakeSimulator() {
      return new FakeProvider("simulator");
    }

    @Bean
    Finops4jBuilderCustomizer fakeSimulatorCustomizer(FakeProvider provider) {
      return builder -> builder.provider(provider)
          .clock(Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserLlm {
    static final Llm INSTANCE = new Llm() {
      @Override
      public Completion complete(CompletionRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletableFuture<Completion> completeAsync(CompletionRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Completion stream(CompletionRequest request, TextListener listener) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {}
    };

    @Bean
    Llm userLlm() {
      return INSTANCE;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OrderedCustomizers {
    static final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Bean
    @org.springframework.core.annotation.Order(2)
    Finops4jBuilderCustomizer second() {
      return builder -> calls.add("second");
    }

    @Bean
    @org.springframework.core.annotation.Order(1)
    Finops4jBuilderCustomizer first() {
      return builder -> calls.add("first");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class LiveBudgets {
    @Bean
    BudgetView budgetView() {
      return attribution -> attribution.customer() != null && !attribution.customer().equals("acme") ? List.of()
          : List.of(new BudgetUsage("global-month", "global", null, "USD", new BigDecimal("100.00"),
          new BigDecimal("25.50"), new BigDecimal("1.25"), Instant.parse("2026-12-01T00:00:00Z"), 0.8));
    }
  }


  /** An OpenTelemetry whose tracer fails as an older API jar would: with a LinkageError. */
  @Configuration(proxyBeanMethods = false)
  static class StaleOpenTelemetry {
    @Bean
    OpenTelemetry staleOpenTelemetry() {
      Tracer stale = name -> {
        throw new NoSuchMethodError("'boolean io.opentelemetry.api.GlobalOpenTelemetry.isSet()'");
      };
      return new OpenTelemetry() {
        @Override
        public TracerProvider getTracerProvider() {
          return new TracerProvider() {
            @Override
            public Tracer get(String scope) {
              return stale;
            }

            @Override
            public Tracer get(String scope, String version) {
              return stale;
            }

            @Override
            public TracerBuilder tracerBuilder(String scope) {
              return new TracerBuilder() {
                @Override
                public TracerBuilder setSchemaUrl(String url) {
                  return this;
                }

                @Override
                public TracerBuilder setInstrumentationVersion(String version) {
                  return this;
                }

                @Override
                public Tracer build() {
                  return stale;
                }
              };
            }
          };
        }

        @Override
        public ContextPropagators getPropagators() {
          return ContextPropagators.noop();
        }
      };
    }
  }
}
