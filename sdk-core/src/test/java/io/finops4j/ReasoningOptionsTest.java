package io.finops4j;

import static io.finops4j.ToolFixtures.recorded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ConfigException;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.UnsupportedParameterException;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reasoning controls as task options and per request: on the wire of each provider, counted by reservations, and
 * refused (at start-up, or before the network) for models that take none. Responses are recordings (sources in
 * {@code tools/SOURCES.md}).
 */
class ReasoningOptionsTest {

  private final ObjectMapper json = new ObjectMapper();
  private final MockWebServer openai = new MockWebServer();
  private final MockWebServer anthropic = new MockWebServer();
  private final MockWebServer gemini = new MockWebServer();
  private Llm llm;

  @BeforeEach
  void start() throws Exception {
    openai.start();
    anthropic.start();
    gemini.start();
  }

  @AfterEach
  void stop() {
    if (llm != null) {
      llm.close();
    }
    openai.close();
    anthropic.close();
    gemini.close();
  }

  private Llm llm(String tasks) {
    String yaml = """
        finops4j:
          providers:
            openai:    { api-key: sk-test-abcdefghijklmnopqrstuvwxyz1234, base-url: %s }
            anthropic: { api-key: sk-ant-test-abcdefghijklmnopqrstuvwxyz, base-url: %s }
            gemini:    { api-key: gm-test-abcdefghijklmnopqrstuvwxyz, base-url: %s }
          tiers:
            small:  [openai/gpt-4o-mini]
            deep:   [openai/o3-mini]
            claude: [anthropic/claude-sonnet-4-6]
            haiku:  [anthropic/claude-haiku-4-5]
            flash:  [gemini/gemini-2.5-flash]
          tasks:
        %s""".formatted(openai.url("/v1"), anthropic.url("/"), gemini.url("/"), tasks);
    return Finops4j.builder()
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "app.yaml"))
        .build();
  }

  private JsonNode sent(MockWebServer server) throws Exception {
    return json.readTree(server.takeRequest().getBody().utf8());
  }

  @Test
  void aTaskThinkingBudgetGoesToAnthropicOnTopOfTheAnswersCeilingAndIsPricedFromUsage() throws Exception {
    llm = llm("    think: { tier: claude, max-output-tokens: 3072, thinking-budget: 1024 }\n");
    anthropic.enqueue(recorded("anthropic-thinking-budget.json"));

    Completion c = llm.complete("think", Prompt.of("How do I cross the street?"));

    JsonNode body = sent(anthropic);
    assertThat(body.at("/thinking/type").asText()).isEqualTo("enabled");
    assertThat(body.at("/thinking/budget_tokens").asInt()).isEqualTo(1024);
    assertThat(body.at("/max_tokens").asInt()).isEqualTo(3072 + 1024);
    assertThat(c.text()).startsWith("Here's how to cross the street safely"); // the thinking block is not the answer
    // recorded from claude-sonnet-4-5, replayed as the tier's claude-sonnet-4-6 (same rates):
    // 43 in x 3.00 + 321 out (thinking included) x 15.00 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.004944");
  }

  @Test
  void aTaskReasoningEffortGoesToOpenAiAndReasoningTokensArePricedAsOutput() throws Exception {
    llm = llm("    deep: { tier: deep, max-output-tokens: 25000, reasoning-effort: high }\n");
    openai.enqueue(recorded("openai-chat-o3-mini-reasoning-effort.json"));

    Completion c = llm.complete("deep", Prompt.of("How do I cross the river?"));

    JsonNode body = sent(openai);
    assertThat(body.at("/reasoning_effort").asText()).isEqualTo("high");
    assertThat(body.at("/max_completion_tokens").asInt()).isEqualTo(25000);
    assertThat(body.has("temperature")).isFalse();
    assertThat(c.usage().reasoningTokens()).isEqualTo(1792);
    // 577 in x 1.10 + 2320 out (1792 reasoning included) x 4.40 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.0108427");
  }

  @Test
  void geminiGetsItsThinkingBudgetInsideMaxOutputTokens() throws Exception {
    llm = llm("    flash: { tier: flash, max-output-tokens: 500, thinking-budget: 0 }\n");
    gemini.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body("""
        {"candidates":[{"content":{"parts":[{"text":"Paris"}],"role":"model"},"finishReason":"STOP"}],
         "usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":1,"totalTokenCount":9}}""").build());

    llm.complete("flash", Prompt.of("Capital of France?"));

    JsonNode body = sent(gemini);
    assertThat(body.at("/generationConfig/thinkingConfig/thinkingBudget").asInt()).isZero();
    assertThat(body.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(500);
  }

  @Test
  void theReservationCountsTheThinkingBudgetSoACapRefusesBeforeTheNetwork() {
    llm = llm("    think: { tier: claude, max-output-tokens: 3072 }\n");

    // 1024 thinking tokens at 15.00 per 1M are 0.01536 USD alone: a 0.01 cap cannot hold them
    CostCapExceededException e = catchThrowableOfType(CostCapExceededException.class, () -> llm.complete(
        CompletionRequest.builder("think", Prompt.of("How do I cross the street?")).thinkingBudget(1024)
            .maxCostUsd(new BigDecimal("0.01")).build()));

    assertThat(e.getMessage()).contains("request cost cap of 0.01 USD");
    assertThat(anthropic.getRequestCount()).isZero();
  }

  @Test
  void aReasoningOptionForAModelThatTakesNoneIsRefusedBeforeTheNetwork() {
    llm = llm("    small: { tier: small }\n");

    UnsupportedParameterException e = catchThrowableOfType(UnsupportedParameterException.class, () -> llm.complete(
        CompletionRequest.builder("small", Prompt.of("hi")).reasoningEffort("low").build()));

    assertThat(e.model().qualified()).isEqualTo("openai/gpt-4o-mini");
    assertThat(e.parameter()).isEqualTo("reasoning-effort");
    assertThat(e.getMessage()).contains("openai/gpt-4o-mini takes no reasoning controls", "remove reasoning-effort");
    assertThat(openai.getRequestCount()).isZero();
  }

  @Test
  void aTaskReasoningEffortOnAModelThatTakesNoneFailsAtStartUpNamingItsPath() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> llm("    small: { tier: small, reasoning-effort: low }\n"));

    assertThat(e.getMessage()).contains("finops4j.tasks.small.reasoning-effort", "openai/gpt-4o-mini",
        "takes no reasoning controls");
  }

  @Test
  void anAnthropicThinkingBudgetBelowItsMinimumFailsAtStartUp() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> llm("    think: { tier: claude, thinking-budget: 500 }\n"));

    assertThat(e.getMessage()).contains("finops4j.tasks.think.thinking-budget",
        "anthropic/claude-sonnet-4-6 takes a thinking budget of at least 1024 tokens, got 500");
  }

  @Test
  void anUnknownReasoningEffortFailsAtStartUpListingTheKnownOnes() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> llm("    deep: { tier: deep, reasoning-effort: extreme }\n"));

    assertThat(e.getMessage()).contains("finops4j.tasks.deep.reasoning-effort", "minimal", "high");
  }

  @Test
  void anthropicTakesReasoningEffortAsOutputConfigEffortOnModelsThatHaveIt() throws Exception {
    llm = llm("    think: { tier: claude, max-output-tokens: 3072, reasoning-effort: max }\n");
    anthropic.enqueue(recorded("anthropic-thinking-budget.json"));

    llm.complete("think", Prompt.of("How do I cross the street?"));

    JsonNode body = sent(anthropic);
    assertThat(body.at("/output_config/effort").asText()).isEqualTo("max");
    assertThat(body.has("thinking")).isFalse();
    assertThat(body.has("reasoning_effort")).isFalse();
  }

  @Test
  void anEffortAClaudeModelDoesNotTakeIsRefusedBeforeTheNetworkListingTheOnesItTakes() {
    llm = llm("    think: { tier: claude }\n");

    UnsupportedParameterException e = catchThrowableOfType(UnsupportedParameterException.class, () -> llm.complete(
        CompletionRequest.builder("think", Prompt.of("hi")).model("anthropic/claude-opus-4-5").reasoningEffort("xhigh")
            .build()));

    assertThat(e.parameter()).isEqualTo("reasoning-effort");
    assertThat(e.getMessage()).contains("anthropic/claude-opus-4-5 takes reasoning-effort low, medium, high, not xhigh");
    assertThat(anthropic.getRequestCount()).isZero();
  }

  @Test
  void aClaudeModelSteeredByAThinkingBudgetOnlyRefusesAnEffortAtStartUpPointingToThinkingBudget() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> llm("    haiku: { tier: haiku, reasoning-effort: low }\n"));

    assertThat(e.getMessage()).contains("finops4j.tasks.haiku.reasoning-effort",
        "anthropic/claude-haiku-4-5 takes no reasoning effort", "use thinking-budget instead");
  }

  @Test
  void underDropAnEffortTheModelDoesNotTakeIsLeftOut() throws Exception {
    String tasks = "    think: { tier: claude, max-output-tokens: 3072 }\n  routing: { unsupported-parameters: drop }\n";
    llm = llm(tasks);
    anthropic.enqueue(recorded("anthropic-thinking-budget.json"));

    llm.complete(CompletionRequest.builder("think", Prompt.of("How do I cross the street?"))
        .model("anthropic/claude-haiku-4-5").reasoningEffort("low").build());

    assertThat(sent(anthropic).has("output_config")).isFalse();
  }

  @Test
  void gemini3TakesReasoningEffortAsItsThinkingLevel() throws Exception {
    llm = llm("    pro: { tier: flash }\n");
    gemini.enqueue(recorded("gemini-json-schema.json"));

    llm.complete(CompletionRequest.builder("pro", Prompt.of("Capital of Mexico?"))
        .model("gemini/gemini-3.1-pro-preview").maxOutputTokens(500).reasoningEffort("medium").build());

    JsonNode body = sent(gemini);
    assertThat(body.at("/generationConfig/thinkingConfig/thinkingLevel").asText()).isEqualTo("medium");
    assertThat(body.at("/generationConfig/thinkingConfig").has("thinkingBudget")).isFalse();
    assertThat(body.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(500);
  }

  @Test
  void geminiRefusesALevelItDoesNotTakeAndALevelWithABudgetBeforeTheNetwork() {
    llm = llm("    pro: { tier: flash }\n");

    UnsupportedParameterException level = catchThrowableOfType(UnsupportedParameterException.class,
        () -> llm.complete(CompletionRequest.builder("pro", Prompt.of("hi")).model("gemini/gemini-3.1-pro-preview")
            .reasoningEffort("minimal").build()));
    UnsupportedParameterException both = catchThrowableOfType(UnsupportedParameterException.class,
        () -> llm.complete(CompletionRequest.builder("pro", Prompt.of("hi")).model("gemini/gemini-3.1-pro-preview")
            .reasoningEffort("low").thinkingBudget(2048).build()));
    UnsupportedParameterException flash25 = catchThrowableOfType(UnsupportedParameterException.class,
        () -> llm.complete(CompletionRequest.builder("pro", Prompt.of("hi")).reasoningEffort("low").build()));

    assertThat(level.getMessage()).contains("gemini/gemini-3.1-pro-preview takes reasoning-effort low, medium, high,"
        + " not minimal");
    assertThat(both.getMessage()).contains("thinking level (reasoning-effort low) or a thinking budget (2048 tokens),"
        + " not both");
    assertThat(flash25.getMessage()).contains("gemini/gemini-2.5-flash takes no reasoning effort",
        "use thinking-budget instead");
    assertThat(gemini.getRequestCount()).isZero();
  }

  @Test
  void aTaskAskingForMoreOutputThanItsModelWritesFailsAtStartUpNamingModelLimitAndFix() {
    ConfigException plain = catchThrowableOfType(ConfigException.class,
        () -> llm("    long: { tier: claude, max-output-tokens: 70000 }\n"));
    ConfigException thinking = catchThrowableOfType(ConfigException.class,
        () -> llm("    long: { tier: claude, max-output-tokens: 60000, thinking-budget: 8000 }\n"));

    assertThat(plain.getMessage()).contains("finops4j.tasks.long.max-output-tokens",
        "anthropic/claude-sonnet-4-6 writes at most 64000 output tokens per call, but this asks for 70000",
        "lower max-output-tokens to 64000 or less");
    assertThat(thinking.getMessage()).contains("asks for 68000 (max-output-tokens 60000 + thinking-budget 8000)",
        "lower max-output-tokens to 56000 or less");
  }

  @Test
  void aRequestAskingForMoreOutputThanItsModelWritesIsRefusedBeforeTheNetwork() {
    llm = llm("    small: { tier: small }\n");

    UnsupportedParameterException e = catchThrowableOfType(UnsupportedParameterException.class, () -> llm.complete(
        CompletionRequest.builder("small", Prompt.of("hi")).maxOutputTokens(20000).build()));

    assertThat(e.parameter()).isEqualTo("max-output-tokens");
    assertThat(e.getMessage()).contains("openai/gpt-4o-mini writes at most 16384 output tokens per call");
    assertThat(openai.getRequestCount()).isZero();
  }

  @Test
  void underDropAnOutputCeilingBeyondTheModelsIsClampedToIt() throws Exception {
    llm = llm("    long: { tier: claude, max-output-tokens: 70000 }\n  routing: { unsupported-parameters: drop }\n");
    anthropic.enqueue(recorded("anthropic-thinking-budget.json"));

    llm.complete("long", Prompt.of("How do I cross the street?"));

    assertThat(sent(anthropic).at("/max_tokens").asInt()).isEqualTo(64000);
  }

  @Test
  void aPromptBeyondTheContextWindowIsRefusedBeforeTheNetwork() {
    llm = llm("    think: { tier: claude }\n");
    String huge = "a ".repeat(450_004); // 900,008 characters: at least 225,002 tokens at four characters a token

    UnsupportedParameterException e = catchThrowableOfType(UnsupportedParameterException.class,
        () -> llm.complete("think", Prompt.of(huge)));

    assertThat(e.parameter()).isEqualTo("context-window");
    assertThat(e.getMessage()).contains("anthropic/claude-sonnet-4-6 takes at most 200000 tokens of context",
        "about 225002 tokens (900008 characters)", "shorten the prompt").doesNotContain("a a a");
    assertThat(anthropic.getRequestCount()).isZero();
  }
}
