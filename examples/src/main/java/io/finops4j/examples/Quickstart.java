package io.finops4j.examples;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Finops4jException;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.CallRecord;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A realistic day of LLM traffic for a small SaaS: four customers, four features, four task types. Runs offline
 * on the built-in simulator provider (no API key, no network) and prints each call and where the money went.
 *
 * <p>With {@code OPENAI_API_KEY} set, the same code runs a few calls against OpenAI instead.
 */
public final class Quickstart {

  private static final String[] CUSTOMERS = {"acme", "acme", "acme", "globex", "globex", "initech", "umbrella"};

  /** feature, task type, system prompt, user prompt. */
  private static final String[][] WORK = {
      {"ticket-triage", "classification", "Classify the ticket as billing, bug, account or other. Answer with one word.",
          "I was charged twice for the October invoice, can you refund one of them?"},
      {"support-chat", "support-reply", "You are a friendly support agent for a project-management SaaS. Be concise.",
          "How do I move a task from one board to another without losing its comments and attachments?"},
      {"weekly-digest", "summarize", "Summarize the week's activity for a team lead in five bullet points.",
          "Monday: 14 tasks closed, 3 reopened. Tuesday: release 4.2 shipped. Wednesday: outage of 20 minutes on "
              + "the sync service. Thursday: two new customers onboarded. Friday: planning for Q1."},
      {"code-assistant", "debugging", "You are a senior Java engineer. Explain the root cause, then the fix.",
          "My CompletableFuture chain never completes when the executor is a fixed pool of 2 threads and each "
              + "stage calls join() on another future submitted to the same pool. Why?"},
  };

  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    boolean real = System.getenv("OPENAI_API_KEY") != null;
    int calls = real ? 4 : Integer.parseInt(System.getProperty("calls", "240"));
    List<CallRecord> ledger = new CopyOnWriteArrayList<>();
    String config = real ? "/finops4j-openai.yaml" : "/finops4j-demo.yaml";

    System.out.printf("finops4j quickstart: %d calls on %s%n%n", calls, real ? "OpenAI" : "the offline simulator");
    try (InputStream yaml = Quickstart.class.getResourceAsStream(config);
         Llm llm = Finops4j.builder().config(io.finops4j.core.ConfigLoader.load(yaml, config))
             .listener(ledger::add).build()) {
      Random random = new Random(7);
      LocalTime clock = LocalTime.of(8, 0);
      for (int i = 0; i < calls; i++) {
        clock = clock.plus(Duration.ofSeconds(30 + random.nextInt(150)));
        String customer = CUSTOMERS[random.nextInt(CUSTOMERS.length)];
        String[] work = WORK[weightedWork(random)];
        Attribution who = Attribution.builder().customer(customer).feature(work[0])
            .workflow(customer + "-" + work[0] + "-" + (i / 6)).user("user-" + random.nextInt(20)).build();
        Prompt prompt = Prompt.builder().system(work[2]).user(work[3]).build();
        try {
          Completion c = llm.complete(work[1], prompt, who);
          if (real || i % 12 == 0) {
            System.out.printf("%s  %-9s %-15s %-14s -> %-28s %5d in %5d out  $%s%n", clock, customer, work[0],
                work[1], c.model() + " (" + c.tier() + ")", c.usage().inputTokens(), c.usage().outputTokens(),
                usd(c.costUsd(), 6));
          }
        } catch (Finops4jException e) {
          System.out.printf("%s  %-9s %-15s REJECTED: %s%n", clock, customer, work[0], e.getMessage());
        }
      }
    }
    report(ledger);
  }

  /** Classification is the bulk of the traffic; debugging is rare and expensive. */
  private static int weightedWork(Random random) {
    int r = random.nextInt(100);
    return r < 50 ? 0 : r < 80 ? 1 : r < 93 ? 2 : 3;
  }

  private static void report(List<CallRecord> ledger) {
    BigDecimal total = ledger.stream().map(CallRecord::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    long ok = ledger.stream().filter(r -> CallRecord.OK.equals(r.outcome())).count();
    System.out.printf("%n%d calls, %d answered, total cost $%s%n", ledger.size(), ok, usd(total, 4));
    table("customer", ledger, r -> r.attribution().customer(), total);
    table("feature", ledger, r -> r.attribution().feature(), total);
    table("model", ledger, r -> r.model() == null ? "(none)" : r.model().toString(), total);
    table("tier", ledger, r -> r.tier() == null ? "(forced)" : r.tier(), total);
  }

  private static void table(String title, List<CallRecord> ledger, Function<CallRecord, String> key, BigDecimal total) {
    Map<String, BigDecimal> cost = new TreeMap<>();
    Map<String, Integer> count = new TreeMap<>();
    Map<String, Long> tokens = new TreeMap<>();
    for (CallRecord r : ledger) {
      String k = key.apply(r);
      cost.merge(k, r.costUsd(), BigDecimal::add);
      count.merge(k, 1, Integer::sum);
      tokens.merge(k, r.usage().totalTokens(), Long::sum);
    }
    System.out.printf("%n%-30s %7s %10s %12s %7s%n", "by " + title, "calls", "tokens", "cost USD", "share");
    cost.entrySet().stream().sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed()).forEach(e ->
        System.out.printf("%-30s %7d %10d %12s %6s%%%n", e.getKey(), count.get(e.getKey()), tokens.get(e.getKey()),
            usd(e.getValue(), 6), total.signum() == 0 ? "0"
                : e.getValue().multiply(BigDecimal.valueOf(100)).divide(total, 1, RoundingMode.HALF_UP)));
  }

  private static String usd(BigDecimal v, int scale) {
    return v.setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }
}
