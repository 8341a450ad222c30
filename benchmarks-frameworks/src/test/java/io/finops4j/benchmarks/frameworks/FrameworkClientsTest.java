package io.finops4j.benchmarks.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.benchmarks.loopback.ChatClient;
import io.finops4j.benchmarks.loopback.LoopbackServer;
import org.junit.jupiter.api.Test;

/** Each framework adapter really talks to the loopback server and reads its fixed answer back. */
class FrameworkClientsTest {

  @Test
  void langChain4jGetsTheLoopbackAnswer() throws Exception {
    assertAnswers(LangChain4jChat::new);
  }

  @Test
  void springAiGetsTheLoopbackAnswer() throws Exception {
    assertAnswers(SpringAiChat::new);
  }

  private interface Factory {
    ChatClient create(String baseUrl) throws Exception;
  }

  private static void assertAnswers(Factory factory) throws Exception {
    try (LoopbackServer server = LoopbackServer.start(); ChatClient client = factory.create(server.baseUrl())) {
      assertThat(client.complete("I was charged twice this month.")).isEqualTo("billing");
      assertThat(server.requests()).isEqualTo(1);
    }
  }
}
