package io.finops4j.examples;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.Tool;
import io.finops4j.api.ToolCall;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * An agent's tool loop on the offline simulator (no API key, no network): the model asks for a tool, the code runs
 * it and sends the result back, round after round, each round trip a call of its own, priced and spent on the same
 * workflow. The agent here never decides it is done, as a buggy agent would not: the workflow cap stops it.
 *
 * <pre>{@code ./mvnw -q -pl examples exec:java -Dexec.mainClass=io.finops4j.examples.ToolLoop}</pre>
 */
public final class ToolLoop {

  static final String POLICY = """
      finops4j:
        providers:
          simulator: { seed: 7 }
        tiers:
          small: [simulator/gpt-5-mini]
        tasks:
          agent: { tier: small, max-output-tokens: 2000 }
        workflow-caps: { max-calls: 6, max-cost: 0.50 }     # an agent run: at most 6 calls and 0.50 USD
      """;

  static final Tool WEATHER = Tool.of("get_weather", "The current weather in a city", """
      {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

  private ToolLoop() {}

  /** What a run did: the round trips it made, what they cost, and the cap that stopped it (null if none did). */
  record Run(int calls, int toolCalls, BigDecimal spentUsd, CostCapExceededException stoppedBy) {}

  public static void main(String[] args) {
    Run run = run(true);
    System.out.printf("%d calls (%d tool calls) cost %s USD; stopped by: %s%n", run.calls(), run.toolCalls(),
        run.spentUsd().toPlainString(), run.stoppedBy() == null ? "nothing" : run.stoppedBy().getMessage());
  }

  /** Runs the agent until the workflow cap stops it. */
  static Run run(boolean print) {
    Attribution attribution = Attribution.builder().customer("acme").feature("trip-planner").workflow("run-42")
        .build();
    int calls = 0;
    int toolCalls = 0;
    BigDecimal spent = BigDecimal.ZERO;
    try (Llm llm = Finops4j.builder().config(ConfigLoader.load(
        new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8)), "ToolLoop.POLICY")).build()) {
      Prompt.Builder conversation = Prompt.builder().system("You plan trips. Check the weather before advising.")
          .user("Should I pack an umbrella for Oslo?");
      while (true) {
        Completion c;
        try {
          c = llm.complete(CompletionRequest.builder("agent", conversation.build()).attribution(attribution)
              .tools(WEATHER).build());
        } catch (CostCapExceededException stopped) {
          return new Run(calls, toolCalls, spent, stopped);
        }
        calls++;
        spent = spent.add(c.costUsd());
        if (print) {
          System.out.printf("round %d: %s, %d in / %d out tokens, %s USD%n", calls,
              c.toolCalls().isEmpty() ? "answered" : "asked for " + c.toolCalls().get(0).name(),
              c.usage().inputTokens(), c.usage().outputTokens(), c.costUsd().toPlainString());
        }
        conversation.assistant(c);
        for (ToolCall call : c.toolCalls()) {
          toolCalls++;
          conversation.toolResult(call, "{\"city\": \"Oslo\", \"rain_mm\": 4}"); // the tool, run by the caller
        }
        if (c.toolCalls().isEmpty()) {
          // a well-behaved agent would stop here; this one keeps asking, as a looping agent does
          conversation.user("And tomorrow?");
        }
      }
    }
  }
}
