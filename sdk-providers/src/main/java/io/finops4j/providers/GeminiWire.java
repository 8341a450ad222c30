package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.Image;
import io.finops4j.api.Prompt;
import io.finops4j.api.Tool;
import io.finops4j.api.ToolCall;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The Gemini generateContent wire format: request JSON out, responses, stream chunks and usage in. */
final class GeminiWire {

  private GeminiWire() {}

  static byte[] requestBody(JsonFactory factory, ProviderRequest r) {
    BodyBytes out = new BodyBytes();
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      String system = null;
      g.writeArrayFieldStart("contents");
      List<Prompt.Message> messages = r.prompt().messages();
      for (int i = 0; i < messages.size(); i++) {
        Prompt.Message m = messages.get(i);
        if (m.role() == Prompt.Role.SYSTEM) {
          system = system == null ? m.content() : system + "\n\n" + m.content();
          continue;
        }
        g.writeStartObject();
        g.writeStringField("role", m.role() == Prompt.Role.ASSISTANT ? "model" : "user");
        if (m.role() == Prompt.Role.TOOL) {
          // the responses to one turn's calls travel together in one content
          g.writeArrayFieldStart("parts");
          functionResponse(g, m);
          while (i + 1 < messages.size() && messages.get(i + 1).role() == Prompt.Role.TOOL) {
            functionResponse(g, messages.get(++i));
          }
          g.writeEndArray();
        } else if (m.images().isEmpty() && m.toolCalls().isEmpty()) {
          parts(g, m.content());
        } else {
          richParts(g, m);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      tools(g, r);
      if (system != null) {
        g.writeObjectFieldStart("systemInstruction");
        parts(g, system);
        g.writeEndObject();
      }
      if (r.maxOutputTokens() != null || r.temperature() != null || r.jsonSchema() != null
          || r.thinkingBudget() != null || r.reasoningEffort() != null) {
        g.writeObjectFieldStart("generationConfig");
        if (r.outputCeiling() != null) {
          // maxOutputTokens covers thinking too, so the budget comes on top of the answer's ceiling
          g.writeNumberField("maxOutputTokens", r.outputCeiling());
        }
        if (r.temperature() != null) {
          g.writeNumberField("temperature", r.temperature());
        }
        if (r.jsonSchema() != null) {
          // responseJsonSchema takes JSON Schema as written for OpenAI and Anthropic (additionalProperties too),
          // where responseSchema takes only Gemini's OpenAPI subset: one schema works on every provider
          g.writeStringField("responseMimeType", "application/json");
          WireJson.writeObject(g, "responseJsonSchema", r.jsonSchema().schema(), "schema " + r.jsonSchema().name());
        }
        if (r.thinkingBudget() != null || r.reasoningEffort() != null) {
          // Gemini 3 takes a thinkingLevel, Gemini 2.5 a thinkingBudget (the model rules allow one or the other)
          g.writeObjectFieldStart("thinkingConfig");
          if (r.reasoningEffort() != null) {
            g.writeStringField("thinkingLevel", r.reasoningEffort());
          } else {
            g.writeNumberField("thinkingBudget", r.thinkingBudget());
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
    return out.toByteArray();
  }

  private static void functionResponse(JsonGenerator g, Prompt.Message m) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("functionResponse");
    if (!m.toolCallId().startsWith("call_")) { // an id Gemini itself gave the call (ours are call_<index>)
      g.writeStringField("id", m.toolCallId());
    }
    g.writeStringField("name", m.toolName());
    WireJson.writeResultObject(g, "response", m.content());
    g.writeEndObject();
    g.writeEndObject();
  }

  /** A user turn with images or a model turn with function calls. */
  private static void richParts(JsonGenerator g, Prompt.Message m) throws IOException {
    g.writeArrayFieldStart("parts");
    if (!m.content().isEmpty()) {
      g.writeStartObject();
      g.writeStringField("text", m.content());
      g.writeEndObject();
    }
    for (Image image : m.images()) {
      g.writeStartObject();
      if (image.url() != null) {
        g.writeObjectFieldStart("fileData");
        g.writeStringField("mimeType", image.mediaType() != null ? image.mediaType() : mediaType(image.url()));
        g.writeStringField("fileUri", image.url());
      } else {
        g.writeObjectFieldStart("inlineData");
        g.writeStringField("mimeType", image.mediaType());
        g.writeStringField("data", image.base64());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    for (ToolCall c : m.toolCalls()) {
      g.writeStartObject();
      g.writeObjectFieldStart("functionCall");
      if (!c.id().startsWith("call_")) {
        g.writeStringField("id", c.id());
      }
      g.writeStringField("name", c.name());
      WireJson.writeObject(g, "args", c.arguments(), "arguments of tool call " + c.id());
      g.writeEndObject();
      if (c.signature() != null) {
        g.writeStringField("thoughtSignature", c.signature()); // Gemini requires it back with the call
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** The media type Gemini requires with a file URI, from the URL's extension (JPEG when it has none we know). */
  static String mediaType(String url) {
    String u = url.toLowerCase(java.util.Locale.ROOT);
    int q = u.indexOf('?');
    if (q >= 0) {
      u = u.substring(0, q);
    }
    if (u.endsWith(".png")) {
      return "image/png";
    }
    if (u.endsWith(".webp")) {
      return "image/webp";
    }
    if (u.endsWith(".gif")) {
      return "image/gif";
    }
    return "image/jpeg";
  }

  /** {@code tools} (function declarations, their parameters as JSON Schema) and {@code toolConfig}. */
  private static void tools(JsonGenerator g, ProviderRequest r) throws IOException {
    if (r.tools().isEmpty()) {
      return;
    }
    g.writeArrayFieldStart("tools");
    g.writeStartObject();
    g.writeArrayFieldStart("functionDeclarations");
    for (Tool t : r.tools()) {
      g.writeStartObject();
      g.writeStringField("name", t.name());
      if (t.description() != null) {
        g.writeStringField("description", t.description());
      }
      WireJson.writeObject(g, "parametersJsonSchema", t.parameters(), "parameters of tool " + t.name());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
    String choice = r.toolChoice();
    if (choice == null) {
      return;
    }
    g.writeObjectFieldStart("toolConfig");
    g.writeObjectFieldStart("functionCallingConfig");
    switch (choice) {
      case "auto":
        g.writeStringField("mode", "AUTO");
        break;
      case "required":
        g.writeStringField("mode", "ANY");
        break;
      case "none":
        g.writeStringField("mode", "NONE");
        break;
      default:
        g.writeStringField("mode", "ANY");
        g.writeArrayFieldStart("allowedFunctionNames");
        g.writeString(choice);
        g.writeEndArray();
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  /** Adds the {@code functionCall} of a part (with its {@code thoughtSignature}, if any) to {@code calls}. */
  static void functionCall(JsonNode call, String signature, WireJson.Calls calls) {
    if (call == null || !call.isObject() || OpenAiWire.textOrNull(call.get("name")) == null) {
      return;
    }
    JsonNode args = call.get("args");
    calls.add(OpenAiWire.textOrNull(call.get("id")), call.get("name").asText(),
        args == null || args.isNull() ? "{}" : args.toString(), signature);
  }

  static void parts(JsonGenerator g, String text) throws IOException {
    g.writeArrayFieldStart("parts");
    g.writeStartObject();
    g.writeStringField("text", text);
    g.writeEndObject();
    g.writeEndArray();
  }

  /**
   * A {@code GenerateContentResponse}: the first candidate's non-thought parts joined. A prompt blocked by safety
   * filters has no candidates: its finish reason is then {@code promptFeedback.blockReason}.
   */
  static ProviderResponse response(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new OpenAiWire.MalformedException("response body is not a JSON object");
    }
    JsonNode candidates = root.get("candidates");
    StringBuilder text = new StringBuilder();
    WireJson.Calls calls = new WireJson.Calls();
    String finish = null;
    if (candidates != null && candidates.isArray() && !candidates.isEmpty()) {
      JsonNode first = candidates.get(0);
      for (JsonNode part : first.path("content").path("parts")) {
        if (!part.path("thought").asBoolean(false)) {
          text.append(part.path("text").asText(""));
        }
        functionCall(part.get("functionCall"), OpenAiWire.textOrNull(part.get("thoughtSignature")), calls);
      }
      finish = OpenAiWire.textOrNull(first.get("finishReason"));
    } else {
      finish = OpenAiWire.textOrNull(root.at("/promptFeedback/blockReason"));
      if (finish == null && root.get("usageMetadata") == null) {
        throw new OpenAiWire.MalformedException("response has no candidates");
      }
    }
    return new ProviderResponse(text.toString(), OpenAiWire.textOrNull(root.get("modelVersion")),
        usage(root.get("usageMetadata")), finish, OpenAiWire.textOrNull(root.get("responseId")),
        OpenAiWire.textOrNull(root.get("responseId")), calls.list());
  }

  /**
   * Gemini usage, normalized: {@code promptTokenCount} already INCLUDES {@code cachedContentTokenCount} (a
   * subset); {@code thoughtsTokenCount} is SEPARATE from {@code candidatesTokenCount} and billed as output, so
   * output = candidates + thoughts and reasoning = thoughts. {@code toolUsePromptTokenCount} (tokens of tool
   * results, e.g. search grounding) is billed as input and added to it. Null when absent.
   */
  static Usage usage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return null;
    }
    JsonNode prompt = u.get("promptTokenCount");
    if (prompt == null || !prompt.isNumber()) {
      return null;
    }
    long input = OpenAiWire.count(prompt, "promptTokenCount")
        + OpenAiWire.count(u.path("toolUsePromptTokenCount"), "toolUsePromptTokenCount");
    long cached = Math.min(input, OpenAiWire.count(u.path("cachedContentTokenCount"), "cachedContentTokenCount"));
    long candidates = OpenAiWire.count(u.path("candidatesTokenCount"), "candidatesTokenCount");
    long thoughts = OpenAiWire.count(u.path("thoughtsTokenCount"), "thoughtsTokenCount");
    Usage.Builder usage = Usage.builder();
    for (Map.Entry<String, JsonNode> e : u.properties()) {
      if (e.getValue().isIntegralNumber()) {
        usage.raw(e.getKey(), e.getValue().asLong());
      }
    }
    return usage.inputTokens(input).cachedInputTokens(cached).outputTokens(candidates + thoughts)
        .reasoningTokens(thoughts).build();
  }

  /** What a stream has delivered so far. */
  static final class StreamState extends EventStream {
    String finishReason;
    /** Each chunk's usageMetadata is cumulative: the last one replaces the earlier ones. */
    String usageJson;
    final WireJson.Calls calls = new WireJson.Calls();

    StreamState() {
      super("stream chunk", "stream ended before a chunk with a finishReason");
    }

    @Override
    String apply(String data) throws IOException {
      return chunk(OpenAiClient.JSON, data, this);
    }

    /** Gemini streams have no terminal event: a chunk with a finish reason makes the stream complete. */
    @Override
    String truncation() {
      return finishReason == null ? super.truncation() : null;
    }

    /** The stream's own {@code responseId}: Gemini sends no request id header. */
    @Override
    String requestId(String fromHeader) {
      return responseId;
    }

    @Override
    ProviderResponse response(String requestId) throws IOException {
      Usage usage = usageJson == null ? null : usage(OpenAiClient.JSON.readTree(usageJson));
      return new ProviderResponse(text.toString(), model, usage, finishReason, responseId, responseId, calls.list());
    }
  }

  /** Applies one streamed {@code GenerateContentResponse}; returns its text delta or null. */
  static String chunk(ObjectMapper mapper, String data, StreamState state) throws IOException {
    try (JsonParser p = mapper.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new OpenAiWire.MalformedException("stream chunk is not a JSON object");
      }
      StringBuilder delta = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "candidates":
            if (t == JsonToken.START_ARRAY) {
              delta = candidates(p, state);
            } else {
              p.skipChildren();
            }
            break;
          case "usageMetadata":
            if (t == JsonToken.START_OBJECT) {
              // every chunk repeats it and only the last counts: keep its text, parse it once at the end
              long start = p.currentTokenLocation().getCharOffset();
              p.skipChildren();
              long end = p.currentLocation().getCharOffset();
              state.usageJson = start >= 0 && end > start ? data.substring((int) start, (int) end) : null;
            }
            break;
          case "modelVersion":
            if (t == JsonToken.VALUE_STRING) {
              state.model = p.getText();
            }
            break;
          case "responseId":
            if (t == JsonToken.VALUE_STRING) {
              state.responseId = p.getText();
            }
            break;
          case "promptFeedback":
            if (t == JsonToken.START_OBJECT) {
              JsonNode feedback = p.readValueAsTree();
              String block = OpenAiWire.textOrNull(feedback.get("blockReason"));
              if (block != null) {
                state.finishReason = block; // a blocked prompt ends the stream without candidates
              }
            }
            break;
          default:
            state.errorOrSkip(field, t, p);
        }
      }
      if (delta == null || delta.length() == 0) {
        return null;
      }
      String d = delta.toString();
      state.text.append(d);
      return d;
    }
  }

  /** Reads the candidates array (positioned on its start); only the first candidate counts. */
  private static StringBuilder candidates(JsonParser p, StreamState state) throws IOException {
    StringBuilder delta = null;
    if (!OpenAiWire.firstObject(p)) {
      return null;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("content") && v == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          JsonToken c = p.nextToken();
          if (f.equals("parts") && c == JsonToken.START_ARRAY) {
            delta = parts(p, delta, state.calls);
          } else {
            p.skipChildren();
          }
        }
      } else if (field.equals("finishReason") && v == JsonToken.VALUE_STRING) {
        state.finishReason = p.getText();
      } else {
        p.skipChildren();
      }
    }
    OpenAiWire.skipRest(p);
    return delta;
  }

  /** Appends the text of every part that is not a thought summary. */
  private static StringBuilder parts(JsonParser p, StringBuilder delta, WireJson.Calls calls) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      String text = null;
      boolean thought = false;
      JsonNode call = null;
      String signature = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken v = p.nextToken();
        if (f.equals("text") && v == JsonToken.VALUE_STRING) {
          text = p.getText();
        } else if (f.equals("thought") && v == JsonToken.VALUE_TRUE) {
          thought = true;
        } else if (f.equals("functionCall") && v == JsonToken.START_OBJECT) {
          call = p.readValueAsTree();
        } else if (f.equals("thoughtSignature") && v == JsonToken.VALUE_STRING) {
          signature = p.getText();
        } else {
          p.skipChildren();
        }
      }
      functionCall(call, signature, calls);
      if (text != null && !thought) {
        delta = delta == null ? new StringBuilder(text) : delta.append(text);
      }
    }
    return delta;
  }
}
