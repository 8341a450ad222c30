package com.example.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attribution;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.spring.Finops4jBuilderCustomizer;
import io.finops4j.springai.Finops4jAdvisor;
import io.finops4j.springai.Finops4jChatModel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring AI 2.0 application on Boot 4.0 with {@code spring-ai-starter-model-openai} pointed at a MockWebServer,
 * finops4j's starter configured by properties and {@code finops4j-spring-ai} on the class path: the auto-configuration
 * wraps the {@code ChatModel}, and a workflow cap stops a runaway tool loop of the {@code ChatClient}. Fixtures:
 * {@code src/test/resources/openai} (sources in its README).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
    "spring.ai.openai.api-key=test-key",
    "spring.ai.openai.chat.options.model=gpt-4o",
    "finops4j.workflow-caps.max-calls=3",
    "finops4j.spring-ai.task-type=weather-agent"})
class AgentApplicationTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    static final List<CallRecord> RECORDS = new CopyOnWriteArrayList<>();

    @Bean
    Finops4jBuilderCustomizer records() {
      return builder -> builder.listener(RECORDS::add);
    }
  }

  static final MockWebServer OPENAI = start();

  static MockWebServer start() {
    MockWebServer server = new MockWebServer();
    try {
      server.start();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return server;
  }

  @DynamicPropertySource
  static void openAi(DynamicPropertyRegistry registry) {
    registry.add("spring.ai.openai.base-url", () -> OPENAI.url("/v1").toString());
  }

  @AfterAll
  static void stop() {
    OPENAI.close();
  }

  @Autowired ChatModel chatModel;
  @Autowired ChatClient.Builder chatClient;
  @Autowired Finops4jAdvisor advisor;

  @Test
  void theStartersWrapTheChatModelAndAWorkflowCapStopsARunawayToolLoop() {
    for (int i = 0; i < 9; i++) {
      OPENAI.enqueue(ChatClientOnSpringAi2Test.json("tool-call.json"));
    }
    OPENAI.enqueue(ChatClientOnSpringAi2Test.json("final-answer.json"));
    assertThat(chatModel).isInstanceOf(Finops4jChatModel.class);
    ChatClient chat = chatClient.defaultAdvisors(advisor).build();
    ChatClientOnSpringAi2Test.WeatherTools tools = new ChatClientOnSpringAi2Test.WeatherTools();

    assertThatThrownBy(() -> chat.prompt().user("What is the weather in Shanghai?").tools(tools)
        .advisors(Finops4jAdvisor.spend(null, Attribution.builder().customer("acme").workflow("run-9").build()))
        .call().content())
        .isInstanceOf(CostCapExceededException.class)
        .hasMessageContaining("workflow run-9 reached its cap of 3 calls");

    assertThat(OPENAI.getRequestCount()).isEqualTo(3);
    assertThat(App.RECORDS).extracting(CallRecord::outcome)
        .containsExactly(CallRecord.OK, CallRecord.OK, CallRecord.OK, CallRecord.REJECTED_CAP);
    assertThat(App.RECORDS).allSatisfy(r -> assertThat(r.taskType()).isEqualTo("weather-agent"));
    // 91 x 2.50 + 14 x 10.00 = 367.5 per 1M for each tool-call round
    assertThat(App.RECORDS.get(0).costUsd()).isEqualByComparingTo("0.0003675");
  }
}
