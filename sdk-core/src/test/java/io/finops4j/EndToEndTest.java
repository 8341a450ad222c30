package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.core.ConfigLoader;
import io.finops4j.ledger.JsonlLedgerReader;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.lettuce.core.RedisClient;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole library from YAML: simulator, routing, budgets (in memory and on Redis), telemetry and the ledger. */
class EndToEndTest {

  private static final AttributeKey<Long> ATTEMPT_INDEX = AttributeKey.longKey("finops4j.attempt.index");

  private static final String REDIS = System.getenv().getOrDefault("FINOPS4J_TEST_REDIS_URL", "redis://127.0.0.1:6379");

  private static Llm fromYaml(String yaml) {
    return Finops4j.builder().config(ConfigLoader.load(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml")).build();
  }

  private static final String POLICY = """
      finops4j:
        providers:
          simulator: { seed: 7 }
        tiers:
          small: [simulator/gpt-5-mini]
          large: [simulator/claude-opus-4-7]
        tasks:
          summarize: { tier: small, max-output-tokens: 300 }
          debugging: { tier: large, max-output-tokens: 800 }
      """;

  @Test
  void twoInstancesSharingARedisBudgetNeverOverspendIt() throws Exception {
    String prefix = "f4j-e2e-" + UUID.randomUUID();
    String yaml = POLICY + """
          budgets:
            - { id: shared, scope: global, limit: 0.25, period: day }
          budget: { store: redis, url: %s, key-prefix: %s, timeout: 5s }
        """.formatted(REDIS, prefix);
    List<BigDecimal> charged = new ArrayList<>();
    AtomicInteger rejected = new AtomicInteger();
    try (Llm a = fromYaml(yaml); Llm b = fromYaml(yaml)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Llm llm = t % 2 == 0 ? a : b;
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 40; i++) {
            try {
              Completion c = llm.complete("debugging", Prompt.of("why " + thread + "-" + i), Attribution.of("acme", "x"));
              synchronized (charged) {
                charged.add(c.costUsd());
              }
            } catch (BudgetExceededException e) {
              rejected.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      BigDecimal total = charged.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(total).isLessThanOrEqualTo(new BigDecimal("0.25"));
      assertThat(rejected.get()).as("the budget must have run out").isPositive();
      // both instances see the same counter: what was charged, and nothing left reserved
      for (Llm llm : List.of(a, b)) {
        BudgetView.BudgetUsage u = llm.budgets().usage(Attribution.NONE).get(0);
        assertThat(u.spent()).isEqualByComparingTo(total);
        assertThat(u.reserved()).isEqualByComparingTo("0");
      }
    } finally {
      RedisClient client = RedisClient.create(REDIS);
      try (var c = client.connect()) {
        List<String> keys = c.sync().keys("*" + prefix + "*");
        if (!keys.isEmpty()) {
          c.sync().del(keys.toArray(new String[0]));
        }
      } finally {
        client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS); // shutdown() can hang: lettuce#2278
      }
    }
  }

  @Test
  void everyCallIsOneLedgerRowAndTheTotalsAgree(@TempDir Path dir) throws Exception {
    Path ledger = dir.resolve("ledger.jsonl");
    BigDecimal total = BigDecimal.ZERO;
    try (Llm llm = fromYaml(POLICY + "  ledger: { type: jsonl, path: " + ledger + " }\n")) {
      for (int i = 0; i < 500; i++) {
        total = total.add(llm.complete(i % 5 == 0 ? "debugging" : "summarize", Prompt.of("text " + i),
            Attribution.builder().customer("c" + (i % 7)).feature("f").build()).costUsd());
      }
    }
    try (Stream<CallRecord> rows = JsonlLedgerReader.stream(ledger)) {
      List<CallRecord> all = rows.toList();
      assertThat(all).hasSize(500);
      assertThat(all.stream().map(CallRecord::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add))
          .isEqualByComparingTo(total);
      assertThat(all).allSatisfy(r -> assertThat(r.priceVersion()).isEqualTo("2026-12-03"));
    }
  }

  @Test
  void crossingABudgetAlertRegistersTheUtilizationGauge() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (Llm llm = Finops4j.builder().meterRegistry(meters).config(ConfigLoader.load(new ByteArrayInputStream((POLICY
        + "  budgets:\n    - { id: acme-day, scope: customer, limit: 0.01, period: day, alert-at: [0.0001] }\n")
        .getBytes(StandardCharsets.UTF_8)), "test.yaml")).build()) {
      llm.complete("summarize", Prompt.of("text"), Attribution.of("acme", "f"));
    }
    // The budget module's threshold event and telemetry agree on what utilization is: the gauge exists, and says
    // what fraction of the 0.01 USD limit the call spent.
    double u = meters.get("finops4j.budget.utilization").tag("budget", "acme-day").gauge().value();
    assertThat(u).isGreaterThan(0.0001).isLessThan(1.0);
  }

  @Test
  void buildLeavesTheBuilderAsItWasSoASecondLlmHasItsOwnLedger(@TempDir Path dir) throws Exception {
    Path first = dir.resolve("first.jsonl");
    Path second = dir.resolve("second.jsonl");
    List<CallRecord> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Finops4j.Builder builder = Finops4j.builder().listener(seen::add).config(ConfigLoader.load(
        new ByteArrayInputStream((POLICY + "  ledger: { type: jsonl, path: " + first + " }\n")
            .getBytes(StandardCharsets.UTF_8)), "test.yaml"));
    try (Llm a = builder.build()) {
      a.complete("summarize", Prompt.of("one"), Attribution.of("acme", "f"));
    }
    builder.config(ConfigLoader.load(new ByteArrayInputStream((POLICY + "  ledger: { type: jsonl, path: " + second
        + " }\n").getBytes(StandardCharsets.UTF_8)), "test.yaml"));
    try (Llm b = builder.build(); Llm c = builder.build()) {
      b.complete("summarize", Prompt.of("two"), Attribution.of("acme", "f"));
      c.complete("summarize", Prompt.of("three"), Attribution.of("acme", "f"));
    }
    // Before, a second build() also wrote through the first Llm's (closed) ledger writer, and listeners piled up.
    try (Stream<CallRecord> rows = JsonlLedgerReader.stream(first)) {
      assertThat(rows.count()).isEqualTo(1);
    }
    try (Stream<CallRecord> rows = JsonlLedgerReader.stream(second)) {
      assertThat(rows.count()).isEqualTo(2);
    }
    assertThat(seen).hasSize(3); // the builder's own listener, once per call
  }

  @Test
  void eachCallIsAChildSpanOfTheCallersSpanWithItsCostSyncAndAsync() throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
    try (Llm llm = Finops4j.builder().openTelemetry(otel).config(ConfigLoader.load(
        new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8)), "test.yaml")).build()) {
      Span outer = otel.getTracer("app").spanBuilder("handle-request").startSpan();
      Completion sync;
      Completion async;
      try (Scope ignored = outer.makeCurrent()) {
        sync = llm.complete("summarize", Prompt.of("sync"), Attribution.of("acme", "digest"));
        async = llm.completeAsync("summarize", Prompt.of("async"), Attribution.of("acme", "digest")).get();
      } finally {
        outer.end();
      }
      List<SpanData> calls = exporter.getFinishedSpanItems().stream()
          .filter(s -> s.getName().startsWith("chat ") && s.getAttributes().get(ATTEMPT_INDEX) == null).toList();
      // each call encloses its one provider attempt in a child span
      List<SpanData> attempts = exporter.getFinishedSpanItems().stream()
          .filter(s -> s.getAttributes().get(ATTEMPT_INDEX) != null).toList();
      assertThat(attempts).extracting(SpanData::getParentSpanId)
          .containsExactlyInAnyOrderElementsOf(calls.stream().map(SpanData::getSpanId).toList());
      assertThat(calls).hasSize(2).allSatisfy(s -> {
        assertThat(s.getParentSpanId()).isEqualTo(outer.getSpanContext().getSpanId());
        assertThat(s.getName()).isEqualTo("chat gpt-5-mini");
        assertThat(s.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("simulator");
        assertThat(s.getAttributes().get(AttributeKey.stringKey("finops4j.customer"))).isEqualTo("acme");
      });
      List<Double> costs = calls.stream().map(s -> s.getAttributes().get(AttributeKey.doubleKey("finops4j.cost.usd"))).toList();
      assertThat(costs).containsExactlyInAnyOrder(sync.costUsd().doubleValue(), async.costUsd().doubleValue());
    } finally {
      otel.close();
    }
  }
}
