package io.finops4j.examples;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.Completion;
import io.finops4j.api.Finops4jException;
import io.finops4j.api.Llm;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.core.ConfigLoader;
import io.finops4j.core.PriceCatalog;
import io.finops4j.reports.AnomalyDetector;
import io.finops4j.reports.AnomalyReport;
import io.finops4j.reports.Forecast;
import io.finops4j.reports.ForecastReport;
import io.finops4j.reports.Period;
import io.finops4j.reports.Rejections;
import io.finops4j.reports.Replay;
import io.finops4j.reports.ReplayReport;
import io.finops4j.reports.Review;
import io.finops4j.reports.Showback;
import io.finops4j.reports.ShowbackReport;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A month in the life of a small SaaS that ships LLM features, on the offline simulator (no API key, no network):
 * 30 days of traffic from four customers on four features, on a simulated clock, with the stories a FinOps review is
 * about. On day 18 a prompt-template change makes every support reply three times longer to read; on day 24 an agent
 * loops on itself until the workflow cap stops it; one customer runs out of its monthly budget; the code assistant is
 * moved to a cheaper tier as its budget fills. Then the review: spend by customer and feature, the anomalies, the
 * month-end forecast and a what-if replay, on screen and as one HTML page.
 *
 * <p>Each run writes a fresh ledger ({@code target/demo-ledger*.jsonl}); {@code -Dappend=true} keeps the old rows.
 * With {@code OPENAI_API_KEY} set, the same code makes four real calls to OpenAI instead.
 */
public final class Quickstart {

  /** The simulated month: the 30 days that end today. */
  static final int DAYS = 30;
  static final int PROMPT_CHANGE_DAY = 18;
  static final int RUNAWAY_AGENT_DAY = 24;

  private static final String[] CUSTOMERS = {"acme", "acme", "acme", "globex", "globex", "initech", "umbrella"};

  private static final String TRIAGE = "Classify the ticket as billing, bug, account or other. Answer with one word.";
  private static final String SUPPORT = "You are a friendly support agent for a project-management SaaS. Be concise.";
  /** Day 18's template change: the whole help-center policy pasted into every support prompt. */
  private static final String SUPPORT_WITH_POLICY = SUPPORT + " Follow the support policy below word for word.\n"
      + "Policy: refunds, escalations, data exports, account ownership, security questions, SLAs. ".repeat(40);
  private static final String DIGEST = "Summarize the week's activity for a team lead in five bullet points.";
  private static final String CODE = "You are a senior Java engineer. Explain the root cause, then the fix.";

  private static final String[] TICKETS = {
      "I was charged twice for the October invoice, can you refund one of them?",
      "The export button does nothing in Firefox.", "Please add my colleague to our workspace.",
      "Why is my invoice higher this month?", "The app logs me out every five minutes."};
  private static final String[] QUESTIONS = {
      "How do I move a task from one board to another without losing its comments and attachments?",
      "Can I get a reminder the day before a task is due?",
      "Why do my board filters reset when I switch boards and come back?"};
  private static final String[] BUGS = {
      "My CompletableFuture chain never completes when every stage calls join() on the same fixed pool. Why?",
      "Why does this NPE only happen in production?\n```java\nmap.get(key).trim();\n```"};

  /** The first budget refusal of the month, as the caller saw it. */
  private static String firstRefusal;

  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    if (System.getenv("OPENAI_API_KEY") != null) {
      RealCalls.run();
      return;
    }
    Path target = Path.of("target");
    if (!Boolean.getBoolean("append")) {
      deleteLedger(target);
    }
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate first = today.minusDays(DAYS - 1L);
    SimulatedClock clock = new SimulatedClock(first.atStartOfDay(ZoneOffset.UTC).toInstant());
    List<CallRecord> ledger = new CopyOnWriteArrayList<>();

    System.out.printf("finops4j: a month of LLM traffic, %s to %s, on the offline simulator%n%n", first, today);
    try (InputStream yaml = Quickstart.class.getResourceAsStream("/finops4j-demo.yaml");
         Llm llm = Finops4j.builder().config(ConfigLoader.load(yaml, "finops4j-demo.yaml")).clock(clock)
             .listener(ledger::add).build()) {
      Random random = new Random(7);
      for (int day = 1; day <= DAYS; day++) {
        LocalDate date = first.plusDays(day - 1L);
        clock.set(date.atTime(8, 0).toInstant(ZoneOffset.UTC));
        int calls = date.getDayOfWeek().getValue() >= 6 ? 40 : 110;
        for (int i = 0; i < calls; i++) {
          clock.advanceSeconds(240 + random.nextInt(120));
          oneCall(llm, random, day, date, i);
        }
        if (day == RUNAWAY_AGENT_DAY) {
          runawayAgent(llm, date);
        }
      }
    }

    Period month = Period.of(first, today);
    printStory(ledger);
    ShowbackReport showback = Showback.run(ledger, month, 5);
    System.out.println(section("Spend by customer and feature"));
    System.out.print(showback.toText());

    AnomalyReport anomalies = AnomalyDetector.builder().sessionCostUsd(new BigDecimal("0.05"))
        .minWeeklyBaselineUsd(new BigDecimal("0.10")).build().detect(ledger, month);
    System.out.println(section("Anomalies"));
    anomalies.anomalies().forEach(a -> System.out.printf("  day %2d (%s)  %-20s %-15s %-9s %s%n",
        first.until(a.firstDay()).getDays() + 1, a.firstDay(), a.kind(), a.feature(),
        a.customer() == null ? "" : a.customer(), a.workflow() == null ? a.detail() : a.workflow() + ": " + a.detail()));

    ForecastReport forecast = Forecast.run(ledger, today, Map.of());
    System.out.println(section("Month-end forecast"));
    System.out.print(forecast.toText());

    ModelId haiku = ModelId.parse("simulator/claude-haiku-4-5");
    ReplayReport replay = Replay.substitute(ledger, month, "support-chat", haiku,
        PriceCatalog.bundled().price(ModelId.parse("anthropic/claude-haiku-4-5")));
    System.out.println(section("What if support-chat ran on claude-haiku-4-5?"));
    System.out.print(replay.toText());

    Path html = target.resolve("showback.html");
    Files.createDirectories(target);
    // one page for the review: charts and showback, then who was refused, the anomalies, the forecast, the what-if
    Files.writeString(html, Review.page(showback, Rejections.run(ledger, month), anomalies, forecast, replay));
    System.out.printf("%nThe ledger is target/demo-ledger*.jsonl (one file a day, %d rows); the review page (charts,"
        + " refusals, anomalies, forecast, what-if) is %s%n"
        + "The command line reads the same ledger: bin/finops4j report --ledger target/demo-ledger.jsonl%n",
        ledger.size(), html.toAbsolutePath());
  }

  private static void oneCall(Llm llm, Random random, int day, LocalDate date, int i) {
    String customer = CUSTOMERS[random.nextInt(CUSTOMERS.length)];
    int r = random.nextInt(100);
    String feature;
    String task;
    Prompt prompt;
    if (r < 50) {
      feature = "ticket-triage";
      task = "classification";
      prompt = Prompt.builder().system(TRIAGE).user(TICKETS[random.nextInt(TICKETS.length)]).build();
    } else if (r < 85) {
      feature = "support-chat";
      task = "support-reply";
      prompt = Prompt.builder().system(day >= PROMPT_CHANGE_DAY ? SUPPORT_WITH_POLICY : SUPPORT)
          .user(QUESTIONS[random.nextInt(QUESTIONS.length)] + " (ticket " + day + "-" + i + ")").build();
    } else if (r < 97) {
      feature = "weekly-digest";
      task = "summarize";
      prompt = Prompt.builder().system(DIGEST).user("Activity of " + customer + " until " + date + ": 14 tasks"
          + " closed, 3 reopened, release shipped, 20-minute outage, two customers onboarded.").build();
    } else {
      feature = "code-assistant";
      task = "debugging";
      prompt = Prompt.builder().system(CODE).user(BUGS[random.nextInt(BUGS.length)] + " #" + day + "-" + i).build();
    }
    Attribution who = Attribution.builder().customer(customer).feature(feature)
        .workflow(customer + "-" + feature + "-" + day + "-" + (i / 5)).user("user-" + random.nextInt(20)).build();
    try {
      llm.complete(task, prompt, who);
    } catch (BudgetExceededException refused) { // the ledger has the row; the story below counts them
      if (firstRefusal == null) {
        firstRefusal = "day " + day + ": " + refused.getMessage();
      }
    } catch (Finops4jException refused) {
      // a cap said no: the ledger has the row too
    }
  }

  /** An agent that keeps calling itself: the workflow cap stops it, whatever it would have spent. */
  private static void runawayAgent(Llm llm, LocalDate date) {
    Attribution run = Attribution.builder().customer("umbrella").feature("code-assistant")
        .workflow("agent-run-" + date).build();
    Prompt prompt = Prompt.builder().system("You are an autonomous coding agent. Plan, act, reflect, repeat.")
        .user("Fix the failing build and keep going until every test passes.").build();
    for (int step = 1; step <= 50; step++) {
      try {
        llm.complete("debugging", prompt, run);
      } catch (Finops4jException e) {
        System.out.printf("day %d: the agent agent-run-%s was stopped at step %d: %s%n%n", RUNAWAY_AGENT_DAY, date,
            step, e.getMessage());
        return;
      }
    }
  }

  private static void printStory(List<CallRecord> ledger) {
    BigDecimal total = sum(ledger, null);
    long hits = ledger.stream().filter(r -> "hit".equals(r.cacheStatus())).count();
    long budget = ledger.stream().filter(r -> CallRecord.REJECTED_BUDGET.equals(r.outcome())).count();
    long caps = ledger.stream().filter(r -> CallRecord.REJECTED_CAP.equals(r.outcome())).count();
    long downgraded = ledger.stream().filter(r -> r.routeReason() != null && r.routeReason().contains("downgraded"))
        .count();
    System.out.printf("%d calls, $%s in all: %d answered from cache (saving $%s), %d refused by budgets, %d by caps,"
            + " %d moved to a cheaper tier by a budget.%n", ledger.size(), usd(total), hits,
        usd(ledger.stream().map(CallRecord::savedUsd).reduce(BigDecimal.ZERO, BigDecimal::add)), budget, caps,
        downgraded);
    if (firstRefusal != null) {
      System.out.printf("The first budget refusal, %s%n", firstRefusal);
    }
  }

  private static BigDecimal sum(List<CallRecord> ledger, String feature) {
    return ledger.stream().filter(r -> feature == null || feature.equals(r.attribution().feature()))
        .map(CallRecord::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static String section(String title) {
    return "\n" + title + "\n" + "-".repeat(title.length());
  }

  private static String usd(BigDecimal v) {
    return v.setScale(4, RoundingMode.HALF_UP).toPlainString();
  }

  private static void deleteLedger(Path target) throws IOException {
    if (!Files.isDirectory(target)) {
      return;
    }
    try (DirectoryStream<Path> old = Files.newDirectoryStream(target, "demo-ledger*.jsonl")) {
      for (Path p : old) {
        Files.delete(p);
      }
    }
  }

  /** A clock the demo moves by hand: the budgets' windows and the ledger's timestamps follow it. */
  static final class SimulatedClock extends Clock {
    private volatile Instant now;

    SimulatedClock(Instant start) {
      this.now = start;
    }

    void set(Instant t) {
      now = t;
    }

    void advanceSeconds(long seconds) {
      now = now.plusSeconds(seconds);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the demo's clock is UTC");
    }
  }

  /** Four calls to OpenAI with the same API, when {@code OPENAI_API_KEY} is set. */
  private static final class RealCalls {
    static void run() throws IOException {
      try (InputStream yaml = Quickstart.class.getResourceAsStream("/finops4j-openai.yaml");
           Llm llm = Finops4j.builder().config(ConfigLoader.load(yaml, "finops4j-openai.yaml")).build()) {
        for (String ticket : List.of(TICKETS).subList(0, 4)) {
          Completion c = llm.complete("classification", Prompt.builder().system(TRIAGE).user(ticket).build(),
              Attribution.of("acme", "ticket-triage"));
          System.out.printf("%-10s %s  $%s%n", c.text(), c.model(), c.costUsd().toPlainString());
        }
      }
    }
  }
}
