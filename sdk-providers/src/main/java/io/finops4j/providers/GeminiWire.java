package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.Prompt;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Gemini generateContent wire format: request JSON out, responses, stream chunks and usage in. */
final class GeminiWire {

  private GeminiWire() {}

  static byte[] requestBody(JsonFactory factory, ProviderRequest r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + r.prompt().chars() + r.prompt().chars() / 8);
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      String system = null;
      g.writeArrayFieldStart("contents");
      for (Prompt.Message m : r.prompt().messages()) {
        if (m.role() == Prompt.Role.SYSTEM) {
          system = system == null ? m.content() : system + "\n\n" + m.content();
          continue;
        }
        g.writeStartObject();
        g.writeStringField("role", m.role() == Prompt.Role.ASSISTANT ? "model" : "user");
        parts(g, m.content());
        g.writeEndObject();
      }
      g.writeEndArray();
      if (system != null) {
        g.writeObjectFieldStart("systemInstruction");
        parts(g, system);
        g.writeEndObject();
      }
      if (r.maxOutputTokens() != null || r.temperature() != null) {
        g.writeObjectFieldStart("generationConfig");
        if (r.maxOutputTokens() != null) {
          g.writeNumberField("maxOutputTokens", r.maxOutputTokens());
        }
        if (r.temperature() != null) {
          g.writeNumberField("temperature", r.temperature());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
    return out.toByteArray();
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
    String finish = null;
    if (candidates != null && candidates.isArray() && !candidates.isEmpty()) {
      JsonNode first = candidates.get(0);
      for (JsonNode part : first.path("content").path("parts")) {
        if (!part.path("thought").asBoolean(false)) {
          text.append(part.path("text").asText(""));
        }
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
        OpenAiWire.textOrNull(root.get("responseId")));
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
    Map<String, Long> raw = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : u.properties()) {
      if (e.getValue().isIntegralNumber()) {
        raw.put(e.getKey(), e.getValue().asLong());
      }
    }
    return Usage.builder().inputTokens(input).cachedInputTokens(cached).outputTokens(candidates + thoughts)
        .reasoningTokens(thoughts).raw(raw).build();
  }

  /** What a stream has delivered so far. */
  static final class StreamState extends EventStream {
    String finishReason;
    /** Each chunk's usageMetadata is cumulative: the last one replaces the earlier ones. */
    String usageJson;

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
      return new ProviderResponse(text.toString(), model, usage, finishReason, responseId, responseId);
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
            delta = parts(p, delta);
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
  private static StringBuilder parts(JsonParser p, StringBuilder delta) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      String text = null;
      boolean thought = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken v = p.nextToken();
        if (f.equals("text") && v == JsonToken.VALUE_STRING) {
          text = p.getText();
        } else if (f.equals("thought") && v == JsonToken.VALUE_TRUE) {
          thought = true;
        } else {
          p.skipChildren();
        }
      }
      if (text != null && !thought) {
        delta = delta == null ? new StringBuilder(text) : delta.append(text);
      }
    }
    return delta;
  }
}
