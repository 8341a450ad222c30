package io.finops4j.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Tool;
import io.finops4j.api.ToolCall;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AzureOpenAiClientTest extends ServerTest {

  static final String KEY = "0123456789abcdef0123456789abcdef";

  AzureOpenAiClient client;

  @BeforeEach
  void start() {
    client = AzureOpenAiClient.builder().endpoint(server.url("/").toString()).apiKey(KEY)
        .apiVersion("2024-10-21").deployment("my-gpt5-mini-deployment", "gpt-5-mini").build();
  }

  @AfterEach
  void stop() {
    client.close();
  }

  static ProviderRequest request() {
    return new ProviderRequest("my-gpt5-mini-deployment", Prompt.builder().system("Classify.").user("hi").build(), 50,
        null, "user-1", false);
  }

  static MockResponse json(int code, String body) {
    return answer(code, "application/json", "x-request-id", "az-req-1", body);
  }

  @Test
  void postsToTheDeploymentWithApiVersionAndTheKeyInTheApiKeyHeader() throws Exception {
    server.enqueue(json(200, OpenAiClientTest.COMPLETION));

    ProviderResponse r = client.complete(request());

    RecordedRequest rec = server.takeRequest();
    assertThat(rec.getTarget())
        .isEqualTo("/openai/deployments/my-gpt5-mini-deployment/chat/completions?api-version=2024-10-21");
    assertThat(rec.getHeaders().get("api-key")).isEqualTo(KEY);
    assertThat(rec.getHeaders().get("Authorization")).isNull();
    assertThat(rec.getUrl().toString()).doesNotContain(KEY);
    JsonNode body = json.readTree(rec.getBody().utf8());
    assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(50);
    // the same wire code as OpenAI: the same exact usage normalization
    assertThat(r.usage().inputTokens()).isEqualTo(2006);
    assertThat(r.usage().cachedInputTokens()).isEqualTo(1920);
  }

  @Test
  void streamsThroughTheSameWireWithUsage() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(OpenAiClientTest.ROLE_CHUNK + OpenAiClientTest.contentChunk("Hi") + OpenAiClientTest.FINISH_CHUNK
            + OpenAiClientTest.USAGE_CHUNK + OpenAiClientTest.DONE).build());
    List<String> deltas = new ArrayList<>();

    ProviderResponse r = client.stream(request(), deltas::add);

    assertThat(deltas).containsExactly("Hi");
    assertThat(r.usage().inputTokens()).isEqualTo(1317);
    JsonNode body = json.readTree(server.takeRequest().getBody().utf8());
    assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
  }

  @Test
  void deploymentsMapToQualifiedPricedModels() {
    AzureOpenAiClient c = AzureOpenAiClient.builder().endpoint("https://acme.openai.azure.com").apiKey(KEY)
        .deployment("mini", "gpt-5-mini").deployment("other", "openai/gpt-5").build();

    assertThat(c.pricedAs()).containsExactly(Map.entry("mini", "openai/gpt-5-mini"), Map.entry("other", "openai/gpt-5"));
    assertThat(c.name()).isEqualTo("azure");
    assertThat(c.toString()).doesNotContain(KEY);
    c.close();
  }

  @Test
  void errorsMapLikeOpenAi() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
        .addHeader("retry-after", "4").body("{\"error\":{\"code\":\"429\",\"message\":\"Requests to the ChatCompletions"
            + " Operation have exceeded call rate limit.\"}}").build());

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> client.complete(request()));

    assertThat(e.provider()).isEqualTo("azure");
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).hasSeconds(4);
  }

  @Test
  void endpointIsRequired() {
    assertThatThrownBy(() -> AzureOpenAiClient.builder().apiKey(KEY).build()).hasMessageContaining("endpoint");
  }

  /**
   * Azure OpenAI's stream of two parallel tool calls (gpt-4o), recorded in hyperf/odin's Azure client test:
   * https://github.com/hyperf/odin/blob/56fbc4a9b17af912d4a20247db7a187506d30f4b/tests/Cases/Api/AzureOpenAI/ClientTest.php
   * (testChatStreamWithTool). Azure adds {@code content_filter_results} to every chunk.
   */
  static final String AZURE_TOOL_STREAM = Stream.of(
      "{\"choices\":[{\"content_filter_results\":{},\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"\",\"name\":\"get_rand_string\"},\"id\":\"call_sJFuv3SdQtxoaCccGBPiPY53\",\"index\":0,\"type\":\"function\"}]},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],\"created\":1736912972,\"id\":\"chatcmpl-ApohIw9hJ9OVHrr7P75dYmwSvFiS6\",\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":\"fp_f3927aa00d\"}",
      "{\"choices\":[{\"content_filter_results\":{},\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"slat\\\": \\\"hello\\\"}\"},\"index\":0}]},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],\"created\":1736912972,\"id\":\"chatcmpl-ApohIw9hJ9OVHrr7P75dYmwSvFiS6\",\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":\"fp_f3927aa00d\"}",
      "{\"choices\":[{\"content_filter_results\":{},\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"\",\"name\":\"get_rand_string\"},\"id\":\"call_RleVQfBwjkh4jez8JowsMSE1\",\"index\":1,\"type\":\"function\"}]},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],\"created\":1736912972,\"id\":\"chatcmpl-ApohIw9hJ9OVHrr7P75dYmwSvFiS6\",\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":\"fp_f3927aa00d\"}",
      "{\"choices\":[{\"content_filter_results\":{},\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"slat\\\": \\\"hi\\\"}\"},\"index\":1}]},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],\"created\":1736912972,\"id\":\"chatcmpl-ApohIw9hJ9OVHrr7P75dYmwSvFiS6\",\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":\"fp_f3927aa00d\"}",
      "{\"choices\":[{\"content_filter_results\":{},\"delta\":{},\"finish_reason\":\"tool_calls\",\"index\":0,\"logprobs\":null}],\"created\":1736912972,\"id\":\"chatcmpl-ApohIw9hJ9OVHrr7P75dYmwSvFiS6\",\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":\"fp_f3927aa00d\"}",
      "[DONE]").map(d -> "data: " + d + "\n\n").collect(Collectors.joining());

  @Test
  void streamedParallelToolCallsFromAzureAreAssembledByIndex() throws Exception {
    server.enqueue(answer(200, SSE, "apim-request-id", "az-req-2", AZURE_TOOL_STREAM));
    Tool rand = Tool.of("get_rand_string", "Generate a random string", """
        {"type":"object","properties":{"slat":{"type":"string","description":"salt"}}}""");
    ProviderRequest r = request().with(List.of(rand), "auto", null, null, null);

    ProviderResponse response = client.stream(r, delta -> { });

    assertThat(response.toolCalls()).containsExactly(
        new ToolCall("call_sJFuv3SdQtxoaCccGBPiPY53", "get_rand_string", "{\"slat\": \"hello\"}"),
        new ToolCall("call_RleVQfBwjkh4jez8JowsMSE1", "get_rand_string", "{\"slat\": \"hi\"}"));
    assertThat(response.finishReason()).isEqualTo("tool_calls");
    assertThat(response.text()).isEmpty();
    RecordedRequest rec = server.takeRequest();
    assertThat(rec.getTarget()).startsWith("/openai/deployments/my-gpt5-mini-deployment/chat/completions");
    JsonNode body = json.readTree(rec.getBody().utf8());
    assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("get_rand_string");
    assertThat(body.at("/tool_choice").asText()).isEqualTo("auto");
  }
}
