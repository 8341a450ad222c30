package io.finops4j.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.Finops4j;
import io.finops4j.api.Llm;
import io.finops4j.core.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration's conditions, one by one. */
class Finops4jSpringAiAutoConfigurationTest {

  private final MockWebServer server = new MockWebServer();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(Finops4jSpringAiAutoConfiguration.class))
      .withBean("chatModel", ChatModel.class, () -> ChatClientThroughFinops4jTest.openAi(server));

  @BeforeEach
  void start() throws IOException {
    server.start();   // never called: the models are only built
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private static Llm llm() {
    return Finops4j.builder().config(ConfigLoader.of(Map.of(), "test")).build();
  }

  @Test
  void withAnLlmEveryChatModelBeanIsWrappedAndTheAdvisorIsOffered() {
    runner.withBean(Llm.class, Finops4jSpringAiAutoConfigurationTest::llm).run(context -> {
      assertThat(context.getBean(ChatModel.class)).isInstanceOf(Finops4jChatModel.class);
      assertThat(((Finops4jChatModel) context.getBean(ChatModel.class)).delegate())
          .isInstanceOf(org.springframework.ai.openai.OpenAiChatModel.class);
      assertThat(context).hasSingleBean(Finops4jAdvisor.class);
    });
  }

  @Test
  void thePropertyTurnsTheWrappingOff() {
    runner.withBean(Llm.class, Finops4jSpringAiAutoConfigurationTest::llm)
        .withPropertyValues("finops4j.spring-ai.wrap-chat-models=false")
        .run(context -> {
          assertThat(context.getBean(ChatModel.class)).isNotInstanceOf(Finops4jChatModel.class);
          assertThat(context).hasSingleBean(Finops4jAdvisor.class);
        });
  }

  @Test
  void withoutAnLlmNothingChanges() {
    runner.run(context -> {
      assertThat(context.getBean(ChatModel.class)).isNotInstanceOf(Finops4jChatModel.class);
      assertThat(context).doesNotHaveBean(Finops4jAdvisor.class);
    });
  }

  @Test
  void theAutoConfigurationIsRegisteredForSpringBoot() throws IOException {
    try (InputStream in = getClass().getResourceAsStream(
        "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim())
          .isEqualTo(Finops4jSpringAiAutoConfiguration.class.getName());
    }
  }
}
