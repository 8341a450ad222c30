package io.finops4j;

import static io.finops4j.ToolFixtures.recorded;
import static io.finops4j.ToolFixtures.recordedStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.Image;
import io.finops4j.api.JsonSchema;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.Tool;
import io.finops4j.api.ToolCall;
import io.finops4j.core.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tool round trips, structured output and images as a user runs them: the facade over real HTTP (MockWebServer)
 * replaying responses recorded from OpenAI, Anthropic and Gemini (sources in {@code tools/SOURCES.md}). Each round
 * trip is its own call: the request we send is asserted, the tool calls are parsed, the cost is exact, and a
 * workflow cap stops a loop that does not end.
 */
class ToolsOverHttpTest {

  /** The first 33 bytes (signature and IHDR: 3008 x 2000) of the PNG sent in the recorded image request. */
  private static final String KIWI_PNG_HEADER = "iVBORw0KGgoAAAANSUhEUgAAC8AAAAfQCAIAAAA47kAB";

  private static final Tool GET_CAPITAL = Tool.of("get_capital", "Get the capital of a country.", """
      {"type":"object","properties":{"country":{"type":"string","description":"The country name."}},
       "required":["country"],"additionalProperties":false}""");
  private static final Tool ENTITY_INFO = Tool.of("retrieve_entity_info", "Get the knowledge about the given entity.",
      """
      {"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}""");
  private static final JsonSchema CITY = new JsonSchema("final_result", """
      {"type":"object","properties":{"city":{"type":"string"},"country":{"type":"string"}},
       "required":["city","country"]}""", false);

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
    llm = llm("");
  }

  private Llm llm(String extra) {
    String yaml = """
        finops4j:
          providers:
            openai:    { api-key: sk-test-abcdefghijklmnopqrstuvwxyz1234, base-url: %s }
            anthropic: { api-key: sk-ant-test-abcdefghijklmnopqrstuvwxyz, base-url: %s }
            gemini:    { api-key: gm-test-abcdefghijklmnopqrstuvwxyz, base-url: %s }
          models:
            gemini/gemini-2.0-flash: { input: 0.10, output: 0.40 }
          tiers:
            small: [openai/gpt-4o-mini]
          tasks:
            agent: { tier: small, max-output-tokens: 4096 }
        %s""".formatted(openai.url("/v1"), anthropic.url("/"), gemini.url("/"), extra);
    return Finops4j.builder()
        .config(ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml"))
        .build();
  }

  @AfterEach
  void stop() {
    llm.close();
    openai.close();
    anthropic.close();
    gemini.close();
  }

  private Completion stream(String model, Prompt prompt, StringBuilder text, Tool... tools) {
    return llm.stream(CompletionRequest.builder("agent", prompt).model(model).attribution(run("run-1"))
        .tools(tools).build(), text::append);
  }

  private JsonNode body(MockWebServer server) throws Exception {
    RecordedRequest r = server.takeRequest();
    return json.readTree(r.getBody().utf8());
  }

  private static Attribution run(String workflow) {
    return Attribution.builder().customer("acme").feature("geo-agent").workflow(workflow).build();
  }

  private Completion call(String model, Prompt prompt, Tool... tools) {
    return llm.complete(CompletionRequest.builder("agent", prompt).model(model).attribution(run("run-1"))
        .tools(tools).build());
  }

  @Test
  void openAiToolRoundTripSendsTheToolsAndTheResultAndPricesEachCall() throws Exception {
    openai.enqueue(recorded("openai-chat-tool-call.json"));
    openai.enqueue(recorded("openai-chat-tool-answer.json"));
    Prompt prompt = Prompt.builder().user("What is the capital of England?").build();

    Completion first = call("openai/gpt-4o-mini", prompt, GET_CAPITAL);

    assertThat(first.toolCalls()).containsExactly(
        new ToolCall("call_SkEQ3ZGSJC8m6AvaIGNuuKdm", "get_capital", "{\"country\":\"England\"}"));
    assertThat(first.finishReason()).isEqualTo("tool_calls");
    assertThat(first.text()).isEmpty();
    // 104 in x 0.15 + 16 out x 0.60 per 1M
    assertThat(first.costUsd()).isEqualByComparingTo("0.0000252");
    JsonNode sent = body(openai);
    assertThat(sent.at("/tools/0/type").asText()).isEqualTo("function");
    assertThat(sent.at("/tools/0/function/name").asText()).isEqualTo("get_capital");
    assertThat(sent.at("/tools/0/function/parameters/required/0").asText()).isEqualTo("country");

    Prompt next = prompt.toBuilder().assistant(first).toolResult(first.toolCalls().get(0), "London").build();
    Completion answer = call("openai/gpt-4o-mini", next, GET_CAPITAL);

    assertThat(answer.text()).isEqualTo("The capital of England is London.");
    assertThat(answer.toolCalls()).isEmpty();
    // 129 in x 0.15 + 9 out x 0.60 per 1M
    assertThat(answer.costUsd()).isEqualByComparingTo("0.00002475");
    JsonNode round2 = body(openai);
    assertThat(round2.at("/messages/1/role").asText()).isEqualTo("assistant");
    assertThat(round2.at("/messages/1/content").isNull()).isTrue();
    assertThat(round2.at("/messages/1/tool_calls/0/id").asText()).isEqualTo("call_SkEQ3ZGSJC8m6AvaIGNuuKdm");
    assertThat(round2.at("/messages/1/tool_calls/0/function/arguments").asText()).isEqualTo("{\"country\":\"England\"}");
    assertThat(round2.at("/messages/2/role").asText()).isEqualTo("tool");
    assertThat(round2.at("/messages/2/tool_call_id").asText()).isEqualTo("call_SkEQ3ZGSJC8m6AvaIGNuuKdm");
    assertThat(round2.at("/messages/2/content").asText()).isEqualTo("London");
  }

  @Test
  void anthropicParallelToolCallsComeBackInOrderAndTheirResultsGoBackInOneUserTurn() throws Exception {
    anthropic.enqueue(recorded("anthropic-parallel-tool-calls.json"));
    anthropic.enqueue(recorded("anthropic-tool-answer.json"));
    Prompt prompt = Prompt.builder().system("Use the `retrieve_entity_info` tool to get information about a person.")
        .user("Alice, Bob, Charlie and Daisy are a family. Who is the youngest?").build();

    Completion first = call("anthropic/claude-haiku-4-5", prompt, ENTITY_INFO);

    assertThat(first.toolCalls()).extracting(ToolCall::id).containsExactly("toolu_0167cfEnoQaPviGdVXA95zcu",
        "toolu_01EEe2V5HD1Ac4rKiUR4HD2T", "toolu_01XFyAjstT3966qvRynZyVPo", "toolu_013mnQZbgtK2oe3Mo3XKJsx3");
    assertThat(first.toolCalls()).extracting(ToolCall::arguments).containsExactly("{\"name\":\"Alice\"}",
        "{\"name\":\"Bob\"}", "{\"name\":\"Charlie\"}", "{\"name\":\"Daisy\"}");
    assertThat(first.text()).startsWith("I'll help you find out who is the youngest");
    assertThat(first.finishReason()).isEqualTo("tool_use");
    // 423 in x 1.00 + 202 out x 5.00 per 1M
    assertThat(first.costUsd()).isEqualByComparingTo("0.001433");
    JsonNode sent = body(anthropic);
    assertThat(sent.at("/tools/0/name").asText()).isEqualTo("retrieve_entity_info");
    assertThat(sent.at("/tools/0/input_schema/properties/name/type").asText()).isEqualTo("string");

    Prompt.Builder next = prompt.toBuilder().assistant(first);
    List<String> facts = List.of("alice is bob's wife", "bob is alice's husband", "charlie is alice's son",
        "daisy is bob's daughter and charlie's younger sister");
    for (int i = 0; i < 4; i++) {
      next.toolResult(first.toolCalls().get(i), facts.get(i));
    }
    Completion answer = call("anthropic/claude-haiku-4-5", next.build(), ENTITY_INFO);

    assertThat(answer.text()).contains("Daisy is the youngest");
    // 771 in x 1.00 + 77 out x 5.00 per 1M
    assertThat(answer.costUsd()).isEqualByComparingTo("0.001156");
    JsonNode round2 = body(anthropic);
    assertThat(round2.at("/messages/1/content/0/type").asText()).isEqualTo("text");
    assertThat(round2.at("/messages/1/content/1/type").asText()).isEqualTo("tool_use");
    assertThat(round2.at("/messages/1/content/1/input/name").asText()).isEqualTo("Alice");
    assertThat(round2.at("/messages/2/role").asText()).isEqualTo("user");
    assertThat(round2.at("/messages/2/content")).hasSize(4);
    assertThat(round2.at("/messages/2/content/3/type").asText()).isEqualTo("tool_result");
    assertThat(round2.at("/messages/2/content/3/tool_use_id").asText()).isEqualTo("toolu_013mnQZbgtK2oe3Mo3XKJsx3");
    assertThat(round2.get("messages")).hasSize(3);
  }

  @Test
  void geminiFunctionCallRoundTripMatchesTheResultByName() throws Exception {
    gemini.enqueue(recorded("gemini-tool-call.json"));
    gemini.enqueue(recorded("gemini-tool-answer.json"));
    Prompt prompt = Prompt.of("What is the capital of France?");

    Completion first = call("gemini/gemini-2.0-flash", prompt, GET_CAPITAL);

    // Gemini 2.0 sends no call id: the call gets call_<index>
    assertThat(first.toolCalls()).containsExactly(new ToolCall("call_0", "get_capital", "{\"country\":\"France\"}"));
    // 23 in x 0.10 + 5 out x 0.40 per 1M
    assertThat(first.costUsd()).isEqualByComparingTo("0.0000043");
    JsonNode sent = body(gemini);
    assertThat(sent.at("/tools/0/functionDeclarations/0/name").asText()).isEqualTo("get_capital");
    assertThat(sent.at("/tools/0/functionDeclarations/0/parametersJsonSchema/required/0").asText()).isEqualTo("country");

    Completion answer = call("gemini/gemini-2.0-flash",
        prompt.toBuilder().assistant(first).toolResult(first.toolCalls().get(0), "Paris").build(), GET_CAPITAL);

    assertThat(answer.text()).isEqualTo("The capital of France is Paris.\n");
    // 35 in x 0.10 + 8 out x 0.40 per 1M
    assertThat(answer.costUsd()).isEqualByComparingTo("0.0000067");
    JsonNode round2 = body(gemini);
    assertThat(round2.at("/contents/1/role").asText()).isEqualTo("model");
    assertThat(round2.at("/contents/1/parts/0/functionCall/name").asText()).isEqualTo("get_capital");
    assertThat(round2.at("/contents/1/parts/0/functionCall/args/country").asText()).isEqualTo("France");
    assertThat(round2.at("/contents/1/parts/0/functionCall/id").isMissingNode()).isTrue();
    assertThat(round2.at("/contents/2/role").asText()).isEqualTo("user");
    assertThat(round2.at("/contents/2/parts/0/functionResponse/name").asText()).isEqualTo("get_capital");
    assertThat(round2.at("/contents/2/parts/0/functionResponse/response/result").asText()).isEqualTo("Paris");
  }

  @Test
  void aWorkflowCapStopsAToolLoopThatDoesNotEndBeforeTheNextRequest() {
    llm.close();
    llm = llm("  workflow-caps: { max-calls: 3 }\n");
    for (int i = 0; i < 3; i++) {
      openai.enqueue(recorded("openai-chat-tool-call.json")); // a model that keeps asking for the tool
    }
    Prompt.Builder prompt = Prompt.builder().user("What is the capital of England?");
    int calls = 0;
    CostCapExceededException stopped = null;
    while (stopped == null && calls < 10) {
      try {
        Completion c = llm.complete(CompletionRequest.builder("agent", prompt.build()).model("openai/gpt-4o-mini")
            .attribution(run("run-loop")).tools(GET_CAPITAL).build());
        calls++;
        prompt.assistant(c).toolResult(c.toolCalls().get(0), "London");
      } catch (CostCapExceededException e) {
        stopped = e;
      }
    }

    assertThat(calls).isEqualTo(3);
    assertThat(openai.getRequestCount()).isEqualTo(3);
    assertThat(stopped.cap()).isEqualTo("workflow run-loop");
    assertThat(stopped.calls()).isEqualTo(3);
    // three recorded round trips of 104 in x 0.15 + 16 out x 0.60 per 1M, spent on the workflow
    assertThat(stopped.spentUsd()).isEqualByComparingTo("0.0000756");
  }

  @Test
  void openAiStructuredOutputSendsTheSchemaAndReturnsTheJson() throws Exception {
    openai.enqueue(recorded("openai-chat-json-schema.json"));

    Completion c = llm.complete(CompletionRequest.builder("agent", Prompt.of("What is the largest city in Mexico?"))
        .model("openai/gpt-4o").jsonSchema(CITY).build());

    assertThat(c.json()).isEqualTo("{\"city\":\"Mexico City\",\"country\":\"Mexico\"}");
    assertThat(json.readTree(c.json()).get("city").asText()).isEqualTo("Mexico City");
    // 92 in x 2.50 + 15 out x 10.00 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.00038");
    JsonNode sent = body(openai);
    assertThat(sent.at("/response_format/type").asText()).isEqualTo("json_schema");
    assertThat(sent.at("/response_format/json_schema/name").asText()).isEqualTo("final_result");
    assertThat(sent.at("/response_format/json_schema/strict").asBoolean()).isFalse();
    assertThat(sent.at("/response_format/json_schema/schema/required/1").asText()).isEqualTo("country");
  }

  @Test
  void anthropicStructuredOutputIsAForcedToolWhoseInputIsTheAnswer() throws Exception {
    anthropic.enqueue(recorded("anthropic-forced-tool-answer.json"));

    Completion c = llm.complete(CompletionRequest.builder("agent",
        Prompt.of("What is the largest city in the user country?")).model("anthropic/claude-sonnet-4-5")
        .jsonSchema(CITY).build());

    assertThat(json.readTree(c.json())).isEqualTo(json.readTree("{\"city\":\"Mexico City\",\"country\":\"Mexico\"}"));
    assertThat(c.text()).isEqualTo(c.json());
    assertThat(c.toolCalls()).isEmpty(); // the answer, not a tool for the caller to run
    // 497 in x 3.00 + 56 out x 15.00 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.002331");
    JsonNode sent = body(anthropic);
    assertThat(sent.at("/tools/0/name").asText()).isEqualTo("final_result");
    assertThat(sent.at("/tools/0/input_schema/properties/city/type").asText()).isEqualTo("string");
    assertThat(sent.at("/tool_choice/type").asText()).isEqualTo("tool");
    assertThat(sent.at("/tool_choice/name").asText()).isEqualTo("final_result");
  }

  @Test
  void geminiStructuredOutputAsksForJsonOfTheSchema() throws Exception {
    gemini.enqueue(recorded("gemini-json-schema.json"));

    Completion c = llm.complete(CompletionRequest.builder("agent", Prompt.of("What is the largest city in Mexico?"))
        .model("gemini/gemini-2.0-flash").jsonSchema(CITY).build());

    assertThat(json.readTree(c.json())).isEqualTo(json.readTree("{\"city\":\"Mexico City\",\"country\":\"Mexico\"}"));
    assertThat(c.responseId()).isEqualTo("EfsgaZT5JPbXz7IPqtGJkQ8");
    // 8 in x 0.10 + 20 out x 0.40 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.0000088");
    JsonNode sent = body(gemini);
    assertThat(sent.at("/generationConfig/responseMimeType").asText()).isEqualTo("application/json");
    assertThat(sent.at("/generationConfig/responseJsonSchema/properties/country/type").asText()).isEqualTo("string");
  }

  @Test
  void openAiImageBytesGoAsADataUrlAndArePricedFromTheReportedUsage() throws Exception {
    openai.enqueue(recorded("openai-chat-image.json"));
    byte[] png = Base64.getDecoder().decode(KIWI_PNG_HEADER);

    Completion c = llm.complete(CompletionRequest.builder("agent",
        Prompt.builder().user("What fruit is in the image?", Image.of(png, "image/png")).build())
        .model("openai/gpt-4o").build());

    assertThat(c.text()).isEqualTo("The fruit in the image is a kiwi.");
    // 1119 in x 2.50 + 10 out x 10.00 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.0028975");
    JsonNode sent = body(openai);
    assertThat(sent.at("/messages/0/content/0/text").asText()).isEqualTo("What fruit is in the image?");
    assertThat(sent.at("/messages/0/content/1/type").asText()).isEqualTo("image_url");
    assertThat(sent.at("/messages/0/content/1/image_url/url").asText())
        .isEqualTo("data:image/png;base64," + KIWI_PNG_HEADER);
  }

  @Test
  void anthropicImageUrlGoesAsAUrlSource() throws Exception {
    anthropic.enqueue(recorded("anthropic-image-url.json"));
    String url = "https://t3.ftcdn.net/jpg/00/85/79/92/360_F_85799278_0BBGV9OAdQDTLnKwAPBCcg1J7QtiieJY.jpg";

    Completion c = llm.complete(CompletionRequest.builder("agent",
        Prompt.builder().user("What is this vegetable?", Image.url(url)).build())
        .model("anthropic/claude-haiku-4-5").build());

    assertThat(c.text()).startsWith("This is a potato.");
    // 296 in x 1.00 + 91 out x 5.00 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.000751");
    JsonNode sent = body(anthropic);
    assertThat(sent.at("/messages/0/content/0/type").asText()).isEqualTo("image");
    assertThat(sent.at("/messages/0/content/0/source/type").asText()).isEqualTo("url");
    assertThat(sent.at("/messages/0/content/0/source/url").asText()).isEqualTo(url);
    assertThat(sent.at("/messages/0/content/1/text").asText()).isEqualTo("What is this vegetable?");
  }

  @Test
  void openAiStreamedToolCallIsAssembledFromItsArgumentDeltas() throws Exception {
    openai.enqueue(recordedStream("openai-chat-stream-tool-call.sse"));
    openai.enqueue(recordedStream("openai-chat-stream-tool-answer.sse"));
    Tool getCapital = Tool.of("get_capital", "", """
        {"type":"object","properties":{"country":{"type":"string"}},"required":["country"],"additionalProperties":false}""");
    Prompt prompt = Prompt.of("What is the capital of the UK? Use the tool, then answer.");
    StringBuilder text = new StringBuilder();

    Completion first = stream("openai/gpt-4o-mini", prompt, text, getCapital);

    assertThat(first.toolCalls()).containsExactly(
        new ToolCall("call_ZR5UUuTt3pf61kjwAJIYdVMj", "get_capital", "{\"country\":\"UK\"}"));
    assertThat(text).isEmpty();
    // 53 in x 0.15 + 15 out x 0.60 per 1M
    assertThat(first.costUsd()).isEqualByComparingTo("0.00001695");
    assertThat(body(openai).at("/stream_options/include_usage").asBoolean()).isTrue();

    Completion answer = stream("openai/gpt-4o-mini",
        prompt.toBuilder().assistant(first).toolResult(first.toolCalls().get(0), "London").build(), text, getCapital);

    assertThat(text.toString()).isEqualTo("The capital of the UK is London.");
    assertThat(answer.text()).isEqualTo("The capital of the UK is London.");
    // 78 in x 0.15 + 9 out x 0.60 per 1M
    assertThat(answer.costUsd()).isEqualByComparingTo("0.0000171");
    JsonNode round2 = body(openai);
    assertThat(round2.at("/messages/1/tool_calls/0/function/arguments").asText()).isEqualTo("{\"country\":\"UK\"}");
    assertThat(round2.at("/messages/2/tool_call_id").asText()).isEqualTo("call_ZR5UUuTt3pf61kjwAJIYdVMj");
  }

  @Test
  void anthropicStreamedToolUseIsAssembledFromItsJsonDeltas() {
    anthropic.enqueue(recordedStream("anthropic-stream-tool-use.sse"));
    Tool weather = Tool.of("get_weather", "Get the current weather in a given location", """
        {"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""");
    StringBuilder text = new StringBuilder();

    Completion c = stream("anthropic/claude-sonnet-4-5", Prompt.of("What is the weather like in San Francisco?"), text,
        weather);

    assertThat(text.toString()).isEqualTo("Let me check the weather:");
    assertThat(c.toolCalls()).containsExactly(
        new ToolCall("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", "{\"location\": \"San Francisco, CA\"}"));
    assertThat(c.finishReason()).isEqualTo("tool_use");
    // 472 in x 3.00 + 89 out x 15.00 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.002751");
  }

  @Test
  void geminiStreamedFunctionCallCarriesItsThoughtSignatureBack() throws Exception {
    gemini.enqueue(recordedStream("gemini-stream-tool-call-signature.sse"));
    gemini.enqueue(recordedStream("gemini-stream-tool-answer.sse"));
    Tool getCountry = Tool.of("get_country", "", "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}");
    Prompt prompt = Prompt.of("What is the capital of the user country? Call the tool");
    StringBuilder text = new StringBuilder();

    Completion first = stream("gemini/gemini-3-pro-preview", prompt, text, getCountry);

    assertThat(first.toolCalls()).hasSize(1);
    ToolCall call = first.toolCalls().get(0);
    assertThat(call.name()).isEqualTo("get_country");
    assertThat(call.arguments()).isEqualTo("{}");
    assertThat(call.signature()).startsWith("EpwICpkIAXLI2nxlU6gsWZaZ").endsWith("owonoBDAXOk15QuFyU=");
    // 29 in x 2.00 + (10 candidates + 202 thoughts) out x 12.00 per 1M
    assertThat(first.costUsd()).isEqualByComparingTo("0.002602");
    assertThat(first.usage().reasoningTokens()).isEqualTo(202);
    body(gemini);

    Completion answer = stream("gemini/gemini-3-pro-preview",
        prompt.toBuilder().assistant(first).toolResult(call, "Mexico").build(), text, getCountry);

    assertThat(answer.text()).isEqualTo("The capital of Mexico is Mexico City.");
    // the last chunk's cumulative usage: 257 in x 2.00 + 8 out x 12.00 per 1M
    assertThat(answer.costUsd()).isEqualByComparingTo("0.00061");
    JsonNode round2 = body(gemini);
    assertThat(round2.at("/contents/1/parts/0/thoughtSignature").asText()).isEqualTo(call.signature());
    assertThat(round2.at("/contents/2/parts/0/functionResponse/response/result").asText()).isEqualTo("Mexico");
  }

  @Test
  void anthropicThinkingToolLoopSendsTheThinkingBlockBackUnchangedBeforeTheToolUse() throws Exception {
    anthropic.enqueue(recorded("anthropic-thinking-tool-call.json"));
    anthropic.enqueue(recorded("anthropic-thinking-tool-answer.json"));
    Tool getCountry = Tool.of("get_user_country", "",
        "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}");
    Prompt prompt = Prompt.of("What is the largest city in the user country?");

    Completion first = thinking(prompt, getCountry);

    assertThat(first.toolCalls()).containsExactly(new ToolCall("toolu_01YGzqpRE16Vricda3Aqcejo", "get_user_country", "{}"));
    assertThat(first.text()).isEqualTo(
        "I'll help you find the largest city in your country. First, let me determine which country you're from.");
    assertThat(first.reasoning()).hasSize(1);
    // recorded from claude-sonnet-4, replayed as claude-sonnet-4-6 (same rates): 398 in x 3.00 + 155 out x 15.00
    assertThat(first.costUsd()).isEqualByComparingTo("0.003519");
    // the model's reasoning stays out of what gets logged
    assertThat(first.toString() + first.reasoning() + prompt.toBuilder().assistant(first).build())
        .doesNotContain("EqEECkYI").doesNotContain("The user is asking");
    body(anthropic);

    Completion answer = thinking(prompt.toBuilder().assistant(first).toolResult(first.toolCalls().get(0), "Mexico")
        .build(), getCountry);

    assertThat(answer.text()).startsWith("Based on the information that you're from Mexico");
    // 566 in x 3.00 + 126 out x 15.00 per 1M
    assertThat(answer.costUsd()).isEqualByComparingTo("0.003588");
    JsonNode round2 = body(anthropic);
    JsonNode expected = json.readTree("""
        {"model":"claude-sonnet-4-6","max_tokens":7096,"thinking":{"type":"enabled","budget_tokens":3000},
         "messages":[{"role":"user","content":"What is the largest city in the user country?"},
                     {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01YGzqpRE16Vricda3Aqcejo",
                                                "content":"Mexico"}]}],
         "tools":[{"name":"get_user_country","description":"",
                   "input_schema":{"type":"object","properties":{},"additionalProperties":false}}],
         "metadata":{"user_id":"%s"}}""".formatted(round2.at("/metadata/user_id").asText()));
    assertThat(round2.at("/metadata/user_id").asText()).hasSize(64).doesNotContain("acme"); // hashed, never raw
    // the assistant turn goes back exactly as Anthropic accepted it in the recording: thinking (with its
    // signature), text, tool_use
    ((com.fasterxml.jackson.databind.node.ArrayNode) expected.get("messages")).insert(1, fixture(
        "anthropic-thinking-tool-call-turn-sent-back.json"));
    assertThat(round2).isEqualTo(expected);
  }

  @Test
  void anthropicStreamedThinkingIsAssembledFromItsDeltasAndGoesBackWithTheNextTurn() throws Exception {
    anthropic.enqueue(recordedStream("anthropic-stream-thinking.sse"));
    anthropic.enqueue(recorded("anthropic-thinking-budget.json"));
    Prompt prompt = Prompt.of("How do I cross the street?");
    StringBuilder text = new StringBuilder();

    Completion first = llm.stream(CompletionRequest.builder("agent", prompt).model("anthropic/claude-sonnet-4-6")
        .attribution(run("run-1")).thinkingBudget(1024).build(), text::append);

    assertThat(text.toString()).isEqualTo(first.text()).doesNotContain("straightforward question");
    // recorded from claude-sonnet-4: 43 in x 3.00 + 282 out (thinking included) x 15.00 per 1M
    assertThat(first.costUsd()).isEqualByComparingTo("0.004359");
    body(anthropic);

    thinking(prompt.toBuilder().assistant(first).user("And at night?").build());

    JsonNode turn = body(anthropic).at("/messages/1");
    assertThat(turn.get("role").asText()).isEqualTo("assistant");
    JsonNode thought = turn.at("/content/0");
    assertThat(thought.get("type").asText()).isEqualTo("thinking");
    // fourteen thinking_delta events joined, and the one signature_delta whole
    assertThat(thought.get("thinking").asText()).startsWith("This is a straightforward question about pedestrian safety.");
    assertThat(thought.get("signature").asText()).startsWith("EvMCCkYICxgCKkCHP2cSuEdcJK/").hasSize(
        signatureDeltaLength("anthropic-stream-thinking.sse"));
    assertThat(turn.at("/content/1")).isEqualTo(json.createObjectNode().put("type", "text").put("text", first.text()));
    assertThat(turn.get("content")).hasSize(2);
  }

  @Test
  void anthropicStreamedRedactedThinkingBlocksGoBackInOrder() throws Exception {
    anthropic.enqueue(recordedStream("anthropic-stream-redacted-thinking.sse"));
    anthropic.enqueue(recorded("anthropic-thinking-budget.json"));
    Prompt prompt = Prompt.of("Hello");
    StringBuilder text = new StringBuilder();

    Completion first = llm.stream(CompletionRequest.builder("agent", prompt).model("anthropic/claude-sonnet-4-6")
        .attribution(run("run-1")).thinkingBudget(1024).build(), text::append);

    // 92 in x 3.00 + 189 out x 15.00 per 1M
    assertThat(first.costUsd()).isEqualByComparingTo("0.003111");
    body(anthropic);
    thinking(prompt.toBuilder().assistant(first).user("Thanks").build());

    JsonNode content = body(anthropic).at("/messages/1/content");
    assertThat(content).hasSize(3);
    assertThat(content.at("/0/type").asText()).isEqualTo("redacted_thinking");
    assertThat(content.at("/0/data").asText()).startsWith("EqkECkYIBxgCKkA8AZ4noDfV5VcOJe").endsWith("vnBd4ewJ/hgB");
    assertThat(content.at("/1/type").asText()).isEqualTo("redacted_thinking");
    assertThat(content.at("/1/data").asText()).startsWith("EtgBCkYIBxgCKkDQfGkwzflEJP5asG3o");
    assertThat(content.at("/2/type").asText()).isEqualTo("text");
  }

  @Test
  void anthropicThinkingBlocksAreNotSentToAnotherProvider() throws Exception {
    anthropic.enqueue(recorded("anthropic-thinking-tool-call.json"));
    openai.enqueue(recorded("openai-chat-tool-answer.json"));
    Tool getCountry = Tool.of("get_user_country", "", "{\"type\":\"object\",\"properties\":{}}");
    Prompt prompt = Prompt.of("What is the largest city in the user country?");
    Completion first = thinking(prompt, getCountry);

    call("openai/gpt-4o-mini", prompt.toBuilder().assistant(first).toolResult(first.toolCalls().get(0), "Mexico")
        .build(), getCountry);

    JsonNode sent = body(openai);
    assertThat(sent.toString()).doesNotContain("EqEECkYI").doesNotContain("thinking");
    assertThat(sent.at("/messages/1/tool_calls/0/id").asText()).isEqualTo("toolu_01YGzqpRE16Vricda3Aqcejo");
  }

  private Completion thinking(Prompt prompt, Tool... tools) {
    return llm.complete(CompletionRequest.builder("agent", prompt).model("anthropic/claude-sonnet-4-6")
        .attribution(run("run-1")).thinkingBudget(3000).tools(tools).build());
  }

  private JsonNode fixture(String name) throws IOException {
    try (InputStream in = ToolsOverHttpTest.class.getResourceAsStream("tools/" + name)) {
      return json.readTree(in);
    }
  }

  /** The length of the signature in the recorded stream's one signature_delta event. */
  private int signatureDeltaLength(String name) throws IOException {
    try (InputStream in = ToolsOverHttpTest.class.getResourceAsStream("tools/" + name)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.contains("signature_delta")) {
          return json.readTree(line.substring("data: ".length())).at("/delta/signature").asText().length();
        }
      }
    }
    throw new IllegalStateException("no signature_delta in " + name);
  }

  @Test
  void toolsForAModelWithoutToolCallingAreRefusedBeforeTheNetworkNamingModelParameterAndFix() {
    io.finops4j.api.UnsupportedParameterException e = catchThrowableOfType(
        io.finops4j.api.UnsupportedParameterException.class,
        () -> call("openai/o1-mini", Prompt.of("What is the capital of England?"), GET_CAPITAL));

    assertThat(e.model().qualified()).isEqualTo("openai/o1-mini");
    assertThat(e.parameter()).isEqualTo("tools");
    assertThat(e.getMessage()).contains("does not support tool calling", "route the task to a model that calls tools");
    assertThat(openai.getRequestCount()).isZero();
  }

  @Test
  void imagesForAModelWithoutVisionAreRefusedBeforeTheNetwork() {
    io.finops4j.api.UnsupportedParameterException e = catchThrowableOfType(
        io.finops4j.api.UnsupportedParameterException.class,
        () -> llm.complete(CompletionRequest.builder("agent", Prompt.builder()
            .user("What fruit is in the image?", Image.url("https://example.com/kiwi.png")).build())
            .model("openai/o3-mini").build()));

    assertThat(e.parameter()).isEqualTo("images");
    assertThat(e.getMessage()).contains("openai/o3-mini does not take image input", "route the task to a vision model");
    assertThat(openai.getRequestCount()).isZero();
  }

  @Test
  void geminiImageBytesGoInlineAndTheReservationBoundsWhatGeminiBilled() throws Exception {
    gemini.enqueue(recorded("gemini-image-inline.json"));
    String jpeg;
    try (InputStream in = ToolsOverHttpTest.class.getResourceAsStream("tools/gemini-image-jpeg-header.b64")) {
      jpeg = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
    }
    Prompt prompt = Prompt.builder().system("You are a helpful chatbot.")
        .user("What is this vegetable?", Image.of(Base64.getDecoder().decode(jpeg), "image/jpeg")).build();

    Completion c = llm.complete(CompletionRequest.builder("agent", prompt).model("gemini/gemini-2.0-flash").build());

    assertThat(c.text()).isEqualTo("That is a potato.");
    // 1817 in (1806 of them the image) x 0.10 + 5 out x 0.40 per 1M
    assertThat(c.costUsd()).isEqualByComparingTo("0.0001837");
    // what a budget reserves for the prompt covers what Gemini billed for it
    assertThat(new io.finops4j.core.TokenCounter().upperBound(prompt, io.finops4j.api.ModelId.parse(
        "gemini/gemini-2.0-flash"))).isGreaterThanOrEqualTo(c.usage().inputTokens());
    JsonNode sent = body(gemini);
    assertThat(sent.at("/contents/0/parts/0/text").asText()).isEqualTo("What is this vegetable?");
    assertThat(sent.at("/contents/0/parts/1/inlineData/mimeType").asText()).isEqualTo("image/jpeg");
    assertThat(sent.at("/contents/0/parts/1/inlineData/data").asText()).isEqualTo(jpeg);
    assertThat(sent.at("/systemInstruction/parts/0/text").asText()).isEqualTo("You are a helpful chatbot.");
  }
}
