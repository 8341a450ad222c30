package io.finops4j.telemetry;

import static io.finops4j.telemetry.Harness.MINI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.micrometer.core.instrument.Meter;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Prompt text, completion text and API keys never reach exported spans, metrics or logs unless capture-content is
 * on; the opt-in run proves the search would find them.
 */
class NoLeakTest {

  private static final String API_KEY = "sk-proj-LEAKCANARY0123456789";
  private static final String SYSTEM = "SYSTEM-CANARY you are a support bot";
  private static final String PROMPT = "PROMPT-CANARY my card is 4111 and my key is " + API_KEY;
  private static final String ANSWER = "ANSWER-CANARY here is your refund";

  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  private String runCalls(Telemetry t) {
    CompletionRequest req = CompletionRequest.builder("support-reply",
        Prompt.builder().system(SYSTEM).user(PROMPT).build()).attribution(Attribution.of("acme", "chat")).build();
    try (StdErrCapture logs = StdErrCapture.start()) {
      h.call(t, req, h.context("ok-call"), 1_000L, (r, c) -> {
        c.route(new Route("small", List.of(MINI), List.of("task support-reply -> small")));
        c.listener().thresholdCrossed(c, new io.finops4j.api.spi.BudgetView.BudgetUsage("customer-monthly",
            "customer", "acme", "USD", new java.math.BigDecimal("100"), new java.math.BigDecimal("91"),
            java.math.BigDecimal.ZERO, null, 0), 0.9);
        return Completion.builder().text(ANSWER).model(MINI).usage(Usage.of(30, 8)).costUsd(new BigDecimal("0.0001"))
            .finishReason("stop").build();
      });
      assertThatThrownBy(() -> h.call(t, req, h.context("rejected-call"), 1_000L, (r, c) -> {
        throw new BudgetExceededException("customer-monthly", "customer", "acme", "USD", BigDecimal.TEN,
            BigDecimal.TEN, BigDecimal.ZERO, BigDecimal.ONE, null);
      })).isInstanceOf(BudgetExceededException.class);
      assertThatThrownBy(() -> h.call(t, req, h.context("failed-call"), 1_000L, (r, c) -> {
        // a client built with error-detail: true keeps the provider's text, which here quotes the prompt
        throw new ProviderException("openai", 400, "invalid_value", "req-1", false, null, null,
            "Invalid content: '" + PROMPT + "'", null);
      })).isInstanceOf(ProviderException.class);
      return logs.text();
    }
  }

  private String exported(String logs) {
    String spans = h.spans().toString();
    String otelMetrics = h.metrics.collectAllMetrics().toString();
    String meters = h.registry.getMeters().stream().map(Meter::getId).map(Object::toString)
        .collect(Collectors.joining("\n"));
    return spans + "\n" + otelMetrics + "\n" + meters + "\n" + logs;
  }

  @Test
  void noPromptCompletionOrKeyAnywhereByDefault() {
    String logs = runCalls(h.builder().build());
    // the log lines we promise are there...
    assertThat(logs).contains("DEBUG io.finops4j.telemetry - finops4j call=ok-call outcome=ok task=support-reply")
        .contains("cost_usd=0.0001")
        .contains("WARN io.finops4j.telemetry - finops4j call=ok-call event=budget.threshold budget=customer-monthly "
            + "key=acme limit=100 spent=91 threshold=0.9 unit=USD utilization=0.91")
        .contains("INFO io.finops4j.telemetry - finops4j call=rejected-call outcome=rejected_budget "
            + "task=support-reply: budget customer-monthly");
    // ...and nothing secret is, in logs, spans or metrics
    String all = exported(logs);
    assertThat(all).contains("acme").doesNotContain("PROMPT-CANARY").doesNotContain("SYSTEM-CANARY")
        .doesNotContain("ANSWER-CANARY").doesNotContain(API_KEY).doesNotContain("4111");
  }

  @Test
  void aProvidersErrorTextIsRedactedOnTheSpanButTheRestOfTheExceptionIsThere() {
    runCalls(h.builder().build());
    assertThat(exceptionEvent("failed-call")).contains("ProviderException", "openai returned HTTP 400 (invalid_value)",
        "[redacted: provider message, capture-content: true records it]", "req-1", "NoLeakTest")
        .doesNotContain("CANARY");
  }

  private String exceptionEvent(String callId) {
    return h.spans().stream().filter(s -> callId.equals(s.getAttributes().get(OtelKeys.CALL_ID)))
        .findFirst().orElseThrow().getEvents().stream().filter(e -> e.getName().equals("exception"))
        .findFirst().orElseThrow(() -> new AssertionError("no exception event")).getAttributes().toString();
  }

  @Test
  void captureContentPutsTextOnSpansOnlyNeverInMetricsOrLogs() {
    String logs = runCalls(h.builder().captureContent(true).build());
    String spans = h.spans().toString();
    assertThat(spans).contains("PROMPT-CANARY").contains("SYSTEM-CANARY").contains("ANSWER-CANARY");
    String ok = h.spans().stream().filter(s -> "ok-call".equals(s.getAttributes().get(OtelKeys.CALL_ID)))
        .findFirst().orElseThrow().getAttributes().get(OtelKeys.GEN_AI_OUTPUT_MESSAGES);
    assertThat(ok).isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":"
        + "\"ANSWER-CANARY here is your refund\"}],\"finish_reason\":\"stop\"}]");
    assertThat(exceptionEvent("failed-call")).contains("invalid_value", "req-1", "Invalid content: 'PROMPT-CANARY");
    String notSpans = h.metrics.collectAllMetrics().toString() + h.registry.getMeters() + logs;
    assertThat(notSpans).doesNotContain("PROMPT-CANARY").doesNotContain("ANSWER-CANARY").doesNotContain(API_KEY);
  }

  @Test
  void capturedContentNamesEachMessagesRoleToolResultsIncluded() {
    Telemetry t = h.builder().captureContent(true).build();
    io.finops4j.api.ToolCall call = new io.finops4j.api.ToolCall("toolu_1", "get_user_country", "{}");
    Prompt loop = Prompt.builder().user("largest city?").assistant("Let me check.", List.of(call))
        .toolResult(call, "Mexico").build();

    h.call(t, CompletionRequest.builder("agent", loop).build(), h.context("loop-call"), 1_000L,
        (r, c) -> Completion.builder().text("Mexico City").model(MINI).usage(Usage.of(30, 8))
            .costUsd(new BigDecimal("0.0001")).build());

    assertThat(h.spans().get(0).getAttributes().get(OtelKeys.GEN_AI_INPUT_MESSAGES)).isEqualTo("["
        + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"largest city?\"}]},"
        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Let me check.\"},"
        + "{\"type\":\"tool_call\",\"id\":\"toolu_1\",\"name\":\"get_user_country\",\"arguments\":\"{}\"}]},"
        + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"toolu_1\","
        + "\"response\":\"Mexico\"}]}]");
  }
}
