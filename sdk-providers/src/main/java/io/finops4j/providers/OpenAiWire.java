package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Prompt;
import io.finops4j.api.Tool;
import io.finops4j.api.ToolCall;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Chat Completions wire format: request JSON out, responses, stream chunks and usage in. */
final class OpenAiWire {

  private OpenAiWire() {}

  /** A response without the fields every chat completion has. */
  static final class MalformedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }
  }

  static byte[] requestBody(JsonFactory factory, ProviderRequest r, boolean stream, String maxTokensField) {
    BodyBytes out = new BodyBytes();
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", r.model());
      g.writeArrayFieldStart("messages");
      for (Prompt.Message m : r.prompt().messages()) {
        message(g, m);
      }
      g.writeEndArray();
      if (r.outputCeiling() != null) {
        g.writeNumberField(maxTokensField, r.outputCeiling());
      }
      tools(g, r);
      if (r.jsonSchema() != null) {
        g.writeObjectFieldStart("response_format");
        g.writeStringField("type", "json_schema");
        g.writeObjectFieldStart("json_schema");
        g.writeStringField("name", r.jsonSchema().name());
        WireJson.writeObject(g, "schema", r.jsonSchema().schema(), "schema " + r.jsonSchema().name());
        g.writeBooleanField("strict", r.jsonSchema().strict());
        g.writeEndObject();
        g.writeEndObject();
      }
      if (r.reasoningEffort() != null) {
        g.writeStringField("reasoning_effort", r.reasoningEffort());
      }
      if (r.temperature() != null) {
        g.writeNumberField("temperature", r.temperature());
      }
      if (r.user() != null) {
        g.writeStringField("user", r.user());
      }
      if (stream) {
        g.writeBooleanField("stream", true);
        // without this the stream carries no usage and the call would be priced by estimate only
        g.writeObjectFieldStart("stream_options");
        g.writeBooleanField("include_usage", true);
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
    return out.toByteArray();
  }

  /** One chat message: text, a user turn with images, an assistant turn with tool calls, or a tool result. */
  private static void message(JsonGenerator g, Prompt.Message m) throws IOException {
    g.writeStartObject();
    g.writeStringField("role", role(m.role()));
    if (m.role() == Prompt.Role.TOOL) {
      g.writeStringField("tool_call_id", m.toolCallId());
      g.writeStringField("content", m.content());
    } else if (!m.images().isEmpty()) {
      g.writeArrayFieldStart("content");
      if (!m.content().isEmpty()) {
        g.writeStartObject();
        g.writeStringField("type", "text");
        g.writeStringField("text", m.content());
        g.writeEndObject();
      }
      for (io.finops4j.api.Image image : m.images()) {
        g.writeStartObject();
        g.writeStringField("type", "image_url");
        g.writeObjectFieldStart("image_url");
        g.writeStringField("url", image.dataUrl());
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    } else if (!m.toolCalls().isEmpty()) {
      if (m.content().isEmpty()) {
        g.writeNullField("content");
      } else {
        g.writeStringField("content", m.content());
      }
      g.writeArrayFieldStart("tool_calls");
      for (ToolCall c : m.toolCalls()) {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", c.name());
        g.writeStringField("arguments", c.arguments());
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    } else {
      g.writeStringField("content", m.content());
    }
    g.writeEndObject();
  }

  /** {@code tools} and {@code tool_choice} in the Chat Completions shape. */
  private static void tools(JsonGenerator g, ProviderRequest r) throws IOException {
    if (r.tools().isEmpty()) {
      return;
    }
    g.writeArrayFieldStart("tools");
    for (Tool t : r.tools()) {
      g.writeStartObject();
      g.writeStringField("type", "function");
      g.writeObjectFieldStart("function");
      g.writeStringField("name", t.name());
      if (t.description() != null) {
        g.writeStringField("description", t.description());
      }
      WireJson.writeObject(g, "parameters", t.parameters(), "parameters of tool " + t.name());
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    String choice = r.toolChoice();
    if (choice == null) {
      return;
    }
    if (CompletionRequest.TOOL_CHOICE_MODES.contains(choice)) {
      g.writeStringField("tool_choice", choice);
    } else {
      g.writeObjectFieldStart("tool_choice");
      g.writeStringField("type", "function");
      g.writeObjectFieldStart("function");
      g.writeStringField("name", choice);
      g.writeEndObject();
      g.writeEndObject();
    }
  }

  private static String role(Prompt.Role role) {
    switch (role) {
      case SYSTEM: return "system";
      case ASSISTANT: return "assistant";
      case TOOL: return "tool";
      default: return "user";
    }
  }

  /** The {@code tool_calls} of a message: function calls only (other tool types are not ours to run). */
  static List<ToolCall> toolCalls(JsonNode calls) {
    if (calls == null || !calls.isArray() || calls.isEmpty()) {
      return List.of();
    }
    List<ToolCall> out = new ArrayList<>(calls.size());
    for (JsonNode c : calls) {
      JsonNode f = c.get("function");
      if (f == null || !f.isObject() || textOrNull(f.get("name")) == null) {
        continue;
      }
      String id = textOrNull(c.get("id"));
      out.add(new ToolCall(id != null ? id : "call_" + out.size(), f.get("name").asText(),
          textOrNull(f.get("arguments"))));
    }
    return out;
  }

  /** A non-streaming {@code chat.completion} object (a batch result line, say); read as {@link #COMPLETION} reads a body. */
  static ProviderResponse completion(JsonNode root, String requestId) {
    if (root == null || !root.isObject()) {
      throw new MalformedException("response body is not a JSON object");
    }
    try (JsonParser p = root.traverse(OpenAiClient.JSON)) {
      return completion(p, requestId, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a tree in memory does not fail to read
    }
  }

  /** Reads a {@code chat.completion} body as it streams by, or from a tree. */
  static final HttpTransport.StreamingParser<ProviderResponse> COMPLETION =
      new HttpTransport.StreamingParser<>() {
        @Override
        public ProviderResponse parse(JsonNode root, String requestId) {
          return completion(root, requestId);
        }

        @Override
        public ProviderResponse parse(byte[] body, String requestId) throws IOException {
          return completion(body, requestId);
        }
      };

  /**
   * A {@code chat.completion} body, read as it streams by; one whose usage object repeats a name is read from a
   * tree, which says which of the values counts.
   */
  static ProviderResponse completion(byte[] body, String requestId) throws IOException {
    try (JsonParser p = OpenAiClient.JSON.createParser(body)) {
      return completion(p, requestId, false);
    } catch (StreamedUsage.Repeated e) {
      return completion(OpenAiClient.JSON.readTree(body), requestId);
    }
  }

  /**
   * A non-streaming {@code chat.completion} object, read field by field with the streaming parser (positioned before
   * its first token): the text, ids and usage are kept as they pass, tool calls as a small tree, and the rest is
   * skipped, where a tree of the whole body cost a few KB per call. The whole object is read before it is judged,
   * and a field named twice counts as its last value, so a body gets the same answer or the same complaint as from
   * a tree. {@code fromTree}: the parser walks a tree ({@link StreamedUsage}).
   *
   * @throws StreamedUsage.Repeated when the usage object repeats a name (not from a tree)
   */
  static ProviderResponse completion(JsonParser p, String requestId, boolean fromTree) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      p.skipChildren(); // a broken array is "not JSON" (the parser throws), as it was for the tree
      throw new MalformedException("response body is not a JSON object");
    }
    Answer a = new Answer();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "choices":
          a.choices(p, t);
          break;
        case "usage":
          if (t == JsonToken.START_OBJECT) {
            a.usage = StreamedUsage.read(p, fromTree);
          } else {
            a.usage = null; // not reported (a usage that is not an object is absent)
            p.skipChildren();
          }
          break;
        case "id":
          a.id = text(p, t);
          break;
        case "model":
          a.model = text(p, t);
          break;
        case "service_tier":
          a.serviceTier = text(p, t);
          break;
        default:
          p.skipChildren();
      }
    }
    return a.response(requestId);
  }

  /** The text of the value the parser is on, as {@link #textOrNull} reads the same value from a tree. */
  private static String text(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    // a null (OpenAI's "refusal": null in every answer) without a tree: reading one sets up a deserialization context
    return t == JsonToken.VALUE_NULL ? null : textOrNull(p.readValueAsTree());
  }

  /** What a {@code chat.completion} body said, as it is read. */
  private static final class Answer {
    String id;
    String model;
    String serviceTier;
    StreamedUsage usage;
    boolean hasChoices;
    boolean hasMessage;
    String content;
    String refusal;
    JsonNode toolCalls;
    String finishReason;

    /** Reads {@code choices} (the parser on its value); only the first choice counts. */
    void choices(JsonParser p, JsonToken t) throws IOException {
      hasChoices = false;
      hasMessage = false;
      content = null;
      refusal = null;
      toolCalls = null;
      finishReason = null;
      if (t != JsonToken.START_ARRAY) {
        p.skipChildren();
        return;
      }
      JsonToken first = p.nextToken();
      if (first == JsonToken.END_ARRAY) {
        return;
      }
      hasChoices = true;
      if (first != JsonToken.START_OBJECT) {
        p.skipChildren(); // a first choice that is not an object has no message
      } else {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          if (field.equals("message")) {
            message(p, v);
          } else if (field.equals("finish_reason")) {
            finishReason = text(p, v);
          } else {
            p.skipChildren();
          }
        }
      }
      skipRest(p);
    }

    private void message(JsonParser p, JsonToken t) throws IOException {
      hasMessage = t == JsonToken.START_OBJECT;
      content = null;
      refusal = null;
      toolCalls = null;
      if (!hasMessage) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "content":
            content = text(p, v);
            break;
          case "refusal":
            refusal = text(p, v);
            break;
          case "tool_calls":
            toolCalls = p.readValueAsTree();
            break;
          default:
            p.skipChildren();
        }
      }
    }

    ProviderResponse response(String requestId) {
      if (!hasChoices) {
        throw new MalformedException("response has no choices");
      }
      if (!hasMessage) {
        throw new MalformedException("response choice has no message");
      }
      String text = content != null ? content : refusal;
      return new ProviderResponse(text == null ? "" : text, model,
          usage == null ? null : usage.usage("service_tier", serviceTier), finishReason, requestId, id,
          toolCalls(toolCalls));
    }
  }

  /**
   * {@code usage} with the marker {@code field=value} (value 1) added to its raw fields, as the price table's
   * multipliers expect ({@code service_tier=priority}); {@code usage} itself when either is null or the value is
   * not a short plain word.
   */
  static Usage withMarker(Usage usage, String field, String value) {
    if (usage == null || !isMarkerValue(value)) {
      return usage;
    }
    return Usage.builder().inputTokens(usage.inputTokens()).outputTokens(usage.outputTokens())
        .cachedInputTokens(usage.cachedInputTokens()).cacheWriteTokens(usage.cacheWriteTokens())
        .cacheWrite1hTokens(usage.cacheWrite1hTokens()).reasoningTokens(usage.reasoningTokens())
        .estimated(usage.estimated()).raw(usage.raw()).raw(RawKeys.marker(field, value), 1L).build();
  }

  static boolean isMarkerValue(String value) {
    if (value == null || value.isEmpty() || value.length() > 40) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
          || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /**
   * OpenAI usage, normalized: {@code prompt_tokens} already includes {@code prompt_tokens_details.cached_tokens}
   * (cache reads) and {@code prompt_tokens_details.cache_write_tokens} (cache writes, billed by GPT-5.6 and later),
   * and {@code completion_tokens} already includes {@code completion_tokens_details.reasoning_tokens}, so the
   * details are subsets, never added. Returns null when the usage is absent (not reported is not zero).
   */
  static Usage usage(JsonNode u) {
    return usage(u, null, null);
  }

  /**
   * {@link #usage(JsonNode)} with the marker {@code field=value} in its raw fields, as {@link #withMarker} adds it,
   * without building the usage twice.
   */
  static Usage usage(JsonNode u, String field, String value) {
    if (!hasCounts(u, "prompt_tokens", "completion_tokens")) {
      return null;
    }
    long input = count(u.get("prompt_tokens"), "prompt_tokens");
    long output = count(u.get("completion_tokens"), "completion_tokens");
    long cached = count(u.path("prompt_tokens_details").path("cached_tokens"), "cached_tokens");
    if (cached == 0) {
      // DeepSeek reports its cache hits beside prompt_tokens instead
      cached = count(u.path("prompt_cache_hit_tokens"), "prompt_cache_hit_tokens");
    }
    long write = count(u.path("prompt_tokens_details").path("cache_write_tokens"), "cache_write_tokens");
    long reasoning = count(u.path("completion_tokens_details").path("reasoning_tokens"), "reasoning_tokens");
    Usage.Builder raw = raw(u);
    if (isMarkerValue(value)) {
      raw.raw(RawKeys.marker(field, value), 1L);
    }
    return normalized(raw, input, output, cached, write, reasoning);
  }

  /** {@code usage}, its raw fields already in, with these counts (read, none negative). */
  static Usage normalized(Usage.Builder usage, long input, long output, long cached, long write, long reasoning) {
    // a server reporting a subset larger than its total is clamped to the total: the whole input is then
    // priced at the full rate, which errs on the expensive side; reads are counted first, writes in what is left
    long reads = clamp(cached, input);
    return usage.inputTokens(Math.max(0, input)).outputTokens(Math.max(0, output))
        .cachedInputTokens(reads).cacheWriteTokens(clamp(write, Math.max(0, input) - reads))
        .reasoningTokens(clamp(reasoning, output)).build();
  }

  /** The most tokens one usage count may report: far above any context window, far below an overflow. */
  static final long MAX_COUNT = 1_000_000_000L;

  /**
   * A usage count: absent is 0; anything but a whole number from 0 to {@link #MAX_COUNT} (negative, 1e19, beyond
   * a long) is a malformed answer, never silently clamped or wrapped.
   */
  static long count(JsonNode n, String name) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return 0;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0 || n.asLong() > MAX_COUNT) {
      throw notACount(name);
    }
    return n.asLong();
  }

  /** The complaint about usage field {@code name}'s value. */
  static MalformedException notACount(String name) {
    return new MalformedException("usage " + name + " is not a token count from 0 to " + MAX_COUNT);
  }

  private static long clamp(long part, long whole) {
    return Math.max(0, Math.min(part, Math.max(0, whole)));
  }

  /** True when {@code u} is a usage object whose two counts are numbers; without them the usage is absent. */
  static boolean hasCounts(JsonNode u, String input, String output) {
    if (u == null || !u.isObject()) {
      return false;
    }
    JsonNode in = u.get(input);
    JsonNode out = u.get(output);
    return in != null && in.isNumber() && out != null && out.isNumber();
  }

  /**
   * Every integer of a usage object, nested ones under dotted keys ({@code prompt_tokens_details.cached_tokens}),
   * and every short text field as a marker {@code name=value} with value 1 ({@code inference_geo=us},
   * {@code speed=fast}): the price table's multipliers key on those. Returns a usage builder holding them.
   */
  static Usage.Builder raw(JsonNode usage) {
    Usage.Builder raw = Usage.builder();
    flatten("", usage, raw);
    return raw;
  }

  private static void flatten(String prefix, JsonNode node, Usage.Builder out) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (v.isIntegralNumber()) {
        out.raw(RawKeys.join(prefix, e.getKey()), v.asLong());
      } else if (v.isTextual() && isMarkerValue(v.asText())) {
        out.raw(RawKeys.marker(RawKeys.join(prefix, e.getKey()), v.asText()), 1L);
      } else if (v.isObject()) {
        flatten(RawKeys.prefix(RawKeys.join(prefix, e.getKey())), v, out);
      }
    }
  }

  /** What a stream has delivered so far. */
  static final class StreamState extends EventStream {
    String finishReason;
    String serviceTier;
    Usage usage;
    Usage groqUsage;
    final WireJson.Calls calls = new WireJson.Calls();

    StreamState() {
      super("stream chunk", "stream ended before its [DONE] event");
    }

    @Override
    String apply(String data) throws IOException {
      if (SseReader.DONE.equals(data)) {
        ended = true;
        return null;
      }
      return chunk(OpenAiClient.JSON, data, this);
    }

    @Override
    ProviderResponse response(String requestId) {
      return new ProviderResponse(text.toString(), model, finalUsage(), finishReason, requestId, responseId,
          calls.list());
    }

    @Override
    Usage finalUsage() {
      return withMarker(usage != null ? usage : groqUsage, "service_tier", serviceTier);
    }
  }

  /**
   * Applies one {@code chat.completion.chunk}; returns its text delta or null. Usage may come on the final chunk
   * with empty choices (OpenAI {@code include_usage}), on the last content chunk (some compatible servers), or
   * under {@code x_groq}; the last one seen wins. An {@code error} member is left in {@link StreamState#error}.
   *
   * <p>Read with the streaming parser, skipping the fields we do not need: a stream has hundreds of chunks and a
   * tree per chunk costs several KB.
   */
  static String chunk(ObjectMapper mapper, String data, StreamState state) throws IOException {
    try (JsonParser p = mapper.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedException("stream chunk is not a JSON object");
      }
      String delta = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "id":
            if (state.responseId == null && t == JsonToken.VALUE_STRING) {
              state.responseId = p.getText();
            }
            break;
          case "model":
            if (state.model == null && t == JsonToken.VALUE_STRING) {
              state.model = p.getText();
            }
            break;
          case "choices":
            if (t == JsonToken.START_ARRAY) {
              delta = choices(p, state);
            } else {
              p.skipChildren();
            }
            break;
          case "usage":
            if (t == JsonToken.START_OBJECT) {
              Usage u = usage(p.readValueAsTree());
              if (u != null) {
                state.usage = u;
              }
            }
            break;
          case "service_tier":
            if (t == JsonToken.VALUE_STRING) {
              state.serviceTier = p.getText();
            }
            break;
          case "x_groq":
            if (t == JsonToken.START_OBJECT) {
              JsonNode groq = p.readValueAsTree();
              Usage u = usage(groq.get("usage"));
              if (u != null) {
                state.groqUsage = u;
              }
            }
            break;
          default:
            state.errorOrSkip(field, t, p);
        }
      }
      if (delta == null || delta.isEmpty()) {
        return null;
      }
      state.text.append(delta);
      return delta;
    }
  }

  /** Reads the choices array (positioned on its start); only the first choice counts. */
  private static String choices(JsonParser p, StreamState state) throws IOException {
    String delta = null;
    if (!firstObject(p)) {
      return null;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("delta") && v == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          JsonToken c = p.nextToken();
          if (f.equals("content") && c == JsonToken.VALUE_STRING) {
            delta = p.getText();
          } else if (f.equals("tool_calls") && c == JsonToken.START_ARRAY) {
            toolCallDeltas(p.readValueAsTree(), state.calls);
          } else {
            p.skipChildren();
          }
        }
      } else if (field.equals("finish_reason") && v == JsonToken.VALUE_STRING) {
        state.finishReason = p.getText();
      } else {
        p.skipChildren();
      }
    }
    skipRest(p);
    return delta;
  }

  /**
   * Applies streamed {@code delta.tool_calls}: the first delta of a call carries its index, id and name, later ones
   * pieces of its arguments, by index. Compatible servers that send no index (Ollama before 0.4.7,
   * ollama/ollama#7881) or the same index for every call (ollama/ollama#15457) are read by id: a new id starts a
   * new call.
   */
  private static void toolCallDeltas(JsonNode deltas, WireJson.Calls calls) {
    for (JsonNode d : deltas) {
      String id = textOrNull(d.get("id"));
      String[] call = calls.delta(d.has("index") ? d.get("index").asInt(0) : null, id);
      if (id != null) {
        call[0] = id;
      }
      JsonNode f = d.path("function");
      String name = textOrNull(f.get("name"));
      if (name != null) {
        call[1] = name;
      }
      String args = textOrNull(f.get("arguments"));
      if (args != null) {
        call[2] += args;
      }
    }
  }

  /**
   * Moves into an array (positioned on its start) to the first element that is an object, skipping others;
   * false when there is none (the array is then consumed).
   */
  static boolean firstObject(JsonParser p) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      if (t == JsonToken.START_OBJECT) {
        return true;
      }
      p.skipChildren();
    }
    return false;
  }

  /** Skips what is left of an array after its first object. */
  static void skipRest(JsonParser p) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      p.skipChildren();
    }
  }

  static String textOrNull(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }
}
