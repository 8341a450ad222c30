package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.finops4j.api.Image;
import io.finops4j.api.JsonSchema;
import io.finops4j.api.Prompt;
import io.finops4j.api.ReasoningBlock;
import io.finops4j.api.Tool;
import io.finops4j.api.ToolCall;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/** The Anthropic Messages wire format: request JSON out, messages, stream events and usage in. */
final class AnthropicWire {

  private AnthropicWire() {}

  /**
   * The fewest prompt tokens Anthropic caches for {@code model}: shorter prefixes marked with
   * {@code cache_control} are processed uncached (no error, no discount). Opus 4.5+ and Haiku 4.5: 4096;
   * Sonnet 4.6 and the Haiku 3 family: 2048; every other model: 1024.
   */
  static int minCacheableTokens(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    if (m.startsWith("claude-haiku-4") || m.startsWith("claude-opus-4-5") || m.startsWith("claude-opus-4-6")
        || m.startsWith("claude-opus-4-7")) {
      return 4096;
    }
    if (m.startsWith("claude-sonnet-4-6") || m.startsWith("claude-3-haiku") || m.startsWith("claude-3-5-haiku")) {
      return 2048;
    }
    return 1024;
  }

  /**
   * True when a system prompt of {@code chars} characters is worth a {@code cache_control} marker: tokens are
   * approximated as chars / 4 (English prose averages about 4 characters per token). A marker on a prefix that
   * is slightly too short costs nothing: Anthropic then simply does not cache it.
   */
  static boolean cacheable(String model, String system) {
    return system != null && system.length() / 4 >= minCacheableTokens(model);
  }

  static byte[] requestBody(JsonFactory factory, ProviderRequest r, boolean stream, int defaultMaxTokens) {
    BodyBytes out = new BodyBytes();
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", r.model());
      // max_tokens is required by the Messages API; it covers thinking too, so the budget comes on top
      int answer = r.maxOutputTokens() != null ? r.maxOutputTokens() : defaultMaxTokens;
      g.writeNumberField("max_tokens", r.thinkingBudget() != null ? answer + r.thinkingBudget() : answer);
      if (r.thinkingBudget() != null && r.thinkingBudget() > 0) {
        g.writeObjectFieldStart("thinking");
        g.writeStringField("type", "enabled");
        g.writeNumberField("budget_tokens", r.thinkingBudget());
        g.writeEndObject();
      }
      String system = system(r.prompt());
      if (system != null) {
        if (r.cachePrompt() && cacheable(r.model(), system)) {
          g.writeArrayFieldStart("system");
          g.writeStartObject();
          g.writeStringField("type", "text");
          g.writeStringField("text", system);
          g.writeObjectFieldStart("cache_control");
          g.writeStringField("type", "ephemeral");
          g.writeEndObject();
          g.writeEndObject();
          g.writeEndArray();
        } else {
          g.writeStringField("system", system);
        }
      }
      g.writeArrayFieldStart("messages");
      java.util.List<Prompt.Message> messages = r.prompt().messages();
      for (int i = 0; i < messages.size(); i++) {
        Prompt.Message m = messages.get(i);
        if (m.role() == Prompt.Role.SYSTEM) {
          continue;
        }
        g.writeStartObject();
        g.writeStringField("role", m.role() == Prompt.Role.ASSISTANT ? "assistant" : "user");
        if (m.role() == Prompt.Role.TOOL) {
          // the results of one turn's calls travel together in one user message
          g.writeArrayFieldStart("content");
          toolResult(g, m);
          while (i + 1 < messages.size() && messages.get(i + 1).role() == Prompt.Role.TOOL) {
            toolResult(g, messages.get(++i));
          }
          g.writeEndArray();
        } else if (m.images().isEmpty() && m.toolCalls().isEmpty() && !hasOwnReasoning(m)) {
          g.writeStringField("content", m.content());
        } else {
          blocks(g, m);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      tools(g, r);
      if (r.reasoningEffort() != null) {
        // the effort parameter (Opus 4.5 and later, Sonnet 4.6): how eagerly the model spends tokens, thinking,
        // text and tool calls alike; the model rules say which models and values take it
        g.writeObjectFieldStart("output_config");
        g.writeStringField("effort", r.reasoningEffort());
        g.writeEndObject();
      }
      if (r.temperature() != null) {
        g.writeNumberField("temperature", r.temperature());
      }
      if (r.user() != null) {
        g.writeObjectFieldStart("metadata");
        g.writeStringField("user_id", r.user());
        g.writeEndObject();
      }
      if (stream) {
        g.writeBooleanField("stream", true);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
    return out.toByteArray();
  }

  private static void toolResult(JsonGenerator g, Prompt.Message m) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "tool_result");
    g.writeStringField("tool_use_id", m.toolCallId());
    g.writeStringField("content", m.content());
    g.writeEndObject();
  }

  /** The provider name on the reasoning blocks this adapter reads and sends back. */
  static final String PROVIDER = "anthropic";

  private static boolean hasOwnReasoning(Prompt.Message m) {
    for (ReasoningBlock b : m.reasoning()) {
      if (PROVIDER.equals(b.provider())) {
        return true;
      }
    }
    return false;
  }

  /**
   * A user turn with images or an assistant turn with tool calls or thinking, as content blocks: the thinking
   * blocks first and byte for byte as they came (Anthropic checks their signatures and rejects a tool-result turn
   * whose assistant turn lost them), then the text, then the tool calls, the order Anthropic answers in.
   */
  private static void blocks(JsonGenerator g, Prompt.Message m) throws IOException {
    g.writeArrayFieldStart("content");
    for (ReasoningBlock b : m.reasoning()) {
      if (PROVIDER.equals(b.provider())) {
        g.writeRawValue(b.json());
      }
    }
    for (Image image : m.images()) {
      g.writeStartObject();
      g.writeStringField("type", "image");
      g.writeObjectFieldStart("source");
      if (image.url() != null) {
        g.writeStringField("type", "url");
        g.writeStringField("url", image.url());
      } else {
        g.writeStringField("type", "base64");
        g.writeStringField("media_type", image.mediaType());
        g.writeStringField("data", image.base64());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    if (!m.content().isEmpty()) {
      g.writeStartObject();
      g.writeStringField("type", "text");
      g.writeStringField("text", m.content());
      g.writeEndObject();
    }
    for (ToolCall c : m.toolCalls()) {
      g.writeStartObject();
      g.writeStringField("type", "tool_use");
      g.writeStringField("id", c.id());
      g.writeStringField("name", c.name());
      WireJson.writeObject(g, "input", c.arguments(), "arguments of tool call " + c.id());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /**
   * {@code tools} and {@code tool_choice}; a structured answer is asked for as one more tool whose input is the
   * answer, forced when it is the only tool (Anthropic's documented way to get JSON of a given schema).
   */
  private static void tools(JsonGenerator g, ProviderRequest r) throws IOException {
    JsonSchema schema = r.jsonSchema();
    if (r.tools().isEmpty() && schema == null) {
      return;
    }
    g.writeArrayFieldStart("tools");
    for (Tool t : r.tools()) {
      tool(g, t.name(), t.description(), t.parameters());
    }
    if (schema != null) {
      tool(g, schema.name(), "Answer with this tool: its input is the answer.", schema.schema());
    }
    g.writeEndArray();
    String choice = r.toolChoice();
    if (choice == null && schema != null && r.tools().isEmpty() && r.thinkingBudget() == null) {
      choice = schema.name(); // forcing a tool is not allowed with extended thinking
    }
    if (choice == null) {
      return;
    }
    g.writeObjectFieldStart("tool_choice");
    switch (choice) {
      case "auto":
        g.writeStringField("type", "auto");
        break;
      case "required":
        g.writeStringField("type", "any");
        break;
      case "none":
        g.writeStringField("type", "none");
        break;
      default:
        g.writeStringField("type", "tool");
        g.writeStringField("name", choice);
    }
    g.writeEndObject();
  }

  private static void tool(JsonGenerator g, String name, String description, String schema) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", name);
    if (description != null) {
      g.writeStringField("description", description);
    }
    WireJson.writeObject(g, "input_schema", schema, "schema of tool " + name);
    g.writeEndObject();
  }

  /**
   * {@code response} for {@code request}: when a structured answer was asked for, the call of its tool is the
   * answer (its input JSON becomes the text) rather than a tool call for the caller.
   */
  static ProviderResponse structured(ProviderResponse response, ProviderRequest request) {
    JsonSchema schema = request.jsonSchema();
    if (schema == null) {
      return response;
    }
    String answer = null;
    java.util.List<ToolCall> calls = new java.util.ArrayList<>();
    for (ToolCall c : response.toolCalls()) {
      if (answer == null && c.name().equals(schema.name())) {
        answer = c.arguments();
      } else {
        calls.add(c);
      }
    }
    return answer == null ? response : new ProviderResponse(answer, response.model(), response.usage(),
        response.finishReason(), response.requestId(), response.responseId(), calls, response.reasoning());
  }

  /** Every system message, joined: the Messages API takes the system prompt as one top-level field. */
  private static String system(Prompt prompt) {
    String joined = null;
    for (Prompt.Message m : prompt.messages()) {
      if (m.role() == Prompt.Role.SYSTEM) {
        joined = joined == null ? m.content() : joined + "\n\n" + m.content();
      }
    }
    return joined;
  }

  /**
   * A non-streaming {@code message} object: the text blocks joined; thinking blocks are not answer text but are
   * kept whole, to go back with the tool results.
   */
  static ProviderResponse message(JsonNode root, String requestId) {
    if (root == null || !root.isObject()) {
      throw new OpenAiWire.MalformedException("response body is not a JSON object");
    }
    JsonNode content = root.get("content");
    if (content == null || !content.isArray()) {
      throw new OpenAiWire.MalformedException("response has no content");
    }
    StringBuilder text = new StringBuilder();
    java.util.List<ToolCall> calls = new java.util.ArrayList<>();
    java.util.List<ReasoningBlock> reasoning = new java.util.ArrayList<>();
    for (JsonNode block : content) {
      String type = block.path("type").asText();
      if ("text".equals(type)) {
        text.append(block.path("text").asText(""));
      } else if (isThinking(type)) {
        reasoning.add(new ReasoningBlock(PROVIDER, block.toString()));
      } else if ("tool_use".equals(type) && block.hasNonNull("id") && block.hasNonNull("name")) {
        JsonNode input = block.get("input");
        calls.add(new ToolCall(block.get("id").asText(), block.get("name").asText(),
            input == null || input.isNull() ? "{}" : input.toString()));
      }
    }
    return new ProviderResponse(text.toString(), OpenAiWire.textOrNull(root.get("model")), usage(root.get("usage")),
        OpenAiWire.textOrNull(root.get("stop_reason")), requestId, OpenAiWire.textOrNull(root.get("id")), calls,
        reasoning);
  }

  private static boolean isThinking(String blockType) {
    return "thinking".equals(blockType) || "redacted_thinking".equals(blockType);
  }

  /**
   * Anthropic usage, normalized: {@code input_tokens} EXCLUDES cache reads and writes, so they are added to
   * make the OpenTelemetry input count; {@code output_tokens} already includes thinking. Anthropic does not report
   * thinking tokens apart, so {@code reasoningTokens} stays 0. Null when absent (not reported is not zero).
   */
  static Usage usage(JsonNode u) {
    if (!OpenAiWire.hasCounts(u, "input_tokens", "output_tokens")) {
      return null;
    }
    JsonNode in = u.get("input_tokens");
    JsonNode out = u.get("output_tokens");
    long read = OpenAiWire.count(u.path("cache_read_input_tokens"), "cache_read_input_tokens");
    long write = OpenAiWire.count(u.path("cache_creation_input_tokens"), "cache_creation_input_tokens");
    long write1h = Math.min(write, OpenAiWire.count(u.path("cache_creation").path("ephemeral_1h_input_tokens"),
        "ephemeral_1h_input_tokens"));
    return OpenAiWire.raw(u).inputTokens(OpenAiWire.count(in, "input_tokens") + read + write)
        .outputTokens(OpenAiWire.count(out, "output_tokens"))
        .cachedInputTokens(read).cacheWriteTokens(write).cacheWrite1hTokens(write1h).build();
  }

  /** What a stream has delivered so far. */
  static final class StreamState extends EventStream {
    String stopReason;
    /** The usage fields seen so far: each event's values REPLACE earlier ones (Anthropic's are cumulative). */
    ObjectNode usage;
    boolean started;
    final WireJson.Calls calls = new WireJson.Calls();
    /** Thinking blocks by content index: opened by content_block_start, filled by thinking and signature deltas. */
    final java.util.TreeMap<Integer, ObjectNode> thinking = new java.util.TreeMap<>();

    StreamState() {
      super("stream event", "stream ended before its message_stop event");
    }

    @Override
    String apply(String data) throws IOException {
      return event(OpenAiClient.JSON, data, this);
    }

    @Override
    ProviderResponse response(String requestId) {
      java.util.List<ReasoningBlock> reasoning = new java.util.ArrayList<>(thinking.size());
      for (ObjectNode block : thinking.values()) {
        reasoning.add(new ReasoningBlock(PROVIDER, block.toString()));
      }
      return new ProviderResponse(text.toString(), model, usage(usage), stopReason, requestId, responseId,
          calls.list(), reasoning);
    }

    /** Appends a {@code thinking_delta}'s text or a {@code signature_delta}'s signature to its block. */
    private void appendThinking(int index, String field, String delta) {
      ObjectNode block = thinking.get(index);
      if (block != null) {
        block.put(field, block.path(field).asText("") + delta);
      }
    }

    /** After message_delta (it carries the stop reason) the cumulative usage is final. */
    @Override
    Usage finalUsage() {
      return stopReason == null ? null : usage(usage);
    }

    private void mergeUsage(JsonNode u) {
      if (u == null || !u.isObject()) {
        return;
      }
      if (usage == null) {
        usage = (ObjectNode) u.deepCopy();
      } else {
        // message_delta repeats the cumulative counts (output so far, and on newer API versions the input
        // counts too): replace field by field, never add
        usage.setAll((ObjectNode) u);
      }
    }
  }

  /**
   * Applies one event's {@code data}; returns its text delta or null. message_start carries the model and the
   * input usage, content_block_delta the text ({@code text_delta}; {@code input_json_delta} is a tool call's
   * arguments, {@code thinking_delta} and {@code signature_delta} fill a thinking block kept to send back),
   * message_delta the stop reason and cumulative usage,
   * message_stop ends the stream, error fails it, ping and block start/stop carry nothing we need.
   */
  static String event(ObjectMapper mapper, String data, StreamState state) throws IOException {
    try (JsonParser p = mapper.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new OpenAiWire.MalformedException("stream event is not a JSON object");
      }
      String type = null;
      String deltaType = null;
      String deltaText = null;
      String partialJson = null;
      String thinkingDelta = null;
      String signatureDelta = null;
      JsonNode block = null;
      int index = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "type":
            type = p.getValueAsString();
            break;
          case "delta":
            if (t == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("type") && v == JsonToken.VALUE_STRING) {
                  deltaType = p.getText();
                } else if (f.equals("text") && v == JsonToken.VALUE_STRING) {
                  deltaText = p.getText();
                } else if (f.equals("partial_json") && v == JsonToken.VALUE_STRING) {
                  partialJson = p.getText();
                } else if (f.equals("thinking") && v == JsonToken.VALUE_STRING) {
                  thinkingDelta = p.getText();
                } else if (f.equals("signature") && v == JsonToken.VALUE_STRING) {
                  signatureDelta = p.getText();
                } else if (f.equals("stop_reason") && v == JsonToken.VALUE_STRING) {
                  state.stopReason = p.getText();
                } else {
                  p.skipChildren();
                }
              }
            } else {
              p.skipChildren();
            }
            break;
          case "message":
            if (t == JsonToken.START_OBJECT) {
              JsonNode message = p.readValueAsTree();
              state.started = true;
              if (state.responseId == null) {
                state.responseId = OpenAiWire.textOrNull(message.get("id"));
              }
              if (state.model == null) {
                state.model = OpenAiWire.textOrNull(message.get("model"));
              }
              state.mergeUsage(message.get("usage"));
            }
            break;
          case "usage":
            if (t == JsonToken.START_OBJECT) {
              state.mergeUsage(p.readValueAsTree());
            }
            break;
          case "index":
            index = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
            break;
          case "content_block":
            if (t == JsonToken.START_OBJECT) {
              block = p.readValueAsTree();
            }
            break;
          default:
            state.errorOrSkip(field, t, p);
        }
      }
      if ("message_stop".equals(type)) {
        state.ended = true;
      }
      if (block != null && "tool_use".equals(block.path("type").asText())) {
        String[] call = state.calls.at(index); // the index may come before or after the block
        call[0] = OpenAiWire.textOrNull(block.get("id"));
        call[1] = OpenAiWire.textOrNull(block.get("name"));
      }
      if (block != null && isThinking(block.path("type").asText()) && block.isObject()) {
        state.thinking.put(index, (ObjectNode) block);
      }
      if ("thinking_delta".equals(deltaType) && thinkingDelta != null) {
        state.appendThinking(index, "thinking", thinkingDelta);
      }
      if ("signature_delta".equals(deltaType) && signatureDelta != null) {
        state.appendThinking(index, "signature", signatureDelta);
      }
      if ("input_json_delta".equals(deltaType) && partialJson != null) {
        state.calls.at(index)[2] += partialJson;
      }
      if (!"content_block_delta".equals(type) || !"text_delta".equals(deltaType) || deltaText == null
          || deltaText.isEmpty()) {
        return null;
      }
      state.text.append(deltaText);
      return deltaText;
    }
  }
}
