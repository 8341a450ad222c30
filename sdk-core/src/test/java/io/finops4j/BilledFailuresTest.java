package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.spi.BudgetView.BudgetUsage;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls that fail after the provider did work it bills: a listener that throws mid-stream, a stream cut after its
 * usage chunk, an answer whose usage is out of range. Each is charged to the budget (nothing left reserved) and
 * recorded with the same cost, as the provider would bill it.
 */
class BilledFailuresTest {

  private static final Attribution ACME = Attribution.of("acme", "chat");
  private static final String HEAD = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
      + "\"model\":\"gpt-5-mini\",";

  private final MockWebServer server = new MockWebServer();
  private final List<CallRecord> records = new CopyOnWriteArrayList<>();
  private Llm llm;

  @BeforeEach
  void start() throws Exception {
    server.start();
    String yaml = """
        finops4j:
          providers:
            openai: { api-key: sk-test-abcdefghijklmnop, base-url: %s }
          models:
            openai/gpt-5-mini: { input: 1.00, output: 10.00 }
          tiers:
            small: [openai/gpt-5-mini]
          tasks:
            chat: { tier: small, max-output-tokens: 400 }
          budgets:
            - { scope: customer, limit: 100, period: day }
          routing: { max-retries: 0 }
        """.formatted(server.url("/v1"));
    llm = Finops4j.builder().listener(records::add)
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
        .build();
  }

  @AfterEach
  void stop() {
    llm.close();
    server.close();
  }

  static String content(String delta) {
    return "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + delta
        + "\"},\"finish_reason\":null}],\"usage\":null}\n\n";
  }

  static final String FINISH = "data: " + HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
      + "\"usage\":null}\n\n";
  static final String USAGE = "data: " + HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":1000,"
      + "\"completion_tokens\":50,\"total_tokens\":1050}}\n\n";

  private void sse(String body) {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(body).build());
  }

  private CompletionRequest request() {
    return CompletionRequest.builder("chat", Prompt.of("Where is my refund?")).attribution(ACME).build();
  }

  private BudgetUsage budget() {
    return llm.budgets().usage(ACME).get(0);
  }

  /** The budget charged exactly what the ledger row says, and holds nothing back. */
  private CallRecord chargedAsRecorded() {
    assertThat(records).hasSize(1);
    CallRecord r = records.get(0);
    assertThat(r.costUsd()).isPositive();
    assertThat(budget().spent()).isEqualByComparingTo(r.costUsd());
    assertThat(budget().reserved()).isZero();
    return r;
  }

  @Test
  void aListenerThatThrowsChargesWhatWasStreamed() {
    sse(content("Your refund ") + content("was sent on Monday.") + FINISH + USAGE + "data: [DONE]\n\n");
    IllegalStateException gone = new IllegalStateException("client went away");

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> llm.stream(request(), delta -> {
      throw gone;
    }));

    assertThat(e.errorCode()).isEqualTo("listener_failed");
    assertThat(e.getCause()).isSameAs(gone);
    assertThat(e.getMessage()).contains("IllegalStateException").doesNotContain("client went away");
    CallRecord r = chargedAsRecorded();
    assertThat(r.estimated()).isTrue();
    assertThat(r.usage().outputTokens()).isPositive();
    assertThat(r.errorType()).isEqualTo("listener_failed");
  }

  @Test
  void aStreamCutAfterItsUsageChunkIsChargedAsReported() {
    sse(content("Your refund ") + content("was sent.") + FINISH + USAGE); // no [DONE]: the connection ended

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> llm.stream(request(), d -> { }));

    assertThat(e.errorCode()).isEqualTo("stream_truncated");
    CallRecord r = chargedAsRecorded();
    assertThat(r.estimated()).isFalse();
    assertThat(r.usage().inputTokens()).isEqualTo(1000);
    assertThat(r.usage().outputTokens()).isEqualTo(50);
    assertThat(r.costUsd()).isEqualByComparingTo(new BigDecimal("0.0015")); // 1000 x 1.00 + 50 x 10.00 per 1M
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e19", "-5", "18446744073709551616", "1000000000000", "2.5"})
  void usageOutOfRangeIsAMalformedAnswerChargedAtTheWorstCase(String promptTokens) {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body("{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"model\":\"gpt-5-mini\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],\"usage\":{"
            + "\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":5,\"total_tokens\":5}}").build());

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> llm.complete("chat", Prompt.of("Where is my refund?"), ACME));

    assertThat(e.errorCode()).isEqualTo("malformed_response");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("prompt_tokens");
    CallRecord r = chargedAsRecorded();
    assertThat(r.estimated()).isTrue();
    assertThat(r.usage().outputTokens()).isEqualTo(400); // the task's output ceiling
    assertThat(r.costUsd()).isGreaterThanOrEqualTo(new BigDecimal("0.004"));
  }

  @Test
  void aStreamedUsageChunkOutOfRangeIsChargedAtTheWorstCaseToo() {
    sse(content("Hi") + FINISH + USAGE.replace("\"completion_tokens\":50", "\"completion_tokens\":-50"));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> llm.stream(request(), d -> { }));

    assertThat(e.errorCode()).isEqualTo("malformed_response");
    CallRecord r = chargedAsRecorded();
    assertThat(r.estimated()).isTrue();
    assertThat(r.usage().outputTokens()).isEqualTo(400);
  }
}
