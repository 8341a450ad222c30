package io.finops4j.examples.frameworks;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import io.finops4j.Finops4j;
import io.finops4j.api.Attribution;
import io.finops4j.api.Llm;
import io.finops4j.langchain4j.Finops4jChatModel;
import java.io.InputStream;

/**
 * LangChain4j's tool-calling hello world, governed by finops4j: an {@code AiServices} assistant with one tool, whose
 * model is wrapped by {@link Finops4jChatModel}; each round trip of the tool loop is printed as a ledger row. Runs
 * offline against {@link FakeOpenAi}, or against OpenAI with {@code OPENAI_API_KEY} set.
 *
 * <pre>./mvnw -q -B -pl examples -am package exec:java -DskipTests -Dexec.mainClass=io.finops4j.examples.frameworks.LangChain4jExample</pre>
 */
public final class LangChain4jExample {

  interface Assistant {
    String chat(String message);
  }

  static final class Weather {
    @Tool("Get current temperature for a given location.")
    String get_weather(String location) {
      return "{\"location\":\"" + location + "\",\"temperature_c\":24,\"sky\":\"sunny\"}";
    }
  }

  public static void main(String[] args) throws Exception {
    String key = System.getenv("OPENAI_API_KEY");
    try (FakeOpenAi fake = new FakeOpenAi();
         InputStream yaml = LangChain4jExample.class.getResourceAsStream("/finops4j-frameworks.yaml")) {
      Llm llm = Finops4j.builder().config(io.finops4j.core.ConfigLoader.load(yaml, "finops4j-frameworks.yaml"))
          .listener(r -> System.out.printf("  ledger: %-9s %s $%s (%d in / %d out) %s%n", r.outcome(), r.model(),
              r.costUsd().toPlainString(), r.usage().inputTokens(), r.usage().outputTokens(), r.attribution()))
          .build();

      ChatModel openAi = OpenAiChatModel.builder()
          .baseUrl(key != null ? "https://api.openai.com/v1" : fake.baseUrl()).apiKey(key != null ? key : "offline")
          .modelName("gpt-4o").build();
      ChatModel model = Finops4jChatModel.builder(openAi, llm).taskType("weather-agent").build();   // the one new line
      Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(new Weather()).build();

      try (Attribution.Scope s = Attribution.builder().customer("acme").workflow("run-1").build().makeCurrent()) {
        System.out.println(assistant.chat("What is the weather in Shanghai?"));
      }
      llm.close();
    }
  }
}
