package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Image;
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
import java.util.Locale;

/**
 * The OpenAI Responses API wire format ({@code POST {base-url}/responses}): request JSON out (system prompt as
 * {@code instructions}, tool calls and results as {@code function_call} and {@code function_call_output} input
 * items, structured output as {@code text.format}, reasoning as {@code reasoning.effort}), responses, stream events
 * and usage in. Output items other than messages and function calls (reasoning, built-in tools) are skipped.
 */
final class ResponsesWire {

  private ResponsesWire() {}

  /** The operation path under the base URL. */
  static final String PATH = "/responses";

  /**
   * Models served by the Responses API only: the pro models ({@code gpt-5-pro}, {@code gpt-5.4-pro}, {@code o3-pro},
   * {@code o1-pro}) and the Codex models; their requests go there whatever the provider's {@code api}.
   */
  static boolean only(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    return ((m.startsWith("gpt-5") || m.startsWith("o1") || m.startsWith("o3")) && m.contains("-pro"))
        || m.contains("codex");
  }

  static byte[] requestBody(JsonFactory factory, ProviderRequest r, boolean stream) {
    BodyBytes out = new BodyBytes();
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", r.model());
      String system = null;
      g.writeArrayFieldStart("input");
      for (Prompt.Message m : r.prompt().messages()) {
        if (m.role() == Prompt.Role.SYSTEM) {
          system = system == null ? m.content() : system + "\n\n" + m.content();
        } else {
          item(g, m);
        }
      }
      g.writeEndArray();
      if (system != null) {
        g.writeStringField("instructions", system);
      }
      if (r.outputCeiling() != null) {
        g.writeNumberField("max_output_tokens", r.outputCeiling());
      }
      if (r.temperature() != null) {
        g.writeNumberField("temperature", r.temperature());
      }
      if (r.user() != null) {
        g.writeStringField("user", r.user());
      }
      tools(g, r);
      if (r.jsonSchema() != null) {
        g.writeObjectFieldStart("text");
        g.writeObjectFieldStart("format");
        g.writeStringField("type", "json_schema");
        g.writeStringField("name", r.jsonSchema().name());
        WireJson.writeObject(g, "schema", r.jsonSchema().schema(), "schema " + r.jsonSchema().name());
        g.writeBooleanField("strict", r.jsonSchema().strict());
        g.writeEndObject();
        g.writeEndObject();
      }
      if (r.reasoningEffort() != null) {
        g.writeObjectFieldStart("reasoning");
        g.writeStringField("effort", r.reasoningEffort());
        g.writeEndObject();
      }
      if (stream) {
        g.writeBooleanField("stream", true); // the response.completed event always carries the usage
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
    return out.toByteArray();
  }

  /** One message as input items: a message, or one {@code function_call} per tool call, or a call's output. */
  private static void item(JsonGenerator g, Prompt.Message m) throws IOException {
    if (m.role() == Prompt.Role.TOOL) {
      g.writeStartObject();
      g.writeStringField("type", "function_call_output");
      g.writeStringField("call_id", m.toolCallId());
      g.writeStringField("output", m.content());
      g.writeEndObject();
      return;
    }
    boolean assistant = m.role() == Prompt.Role.ASSISTANT;
    if (!m.content().isEmpty() || m.toolCalls().isEmpty()) {
      g.writeStartObject();
      g.writeStringField("role", assistant ? "assistant" : "user");
      if (m.images().isEmpty()) {
        g.writeStringField("content", m.content());
      } else {
        g.writeArrayFieldStart("content");
        g.writeStartObject();
        g.writeStringField("type", "input_text");
        g.writeStringField("text", m.content());
        g.writeEndObject();
        for (Image image : m.images()) {
          g.writeStartObject();
          g.writeStringField("type", "input_image");
          g.writeStringField("image_url", image.dataUrl());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    for (ToolCall c : m.toolCalls()) {
      g.writeStartObject();
      g.writeStringField("type", "function_call");
      g.writeStringField("call_id", c.id());
      g.writeStringField("name", c.name());
      g.writeStringField("arguments", c.arguments());
      g.writeEndObject();
    }
  }

  /** {@code tools} in the Responses shape (flat, strictness as the schema was written) and {@code tool_choice}. */
  private static void tools(JsonGenerator g, ProviderRequest r) throws IOException {
    if (r.tools().isEmpty()) {
      return;
    }
    g.writeArrayFieldStart("tools");
    for (Tool t : r.tools()) {
      g.writeStartObject();
      g.writeStringField("type", "function");
      g.writeStringField("name", t.name());
      if (t.description() != null) {
        g.writeStringField("description", t.description());
      }
      WireJson.writeObject(g, "parameters", t.parameters(), "parameters of tool " + t.name());
      // the Responses API defaults to strict, which rejects schemas that do not list every property as required
      g.writeBooleanField("strict", false);
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
      g.writeStringField("name", choice);
      g.writeEndObject();
    }
  }

  /**
   * A {@code response} object: the text of its message items' {@code output_text} (or refusal) parts, its
   * {@code function_call} items as tool calls, its usage. The finish reason is the status ({@code completed}), or
   * for an incomplete response why ({@code max_output_tokens}).
   */
  static ProviderResponse response(JsonNode root, String requestId) {
    if (root == null || !root.isObject()) {
      throw new OpenAiWire.MalformedException("response body is not a JSON object");
    }
    JsonNode output = root.get("output");
    if (output == null || !output.isArray()) {
      throw new OpenAiWire.MalformedException("response has no output");
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode item : output) {
      String type = item.path("type").asText();
      if (type.equals("message")) {
        for (JsonNode part : item.path("content")) {
          String partType = part.path("type").asText();
          if (partType.equals("output_text")) {
            text.append(part.path("text").asText(""));
          } else if (partType.equals("refusal")) {
            text.append(part.path("refusal").asText(""));
          }
        }
      } else if (type.equals("function_call") && item.hasNonNull("name")) {
        String id = OpenAiWire.textOrNull(item.get("call_id"));
        calls.add(new ToolCall(id != null ? id : "call_" + calls.size(), item.get("name").asText(),
            OpenAiWire.textOrNull(item.get("arguments"))));
      }
    }
    String status = OpenAiWire.textOrNull(root.get("status"));
    String reason = OpenAiWire.textOrNull(root.at("/incomplete_details/reason"));
    Usage usage = OpenAiWire.withMarker(usage(root.get("usage")), "service_tier",
        OpenAiWire.textOrNull(root.get("service_tier")));
    return new ProviderResponse(text.toString(), OpenAiWire.textOrNull(root.get("model")), usage,
        reason != null ? reason : status, requestId, OpenAiWire.textOrNull(root.get("id")), calls);
  }

  /**
   * Responses usage, normalized: {@code input_tokens} includes {@code input_tokens_details.cached_tokens} and
   * {@code output_tokens} includes {@code output_tokens_details.reasoning_tokens}; the details are subsets. Null
   * when absent.
   */
  static Usage usage(JsonNode u) {
    if (!OpenAiWire.hasCounts(u, "input_tokens", "output_tokens")) {
      return null;
    }
    long input = OpenAiWire.count(u.get("input_tokens"), "input_tokens");
    long output = OpenAiWire.count(u.get("output_tokens"), "output_tokens");
    long cached = OpenAiWire.count(u.path("input_tokens_details").path("cached_tokens"), "cached_tokens");
    long reasoning = OpenAiWire.count(u.path("output_tokens_details").path("reasoning_tokens"), "reasoning_tokens");
    return OpenAiWire.raw(u).inputTokens(input).outputTokens(output).cachedInputTokens(Math.min(cached, input))
        .reasoningTokens(Math.min(reasoning, output)).build();
  }

  /**
   * What a Responses stream has delivered: text from {@code response.output_text.delta} events; the whole answer
   * (tool calls, usage, id) from the terminal {@code response.completed} or {@code response.incomplete} event,
   * whose {@code response} is the same object a plain call returns. {@code response.failed} and {@code error}
   * events fail the call.
   */
  static final class StreamState extends EventStream {
    ProviderResponse last;

    StreamState() {
      super("stream event", "stream ended before its response.completed event");
    }

    @Override
    String apply(String data) throws IOException {
      JsonNode event = OpenAiClient.JSON.readTree(data);
      if (event == null || !event.isObject()) {
        throw new OpenAiWire.MalformedException("stream event is not a JSON object");
      }
      String type = event.path("type").asText();
      switch (type) {
        case "response.output_text.delta":
          String delta = OpenAiWire.textOrNull(event.get("delta"));
          if (delta == null || delta.isEmpty()) {
            return null;
          }
          text.append(delta);
          return delta;
        case "response.created":
        case "response.in_progress":
          JsonNode r = event.get("response");
          if (r != null) {
            responseId = OpenAiWire.textOrNull(r.get("id"));
            model = OpenAiWire.textOrNull(r.get("model"));
          }
          return null;
        case "response.completed":
        case "response.incomplete":
          last = ResponsesWire.response(event.get("response"), null);
          ended = true;
          return null;
        case "response.failed":
          JsonNode failed = event.path("response").get("error");
          error = failed != null && !failed.isNull() ? failed : event;
          return null;
        case "error":
          error = event;
          return null;
        default:
          return null; // item and part lifecycle events: the terminal event repeats what they say
      }
    }

    @Override
    ProviderResponse response(String requestId) {
      if (last == null) {
        return new ProviderResponse(text.toString(), model, null, null, requestId, responseId);
      }
      // the streamed text is what reached the caller; the terminal event says everything else
      return new ProviderResponse(text.length() > 0 ? text.toString() : last.text(), last.model(), last.usage(),
          last.finishReason(), requestId, last.responseId(), last.toolCalls());
    }

    @Override
    Usage finalUsage() {
      return last == null ? null : last.usage();
    }
  }
}
