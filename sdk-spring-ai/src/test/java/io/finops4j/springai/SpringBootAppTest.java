package io.finops4j.springai;

import static io.finops4j.springai.ChatClientThroughFinops4jTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.finops4j.api.Attribution;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.spring.Finops4jBuilderCustomizer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application as a team would have it: {@code spring-ai-starter-model-openai} pointed at a
 * MockWebServer, finops4j's starter configured by properties, and this module on the class path; no finops4j code
 * but the advisor on the {@code ChatClient}.
 */
class SpringBootAppTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    static final List<CallRecord> RECORDS = new CopyOnWriteArrayList<>();

    @Bean
    Finops4jBuilderCustomizer records() {
      return builder -> builder.listener(RECORDS::add);
    }
  }

  private final MockWebServer server = new MockWebServer();
  private ConfigurableApplicationContext context;

  @BeforeEach
  void start() throws IOException {
    server.start();
    App.RECORDS.clear();
    context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(
        "spring.ai.openai.base-url=" + server.url("/"),
        "spring.ai.openai.api-key=test-key",
        "spring.ai.openai.chat.options.model=gpt-4o",
        "spring.ai.retry.max-attempts=1",
        "finops4j.workflow-caps.max-calls=3",
        "finops4j.spring-ai.task-type=weather-agent").run();
  }

  @AfterEach
  void stop() throws IOException {
    context.close();
    server.close();
  }

  @Test
  void theStartersWrapTheChatModelAndAWorkflowCapStopsARunawayToolLoop() {
    for (int i = 0; i < 9; i++) {
      server.enqueue(json("tool-call.json"));
    }
    server.enqueue(json("final-answer.json"));
    assertThat(context.getBean(ChatModel.class)).isInstanceOf(Finops4jChatModel.class);
    ChatClient chat = context.getBean(ChatClient.Builder.class)
        .defaultAdvisors(context.getBean(Finops4jAdvisor.class)).build();
    ChatClientThroughFinops4jTest.WeatherTools tools = new ChatClientThroughFinops4jTest.WeatherTools();

    assertThatThrownBy(() -> chat.prompt().user("What is the weather in Shanghai?").tools(tools)
        .advisors(Finops4jAdvisor.spend(null, Attribution.builder().customer("acme").workflow("run-9").build()))
        .call().content())
        .isInstanceOf(CostCapExceededException.class)
        .hasMessageContaining("workflow run-9 reached its cap of 3 calls");

    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(App.RECORDS).extracting(CallRecord::outcome)
        .containsExactly(CallRecord.OK, CallRecord.OK, CallRecord.OK, CallRecord.REJECTED_CAP);
    assertThat(App.RECORDS).allSatisfy(r -> assertThat(r.taskType()).isEqualTo("weather-agent"));
    // 91 x 2.50 + 14 x 10.00 = 367.5 per 1M for each tool-call round
    assertThat(App.RECORDS.get(0).costUsd()).isEqualByComparingTo("0.0003675");
  }
}
