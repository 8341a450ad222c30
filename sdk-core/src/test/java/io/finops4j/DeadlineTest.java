package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.finops4j.api.Attribution;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A provider whose answer trickles in a byte at a time would hold a call for call-timeout x attempts; one deadline
 * bounds the whole call, every attempt and backoff included.
 */
class DeadlineTest {

  private static final String COMPLETION = """
      {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-5-mini","choices":[{"index":0,
       "message":{"role":"assistant","content":"a long and slow answer"},"finish_reason":"stop"}],
       "usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25}}
      """;

  private final MockWebServer server = new MockWebServer();
  private final List<Duration> pauses = new ArrayList<>();
  private Llm llm;

  @BeforeEach
  void start() throws Exception {
    server.start();
    String yaml = """
        finops4j:
          providers:
            openai: { api-key: sk-test-abcdefghijklmnop, base-url: %s, read-timeout: 30s, call-timeout: 10m }
          tiers: { small: [openai/gpt-5-mini] }
          tasks: { chat: { tier: small } }
          routing: { deadline: 1s, max-retries: 2 }
        """.formatted(server.url("/v1"));
    llm = Finops4j.builder().sleeper(pauses::add)
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "t.yaml")).build();
  }

  @AfterEach
  void stop() {
    llm.close();
    server.close();
  }

  @Test
  void aTricklingBodyIsCutAtTheDeadlineAndNotRetriedPastIt() {
    AtomicInteger requests = new AtomicInteger();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        requests.incrementAndGet();
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
            .body(COMPLETION).throttleBody(1, 200, TimeUnit.MILLISECONDS).build();
      }
    });

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> llm.complete("chat", Prompt.of("Where is my refund?"), Attribution.of("acme", "chat")));

    assertThat(e.errorCode()).isEqualTo("deadline_exceeded");
    assertThat(e.getMessage()).contains("deadline of PT1S passed after 1 attempt(s)", "timeout");
    assertThat(e.getCause()).isInstanceOf(ProviderException.class);
    assertThat(((ProviderException) e.getCause()).errorCode()).isEqualTo("timeout");
    assertThat(requests).hasValue(1);
    assertThat(pauses).isEmpty(); // no backoff that would end past the deadline
  }
}
