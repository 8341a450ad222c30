package io.finops4j.examples;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Finops4jException;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.reports.Period;
import io.finops4j.reports.Showback;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** feature, task type, system prompt, then the user prompts it sees. */
  private static final String[][] WORK = {
      {"ticket-triage", "classification", "Classify the ticket as billing, bug, account or other. Answer with one word.",
          "I was charged twice for the October invoice, can you refund one of them?",
          "The export button does nothing in Firefox.",
          "Please add my colleague to our workspace.",
          "Why is my invoice higher this month?"},
      {"support-chat", "support-reply", "You are a friendly support agent for a project-management SaaS. Be concise.",
          "How do I move a task from one board to another without losing its comments and attachments?",
          "Can I get a reminder the day before a task is due?",
          "Why do my board filters reset? First I set them, then I switch boards, then I come back and they are gone. "
              + "Explain why and compare it with how saved views work, step by step."},
      {"weekly-digest", "summarize", "Summarize the week's activity for a team lead in five bullet points.",
          "Monday: 14 tasks closed, 3 reopened. Tuesday: release 4.2 shipped. Wednesday: outage of 20 minutes on "
              + "the sync service. Thursday: two new customers onboarded. Friday: planning for Q1."},
      {"code-assistant", "debugging", "You are a senior Java engineer. Explain the root cause, then the fix.",
          "My CompletableFuture chain never completes when the executor is a fixed pool of 2 threads and each "
              + "stage calls join() on another future submitted to the same pool. Why?",
          "Why does this NPE only happen in production?\n```java\nmap.get(key).trim();\n```"},
  };

  private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

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
      int rejections = 0;
      LocalTime clock = LocalTime.of(8, 0);
      for (int i = 0; i < calls; i++) {
        clock = clock.plus(Duration.ofSeconds(30 + random.nextInt(150)));
        if (i == calls / 2 && !real) {
          runawayAgent(llm, clock);
        }
        String customer = CUSTOMERS[random.nextInt(CUSTOMERS.length)];
        String[] work = WORK[weightedWork(random)];
        Attribution who = Attribution.builder().customer(customer).feature(work[0])
            .workflow(customer + "-" + work[0] + "-" + (i / 6)).user("user-" + random.nextInt(20)).build();
        Prompt prompt = Prompt.builder().system(work[2]).user(work[3 + random.nextInt(work.length - 3)]).build();
        try {
          Completion c = llm.complete(work[1], prompt, who);
          if (real || i % 12 == 0 || c.cached() && i % 4 == 0 || c.route().reasons().size() > 1 && i % 3 == 0) {
            System.out.printf("%s  %-9s %-15s %-14s -> %-36s %5d in %5d out  $%s%n", TIME.format(clock), customer, work[0],
                work[1], c.model() + " (" + c.tier() + ")", c.usage().inputTokens(), c.usage().outputTokens(),
                usd(c.costUsd(), 6) + (c.cached() ? "  cache hit, saved $" + usd(c.savedUsd(), 6) : "")
                    + (c.route().reasons().size() > 1 ? "  [" + c.route().reasons().get(c.route().reasons().size() - 1) + "]" : ""));
          }
        } catch (Finops4jException e) {
          if (rejections++ < 6) {
            System.out.printf("%s  %-9s %-15s REJECTED: %s%n", TIME.format(clock), customer, work[0], e.getMessage());
          }
        }
      }
    }
    report(ledger);
  }

  /** An agent that keeps calling itself: the workflow cap stops it, whatever it would have spent. */
  private static void runawayAgent(Llm llm, LocalTime clock) {
    Attribution run = Attribution.builder().customer("umbrella").feature("code-assistant").workflow("agent-run-7").build();
    Prompt prompt = Prompt.builder().system("You are an autonomous coding agent. Plan, act, reflect, repeat.")
        .user("Fix the failing build and keep going until every test passes.").build();
    for (int step = 1; step <= 50; step++) {
      try {
        llm.complete("debugging", prompt, run);
      } catch (Finops4jException e) {
        System.out.printf("%s  umbrella  agent-run-7     step %d STOPPED: %s%n", TIME.format(clock), step, e.getMessage());
        return;
      }
    }
  }

  /** Classification is the bulk of the traffic; debugging is rare and expensive. */
  private static int weightedWork(Random random) {
    int r = random.nextInt(100);
    return r < 50 ? 0 : r < 80 ? 1 : r < 93 ? 2 : 3;
  }

  private static void report(List<CallRecord> ledger) {
    BigDecimal total = ledger.stream().map(CallRecord::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal saved = ledger.stream().map(CallRecord::savedUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    long ok = ledger.stream().filter(r -> CallRecord.OK.equals(r.outcome())).count();
    long hits = ledger.stream().filter(r -> "hit".equals(r.cacheStatus())).count();
    System.out.printf("%n%d calls: %d answered (%d from cache, saving $%s), %d rejected by budgets, %d by caps."
        + " Total cost $%s%n", ledger.size(), ok, hits, usd(saved, 4),
        ledger.stream().filter(r -> CallRecord.REJECTED_BUDGET.equals(r.outcome())).count(),
        ledger.stream().filter(r -> CallRecord.REJECTED_CAP.equals(r.outcome())).count(), usd(total, 4));
    Path html = Path.of("target", "showback.html");
    try {
      Files.createDirectories(html.getParent());
      Files.writeString(html, Showback.run(ledger, Period.all()).toHtml());
      System.out.println("Every call is also a row of the ledger in target/demo-ledger-<date>.jsonl; the showback"
          + " page is " + html.toAbsolutePath());
    } catch (java.io.IOException e) {
      System.out.println("could not write " + html + ": " + e);
    }
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
