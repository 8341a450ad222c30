package io.finops4j.reports;

import io.finops4j.ledger.LedgerJson;

import io.finops4j.api.Attribution;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallRecord;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Not a test: a harness that times showback over a large generated JSONL ledger and reports the peak heap.
 * {@code java -cp ... io.finops4j.reports.ShowbackPerf generate /tmp/ledger-1m.jsonl 1000000} then
 * {@code java -Xmx512m -cp ... io.finops4j.reports.ShowbackPerf report /tmp/ledger-1m.jsonl}.
 */
public final class ShowbackPerf {

  private static final String[] FEATURES = {"support-reply", "classification", "summarize", "search-answer",
      "agent", "extract", "translate", "moderation", "code-review", "email-draft", "sql-gen", "chat"};
  private static final ModelId[] MODELS = {ModelId.parse("openai/gpt-5-mini"), ModelId.parse("openai/gpt-5"),
      ModelId.parse("anthropic/claude-haiku-4-5"), ModelId.parse("anthropic/claude-sonnet-4-6"),
      ModelId.parse("anthropic/claude-opus-4-7")};
  private static final String[] TIERS = {"small", "medium", "medium", "medium", "large"};
  private static final ModelPrice[] PRICES = {ModelPrice.of("0.25", "2"), ModelPrice.of("1.25", "10"),
      ModelPrice.of("1", "5"), ModelPrice.of("3", "15"), ModelPrice.of("5", "25")};

  private ShowbackPerf() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[1]);
    if (args[0].equals("generate")) {
      generate(file, Integer.parseInt(args[2]));
      return;
    }
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long t0 = System.nanoTime();
    ShowbackReport r;
    try (Stream<CallRecord> rows = JsonlLedger.read(file)) {
      r = Showback.run(rows, Period.all());
    }
    long t1 = System.nanoTime();
    String html = r.toHtml();
    long t2 = System.nanoTime();
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf("rows=%d cost=%s workflows=%d showback=%.2fs html=%.3fs (%d bytes) peakHeapSum=%dMB%n",
        r.totals().calls(), r.totals().costUsd().toPlainString(), r.loopLength().workflows(), (t1 - t0) / 1e9,
        (t2 - t1) / 1e9, html.length(), peak >> 20);
  }

  static void generate(Path file, int rows) throws Exception {
    Random rnd = new Random(42);
    Instant start = Instant.parse("2026-10-01T00:00:00Z");
    long spanSeconds = 60L * 86_400;
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      int workflow = 0;
      int left = 0;
      String customer = null;
      String feature = null;
      int m = 0;
      for (int i = 0; i < rows; i++) {
        if (left == 0) {
          workflow++;
          left = 1 + (int) Math.min(200, -Math.log(1 - rnd.nextDouble()) * 4);
          // Skewed customers: a few large tenants and a long tail.
          customer = "cust-" + (int) Math.floor(Math.pow(rnd.nextDouble(), 3) * 2000);
          feature = FEATURES[rnd.nextInt(FEATURES.length)];
          m = rnd.nextInt(MODELS.length);
        }
        left--;
        boolean hit = rnd.nextInt(10) == 0;
        long in = 200 + rnd.nextInt(4000);
        long cached = rnd.nextInt(3) == 0 ? in / 2 : 0;
        Usage usage = hit ? Usage.ZERO : Usage.builder().inputTokens(in).cachedInputTokens(cached)
            .outputTokens(50 + rnd.nextInt(800)).build();
        BigDecimal cost = PRICES[m].cost(usage);
        CallRecord r = CallRecord.builder()
            .timestamp(start.plusSeconds((long) i * spanSeconds / rows)).callId("c" + i)
            .attribution(Attribution.builder().customer(customer).feature(feature).workflow("wf-" + workflow)
                .user("u" + rnd.nextInt(5000)).team("team-" + (feature.length() % 4)).environment("prod").build())
            .taskType(feature).tier(TIERS[m]).model(MODELS[m]).usage(usage).costUsd(cost)
            .savedUsd(hit ? new BigDecimal("0.0004") : BigDecimal.ZERO).cacheStatus(hit ? "hit" : "miss")
            .routeReason("tier").attempts(1).latencyNanos(1_000_000L + rnd.nextInt(9_000_000))
            .outcome(CallRecord.OK).priceVersion("2026-11-01").build();
        out.write(LedgerJson.write(r));
        out.write('\n');
      }
    }
    System.out.println("wrote " + rows + " rows to " + file + " (" + (Files.size(file) >> 20) + " MB)");
  }

}
