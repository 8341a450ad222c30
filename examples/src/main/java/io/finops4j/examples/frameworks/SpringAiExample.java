package io.finops4j.examples.frameworks;

import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Llm;
import io.finops4j.springai.Finops4jAdvisor;
import io.finops4j.springai.Finops4jChatModel;
import java.io.InputStream;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.ai.tool.annotation.Tool;

/**
 * Spring AI's tool-calling hello world, governed by finops4j: a {@code ChatClient} with one tool over an
 * {@code OpenAiChatModel} wrapped by {@link Finops4jChatModel}, the task type and attribution of the call carried by
 * {@link Finops4jAdvisor}; each round trip of the tool loop is printed as a ledger row. In a Spring Boot application
 * the wrapping and the advisor bean come from the auto-configuration. Runs offline against {@link FakeOpenAi}, or
 * against OpenAI with {@code OPENAI_API_KEY} set.
 *
 * <pre>./mvnw -q -B -pl examples -am package exec:java -DskipTests -Dexec.mainClass=io.finops4j.examples.frameworks.SpringAiExample</pre>
 */
public final class SpringAiExample {

  static final class Weather {
    @Tool(description = "Get current temperature for a given location.")
    String get_weather(String location) {
      return "{\"location\":\"" + location + "\",\"temperature_c\":24,\"sky\":\"sunny\"}";
    }
  }

  public static void main(String[] args) throws Exception {
    String key = System.getenv("OPENAI_API_KEY");
    try (FakeOpenAi fake = new FakeOpenAi();
         InputStream yaml = SpringAiExample.class.getResourceAsStream("/finops4j-frameworks.yaml")) {
      Llm llm = Finops4j.builder().config(io.finops4j.core.ConfigLoader.load(yaml, "finops4j-frameworks.yaml"))
          .listener(r -> System.out.printf("  ledger: %-9s %s $%s (%d in / %d out) %s%n", r.outcome(), r.model(),
              r.costUsd().toPlainString(), r.usage().inputTokens(), r.usage().outputTokens(), r.attribution()))
          .build();

      ChatModel openAi = OpenAiChatModel.builder()
          .openAiApi(OpenAiApi.builder().baseUrl(key != null ? "https://api.openai.com" : fake.baseUrl().replace("/v1", ""))
              .apiKey(key != null ? key : "offline").build())
          .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o").build()).build();
      ChatClient chat = ChatClient.builder(Finops4jChatModel.wrap(openAi, llm))       // the one new line
          .defaultAdvisors(new Finops4jAdvisor()).build();

      System.out.println(chat.prompt().user("What is the weather in Shanghai?").tools(new Weather())
          .advisors(Finops4jAdvisor.spend("weather-agent", Attribution.builder().customer("acme").workflow("run-1").build()))
          .call().content());
      llm.close();
    }
  }
}
