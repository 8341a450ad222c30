package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attribution;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A call made after close() is refused, visibly, rather than run with its ledger row dropped. */
class ClosedLlmTest {

  @Test
  void aCallAfterCloseIsRefused() {
    String yaml = """
        finops4j:
          tiers: { small: [simulator/gpt-5-mini] }
          tasks: { chat: { tier: small } }
        """;
    List<CallRecord> records = new CopyOnWriteArrayList<>();
    Llm llm = Finops4j.builder().listener(records::add)
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "t.yaml")).build();
    llm.complete("chat", Prompt.of("hi"), Attribution.of("acme", "chat"));
    llm.close();

    assertThatThrownBy(() -> llm.complete("chat", Prompt.of("hi"), Attribution.of("acme", "chat")))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("this Llm is closed; the call was not made");
    assertThat(records).hasSize(1);
  }
}
