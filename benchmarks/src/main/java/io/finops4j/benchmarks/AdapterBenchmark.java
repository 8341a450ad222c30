package io.finops4j.benchmarks;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Llm;
import io.finops4j.core.ConfigLoader;
import io.finops4j.langchain4j.Finops4jChatModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * What the framework adapters add to a call (issue 18): a LangChain4j {@code ChatModel} and a Spring AI
 * {@code ChatModel} that answer instantly (stubs: no network, a fixed response with usage), called directly and
 * through {@code finops4j-langchain4j} / {@code finops4j-spring-ai} with every control that applies to an adapter call
 * on: three budgets reserved and settled, the task's cost cap, telemetry with nothing to report to (no span, no
 * meters), and the JSONL ledger (the exact cache does not apply to adapter calls). 1 KB prompts.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(2)
public class AdapterBenchmark {

  private static final String SYSTEM =
      "Classify the support ticket into one of: billing, bug, how-to, other. Answer with one word.";
  private static final String USER = "x".repeat(1024 - SYSTEM.length() - 12);
  private static final Attribution WHO = Attribution.builder().customer("acme").feature("ticket-triage")
      .team("support").build();

  private Llm llm;
  private ChatModel langchain4j;
  private ChatModel langchain4jWrapped;
  private org.springframework.ai.chat.model.ChatModel springAi;
  private org.springframework.ai.chat.model.ChatModel springAiWrapped;
  private ChatRequest chatRequest;
  private Prompt prompt;

  private Path ledgerDir;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    ledgerDir = Files.createTempDirectory("finops4j-adapter");
    llm = Finops4j.builder().config(ConfigLoader.load(new ByteArrayInputStream(
            Controls.yaml("", ledgerDir.resolve("ledger.jsonl"), Controls.ALL).getBytes(StandardCharsets.UTF_8)),
            "benchmark"))
        .provider(new FacadeBenchmark.InstantProvider()).build();
    langchain4j = new StubLangChain4jModel();
    langchain4jWrapped = Finops4jChatModel.builder(langchain4j, llm).taskType("classification").attribution(WHO)
        .provider("openai").build();
    springAi = new StubSpringAiModel();
    springAiWrapped = io.finops4j.springai.Finops4jChatModel.builder(springAi, llm).taskType("classification")
        .attribution(WHO).provider("openai").build();
    chatRequest = ChatRequest.builder().messages(SystemMessage.from(SYSTEM), UserMessage.from(USER)).build();
    prompt = new Prompt(List.of(new org.springframework.ai.chat.messages.SystemMessage(SYSTEM),
        new org.springframework.ai.chat.messages.UserMessage(USER)));
    if (langchain4jWrapped.chat(chatRequest).aiMessage() == null || springAiWrapped.call(prompt).getResult() == null) {
      throw new IllegalStateException("the wrapped models must answer");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    llm.close();
    LedgerBenchmark.delete(ledgerDir); // a trial writes gigabytes of ledger rows
  }

  /** The LangChain4j stub called directly: {@code ChatModel.chat} (listeners, parameter merge, doChat). */
  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  public ChatResponse langchain4jDirect() {
    return langchain4j.chat(chatRequest);
  }

  /** The same call through {@code Finops4jChatModel}: one finops4j call. */
  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  public ChatResponse langchain4jThroughFinops4j() {
    return langchain4jWrapped.chat(chatRequest);
  }

  /** The Spring AI stub called directly. */
  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  public org.springframework.ai.chat.model.ChatResponse springAiDirect() {
    return springAi.call(prompt);
  }

  /** The same call through {@code io.finops4j.springai.Finops4jChatModel}: one finops4j call. */
  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  public org.springframework.ai.chat.model.ChatResponse springAiThroughFinops4j() {
    return springAiWrapped.call(prompt);
  }

  /** A LangChain4j model that answers at once, as OpenAiChatModel would after parsing: text, model, usage. */
  static final class StubLangChain4jModel implements ChatModel {
    private static final ChatRequestParameters DEFAULTS = ChatRequestParameters.builder().modelName("gpt-5-mini")
        .maxOutputTokens(50).build();

    @Override
    public ChatResponse doChat(ChatRequest request) {
      return ChatResponse.builder().aiMessage(AiMessage.from("billing")).id("chatcmpl-1").modelName("gpt-5-mini")
          .tokenUsage(new TokenUsage(260, 2)).finishReason(FinishReason.STOP).build();
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
      return DEFAULTS;
    }
  }

  /** A Spring AI model that answers at once, as OpenAiChatModel would after parsing: text, model, usage. */
  static final class StubSpringAiModel implements org.springframework.ai.chat.model.ChatModel {
    private static final ChatOptions DEFAULTS = ChatOptions.builder().model("gpt-5-mini").maxTokens(50).build();

    @Override
    public org.springframework.ai.chat.model.ChatResponse call(Prompt prompt) {
      return new org.springframework.ai.chat.model.ChatResponse(
          List.of(new Generation(new AssistantMessage("billing"), ChatGenerationMetadata.builder().finishReason("STOP").build())),
          ChatResponseMetadata.builder().id("chatcmpl-1").model("gpt-5-mini").usage(new DefaultUsage(260, 2)).build());
    }

    @Override
    public ChatOptions getDefaultOptions() {
      return DEFAULTS;
    }
  }
}
