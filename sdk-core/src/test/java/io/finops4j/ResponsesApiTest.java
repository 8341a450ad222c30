package io.finops4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Image;
import io.finops4j.api.JsonSchema;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.Tool;
import io.finops4j.api.ToolCall;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI Responses API as a user meets it ({@code providers: openai: { api: responses }}, and the pro models
 * whatever the setting): requests, tool round trips, structured output, images, and cached and reasoning tokens
 * priced exactly, plain and streamed, from recorded responses (sources in {@code tools/SOURCES.md}).
 */
class ResponsesApiTest {

  private static final Tool GET_CAPITAL = Tool.of("get_capital", null, """
      {"type":"object","properties":{"country":{"type":"string"}},"required":["country"],"additionalProperties":false}""");

  private final ObjectMapper json = new ObjectMapper();
  private final MockWebServer openai = new MockWebServer();
  private Llm llm;

  @BeforeEach
  void start() throws Exception {
    openai.start();
    llm = llm("responses");
  }

  private Llm llm(String api) {
    String yaml = """
        finops4j:
          providers:
            openai: { api-key: sk-test-abcdefghijklmnopqrstuvwxyz1234, base-url: %s, api: %s }
          tiers:
            small: [openai/gpt-4o]
          tasks:
            agent: { tier: small, max-output-tokens: 4000 }
        """.formatted(openai.url("/v1"), api);
    return Finops4j.builder()
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "app.yaml"))
        .build();
  }

  @AfterEach
  void stop() {
    llm.close();
    openai.close();
  }

  private static MockResponse recorded(String name, String contentType) {
    return ToolFixtures.response(name, contentType).addHeader("x-request-id", "req_" + name.hashCode()).build();
  }

  private static MockResponse recorded(String name) {
    return recorded(name, "application/json");
  }

  private JsonNode sent() throws Exception {
    RecordedRequest r = openai.takeRequest();
    assertThat(r.getTarget()).isEqualTo("/v1/responses");
    return json.readTree(r.getBody().utf8());
  }

  private CompletionRequest.Builder request(String model, Prompt prompt) {
    return CompletionRequest.builder("agent", prompt).model(model);
  }

  @Test
  void aToolRoundTripSendsFunctionCallItemsAndTheirOutputsAndPricesEachCall() throws Exception {
    openai.enqueue(recorded("openai-responses-tool-call.json"));
    openai.enqueue(recorded("openai-responses-tool-answer.json"));
    Prompt prompt = Prompt.of("What is the capital of PotatoLand?");

    Completion first = llm.complete(request("openai/gpt-4o", prompt).tools(GET_CAPITAL).maxOutputTokens(300).build());

    assertThat(first.toolCalls()).containsExactly(
        new ToolCall("call_YfwRsW8sUxDKipwyhWTzOXCA", "get_capital", "{\"country\":\"PotatoLand\"}"));
    assertThat(first.responseId()).startsWith("resp_");
    // 40 in x 2.50 + 18 out x 10.00 per 1M
    assertThat(first.costUsd()).isEqualByComparingTo("0.00028");
    JsonNode body = sent();
    assertThat(body.at("/input/0/role").asText()).isEqualTo("user");
    assertThat(body.at("/input/0/content").asText()).isEqualTo("What is the capital of PotatoLand?");
    assertThat(body.at("/tools/0/type").asText()).isEqualTo("function");
    assertThat(body.at("/tools/0/name").asText()).isEqualTo("get_capital");
    assertThat(body.at("/tools/0/parameters/required/0").asText()).isEqualTo("country");
    assertThat(body.at("/max_output_tokens").asInt()).isEqualTo(300);
    assertThat(body.has("messages")).isFalse();

    Completion answer = llm.complete(request("openai/gpt-4o",
        prompt.toBuilder().assistant(first).toolResult(first.toolCalls().get(0), "Potato City").build())
        .tools(GET_CAPITAL).build());

    assertThat(answer.text()).isEqualTo("The capital of PotatoLand is Potato City.");
    // 67 in x 2.50 + 11 out x 10.00 per 1M
    assertThat(answer.costUsd()).isEqualByComparingTo("0.0002775");
    JsonNode round2 = sent();
    assertThat(round2.at("/input/1/type").asText()).isEqualTo("function_call");
    assertThat(round2.at("/input/1/call_id").asText()).isEqualTo("call_YfwRsW8sUxDKipwyhWTzOXCA");
    assertThat(round2.at("/input/1/arguments").asText()).isEqualTo("{\"country\":\"PotatoLand\"}");
    assertThat(round2.at("/input/2/type").asText()).isEqualTo("function_call_output");
    assertThat(round2.at("/input/2/output").asText()).isEqualTo("Potato City");
  }

  @Test
  void cachedAndReasoningTokensArePricedExactly() throws Exception {
    openai.enqueue(recorded("openai-responses-gpt-5-reasoning-tool-call.json"));
    openai.enqueue(recorded("openai-responses-gpt-5-cached.json"));
    Tool plan = Tool.of("update_plan", null, """
        {"type":"object","properties":{"plan":{"type":"string"}},"required":["plan"],"additionalProperties":false}""");
    Prompt prompt = Prompt.builder().system("You are a helpful assistant that uses planning.")
        .user("Compose a 12-line poem.").build();

    Completion first = llm.complete(request("openai/gpt-5", prompt).tools(plan).reasoningEffort("low").build());

    assertThat(first.toolCalls()).extracting(ToolCall::name).containsExactly("update_plan");
    assertThat(first.usage().reasoningTokens()).isEqualTo(1792);
    // 124 in x 1.25 + 1926 out (1792 reasoning) x 10.00 per 1M
    assertThat(first.costUsd()).isEqualByComparingTo("0.019415");
    JsonNode body = sent();
    assertThat(body.at("/instructions").asText()).isEqualTo("You are a helpful assistant that uses planning.");
    assertThat(body.at("/reasoning/effort").asText()).isEqualTo("low");
    assertThat(body.at("/input")).hasSize(1);

    Completion second = llm.complete(request("openai/gpt-5",
        prompt.toBuilder().assistant(first).toolResult(first.toolCalls().get(0), "planned").build())
        .tools(plan).build());

    assertThat(second.usage().cachedInputTokens()).isEqualTo(2048);
    // (2087 - 2048) in x 1.25 + 2048 cached x 0.125 + 124 out x 10.00 per 1M
    assertThat(second.costUsd()).isEqualByComparingTo("0.00154475");
  }

  @Test
  void aStreamDeliversTextDeltasAndIsPricedFromTheCompletedEventsUsage() throws Exception {
    openai.enqueue(recorded("openai-responses-gpt-5-stream.sse", "text/event-stream"));
    StringBuilder text = new StringBuilder();

    Completion c = llm.stream(request("openai/gpt-5", Prompt.builder().system("You are a helpful assistant.")
        .user("What is the weather in San Francisco today?").build()).build(), text::append);

    assertThat(text.toString()).isEqualTo(c.text()).startsWith("San Francisco weather today");
    assertThat(c.usage().inputTokens()).isEqualTo(9463);
    assertThat(c.usage().cachedInputTokens()).isEqualTo(8320);
    assertThat(c.usage().reasoningTokens()).isEqualTo(512);
    // (9463 - 8320) in x 1.25 + 8320 cached x 0.125 + 582 out x 10.00 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.00828875");
    assertThat(c.responseId()).isEqualTo("resp_00a60507bf41223d0068c9d2fbf93481a0ba2a7796ae2cab4c");
    assertThat(c.finishReason()).isEqualTo("completed");
    assertThat(sent().at("/stream").asBoolean()).isTrue();
  }

  @Test
  void structuredOutputGoesAsTextFormat() throws Exception {
    openai.enqueue(recorded("openai-responses-json-schema.json"));
    JsonSchema city = JsonSchema.of("CityLocation", """
        {"type":"object","properties":{"city":{"type":"string"},"country":{"type":"string"}},
         "required":["city","country"],"additionalProperties":false}""");

    Completion c = llm.complete(request("openai/gpt-4o", Prompt.of("What is the largest city in Mexico?"))
        .jsonSchema(city).build());

    assertThat(c.json()).isEqualTo("{\"city\":\"Mexico City\",\"country\":\"Mexico\"}");
    // 89 in x 2.50 + 16 out x 10.00 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.0003825");
    JsonNode body = sent();
    assertThat(body.at("/text/format/type").asText()).isEqualTo("json_schema");
    assertThat(body.at("/text/format/name").asText()).isEqualTo("CityLocation");
    assertThat(body.at("/text/format/strict").asBoolean()).isTrue();
    assertThat(body.at("/text/format/schema/additionalProperties").asBoolean()).isFalse();
  }

  @Test
  void anImageGoesAsAnInputImage() throws Exception {
    openai.enqueue(recorded("openai-responses-image-url.json"));
    String url = "https://t3.ftcdn.net/jpg/00/85/79/92/360_F_85799278_0BBGV9OAdQDTLnKwAPBCcg1J7QtiieJY.jpg";

    Completion c = llm.complete(request("openai/gpt-4o",
        Prompt.builder().user("hello", Image.url(url)).build()).build());

    assertThat(c.text()).contains("potato");
    // 663 in x 2.50 + 20 out x 10.00 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.0018575");
    JsonNode body = sent();
    assertThat(body.at("/input/0/content/0/type").asText()).isEqualTo("input_text");
    assertThat(body.at("/input/0/content/1/type").asText()).isEqualTo("input_image");
    assertThat(body.at("/input/0/content/1/image_url").asText()).isEqualTo(url);
  }

  @Test
  void theProModelsGoToTheResponsesApiEvenInChatMode() throws Exception {
    llm.close();
    llm = llm("chat");
    openai.enqueue(recorded("openai-responses-gpt-5-pro.json"));

    Completion c = llm.complete(request("openai/gpt-5-pro", Prompt.of("What is the capital of Mexico?")).build());

    assertThat(c.text()).contains("Mexico City");
    assertThat(c.servedModel()).isEqualTo("gpt-5-pro-2025-10-06");
    // 13 in x 15.00 + 77 out (64 reasoning) x 120.00 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.009435");
    assertThat(sent().at("/input/0/content").asText()).isEqualTo("What is the capital of Mexico?");
  }
}
