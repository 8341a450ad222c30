package io.finops4j.benchmarks;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.budget.InMemoryBudgetStore;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Retained heap per 100,000 tracked budget keys and per 100,000 exact-cache entries (issue 12, target T9: at most
 * 32 MB per 100,000 budget keys). Heap is read after full GCs, before and after, with the measured objects alive.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.finops4j.benchmarks.Memory
 * </pre>
 */
public final class Memory {

  static final int KEYS = 100_000;

  public static void main(String[] args) throws Exception {
    System.out.printf(Locale.ROOT, "| budget counters (in-memory store), 100,000 keys | %.1f MB |%n", budgetKeys() / 1e6);
    System.out.printf(Locale.ROOT, "| exact-cache entries through llm.complete(), 100,000 answers | %.1f MB |%n",
        cacheEntries() / 1e6);
  }

  /** 100,000 customers, each with one reservation settled in its day window. */
  static long budgetKeys() {
    Instant now = Instant.parse("2026-11-24T10:00:00Z");
    long windowEnd = now.toEpochMilli() + 86_400_000L;
    long before = heapAfterGc();
    InMemoryBudgetStore store = new InMemoryBudgetStore();
    for (int i = 0; i < KEYS; i++) {
      String callId = "call-" + i;
      BudgetReservation r = store.reserve(callId, List.of(new BudgetCharge(
          new BudgetKey("customer-day", "customer-" + i, 0), 1_500_000, 1_000_000_000, windowEnd)), now);
      if (!r.granted()) {
        throw new IllegalStateException("reservation denied: " + r);
      }
      store.settle(callId, new long[] {1_000_000}, now);
    }
    long after = heapAfterGc();
    if (store.snapshots().size() != KEYS) {
      throw new IllegalStateException("expected " + KEYS + " counters, got " + store.snapshots().size());
    }
    return after - before;
  }

  /** 100,000 distinct classification prompts answered once each and kept by the exact cache. */
  static long cacheEntries() {
    String yaml = """
        finops4j:
          providers:
            openai: { api-key: sk-benchmark }
          tiers:
            small: [openai/gpt-5-mini]
          tasks:
            classification: { tier: small, max-output-tokens: 50, cache: { ttl: 1h } }
          cache: { max-size: 512MB }
        """;
    Llm llm = Finops4j.builder().config(ConfigLoader.load(new ByteArrayInputStream(
        yaml.getBytes(StandardCharsets.UTF_8)), "memory")).provider(new FacadeBenchmark.InstantProvider()).build();
    Attribution acme = Attribution.of("acme", "ticket-triage");
    // warm every class and static table before the first reading
    llm.complete("classification", Prompt.of("warm-up"), acme);
    long before = heapAfterGc();
    for (int i = 0; i < KEYS; i++) {
      llm.complete("classification", Prompt.of("Ticket " + i + ": I was charged twice this month."), acme);
    }
    long after = heapAfterGc();
    if (!llm.complete("classification", Prompt.of("Ticket 7: I was charged twice this month."), acme).cached()) {
      throw new IllegalStateException("the cache did not keep its entries");
    }
    llm.close();
    return after - before;
  }

  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private Memory() {}
}
