package io.finops4j.benchmarks.frameworks;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.finops4j.benchmarks.loopback.ChatClient;
import java.net.http.HttpClient;

/**
 * LangChain4j's {@link OpenAiChatModel} as an application would build it, pointed at the loopback server. Loaded by
 * {@code SideBySide} by reflection, through the {@code (String baseUrl)} constructor.
 */
public final class LangChain4jChat implements ChatClient {

  private final OpenAiChatModel model;

  public LangChain4jChat(String baseUrl) {
    // LangChain4j 1.x sends through the JDK HttpClient (langchain4j-http-client-jdk). It has no per-host limit for
    // HTTP/1.1 (jdk.httpclient.connectionPoolSize defaults to 0 = unbounded, no request queue), so 64 callers are not
    // throttled. HTTP/1.1 is pinned because the default HTTP_2 would add an h2c Upgrade attempt on plain http, which
    // no other client in the comparison does and the loopback server does not speak.
    HttpClient.Builder jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
    this.model = OpenAiChatModel.builder()
        .httpClientBuilder(JdkHttpClient.builder().httpClientBuilder(jdk))
        .baseUrl(baseUrl)
        .apiKey("sk-loopback")
        .modelName("gpt-5-mini")
        .maxCompletionTokens(50)
        .temperature(0.0)
        // no retries: a failed call counts as an error, as it does for the raw baseline (never happens on loopback)
        .maxRetries(0)
        // timeout left at LangChain4j's default (60 s read, 15 s connect): an application keeps one, as finops4j does
        // request/response logging off (also the default): it would format every body
        .logRequests(false)
        .logResponses(false)
        .build();
  }

  @Override
  public String name() {
    return "LangChain4j 1.19.0 OpenAiChatModel";
  }

  @Override
  public String complete(String user) {
    return model.chat(SystemMessage.from(SYSTEM), UserMessage.from(user)).aiMessage().text();
  }
}
