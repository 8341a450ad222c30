package io.finops4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.providers.SimulatorClient;
import io.finops4j.routing.RoutingPolicy;
import io.finops4j.routing.TaskPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first configuration and code, as a newcomer copies them: they start offline and answer. */
class ReadmeFirstFileTest {

  @Test
  void theFirstFileStartsAsItIsAndAnswersAClassification(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    int from = readme.indexOf("```yaml", readme.indexOf("A first file"));
    String yaml = readme.substring(from + "```yaml".length(), readme.indexOf("```", from + 7));
    Path file = Files.writeString(dir.resolve("finops4j.yaml"), yaml);

    try (Llm llm = Finops4j.fromConfig(file)) {
      Completion c = llm.complete("classification",
          Prompt.builder().system("Classify the ticket as billing, bug, account or other.")
              .user("I was charged twice for October.").build(),
          Attribution.of("acme", "ticket-triage"));
      assertThat(c.text()).isIn("billing", "bug", "account", "other");
      assertThat(c.model().qualified()).isEqualTo("simulator/gpt-5-mini");
      assertThat(c.costUsd()).isPositive();
    }
  }

  @Test
  void theInCodeExampleBuildsAndCalls() {
    List<CallRecord> records = new ArrayList<>();
    try (Llm llm = Finops4j.builder()
        .provider(SimulatorClient.create())
        .policy(RoutingPolicy.builder()
            .tier("small", "simulator/gpt-5-mini", "simulator/claude-haiku-4-5")
            .task(new TaskPolicy("classification", "small", 50, null))
            .build())
        .listener(records::add)
        .build()) {
      llm.complete("classification", Prompt.of("Is this a bug?"), Attribution.of("acme", "ticket-triage"));
    }
    assertThat(records).hasSize(1);
    assertThat(records.get(0).costUsd()).isPositive();
  }
}
