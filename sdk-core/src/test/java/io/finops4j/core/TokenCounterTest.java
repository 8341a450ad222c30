package io.finops4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Completion;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.ReasoningBlock;
import io.finops4j.api.Usage;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCounterTest {

  private final TokenCounter tokens = new TokenCounter();
  private final ModelId gpt = ModelId.parse("openai/gpt-5-mini");
  private final ModelId claude = ModelId.parse("anthropic/claude-haiku-4-5");

  @Test
  void exactCountForOpenAiModels() {
    // "Hello world" is 2 tokens in o200k_base; + 4 framing for the message + 3 reply priming.
    assertThat(tokens.count(Prompt.of("Hello world"), gpt)).isEqualTo(9);
    assertThat(tokens.countText("Hello world", gpt)).isEqualTo(2);
  }

  @Test
  void upperBoundIsNeverBelowTheExactCount() {
    String text = "Classify this support ticket: my invoice for October shows 3 seats, we have 5. 請盡快處理！ 🙂";
    Prompt prompt = Prompt.builder().system("You are a careful classifier.").user(text).build();
    assertThat(tokens.upperBound(prompt, gpt)).isGreaterThanOrEqualTo(tokens.count(prompt, gpt));
  }

  @Test
  void otherProvidersGetTheDocumentedConservativeEstimate() {
    // 30 chars -> ceil(30 / 3) = 10, + 4 + 3
    assertThat(tokens.count(Prompt.of("a".repeat(30)), claude)).isEqualTo(17);
  }

  @Test
  void repeatedSystemPromptCountsTheSame() {
    String system = "You are a helpful assistant. ".repeat(100);
    Prompt a = Prompt.builder().system(system).user("one").build();
    Prompt b = Prompt.builder().system(system).user("one").build();
    assertThat(tokens.count(a, gpt)).isEqualTo(tokens.count(b, gpt));
  }

  @Test
  void thinkingSentBackInAToolLoopCountsAsInput() {
    // Anthropic bills the thinking blocks of the turn sent back with tool results as input tokens
    String block = "{\"type\":\"thinking\",\"thinking\":\"" + "a".repeat(16) + "\",\"signature\":\"Eq\"}";
    Completion turn = Completion.builder().text("").model(claude).usage(Usage.builder().build())
        .costUsd(BigDecimal.ZERO).reasoning(List.of(new ReasoningBlock("anthropic", block))).build();
    Prompt question = Prompt.of("a".repeat(30));

    long with = tokens.count(question.toBuilder().assistant(turn).build(), claude);
    long without = tokens.count(question.toBuilder().assistant("").build(), claude);

    assertThat(block).hasSize(66);
    assertThat(with - without).isEqualTo(22); // 66 chars -> ceil(66 / 3)
  }
}
