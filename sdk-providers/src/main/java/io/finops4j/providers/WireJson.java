package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.ToolCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** JSON given as text by the caller (schemas, tool arguments) written into request bodies, and tool calls read back. */
final class WireJson {

  private WireJson() {}

  /** {@code json} parsed; a caller's schema that is not JSON fails before the network, naming {@code what}. */
  static JsonNode parse(String json, String what) {
    try {
      return OpenAiClient.JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** Writes {@code json} (an object as text) as a field's value. */
  static void writeObject(JsonGenerator g, String field, String json, String what) throws IOException {
    g.writeFieldName(field);
    JsonNode node = parse(json, what);
    if (!node.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
    g.writeTree(node);
  }

  /**
   * A tool result as an object, for APIs that take one (Gemini's {@code functionResponse.response}): the result
   * itself when it is a JSON object, else {@code {"result": <the text>}}.
   */
  static void writeResultObject(JsonGenerator g, String field, String result) throws IOException {
    g.writeFieldName(field);
    JsonNode node = null;
    String s = result.strip();
    if (s.startsWith("{")) {
      try {
        node = OpenAiClient.JSON.readTree(s);
      } catch (JsonProcessingException e) {
        node = null; // plain text that happens to start with a brace
      }
    }
    if (node != null && node.isObject()) {
      g.writeTree(node);
    } else {
      g.writeStartObject();
      g.writeStringField("result", result);
      g.writeEndObject();
    }
  }

  /** Tool calls being assembled from stream deltas, by their index in the answer. */
  static final class Calls {
    private final List<String[]> parts = new ArrayList<>(); // id, name, arguments, signature
    /** The call each stream index last pointed at (OpenAI deltas). */
    private final Map<Integer, String[]> byIndex = new HashMap<>();

    /**
     * The call an OpenAI-style delta with {@code index} (null when absent) and {@code id} (null when absent)
     * continues or starts: a delta whose id differs from the call its index (or, without an index, the last call)
     * holds starts a new call; one without an id continues it.
     */
    String[] delta(Integer index, String id) {
      String[] current = index != null ? byIndex.get(index) : parts.isEmpty() ? null : parts.get(parts.size() - 1);
      if (current == null || (id != null && current[0] != null && !id.equals(current[0]))) {
        current = parts.get(add(id, null, "", null));
        if (index != null) {
          byIndex.put(index, current);
        }
      }
      return current;
    }

    /** The call at {@code index}, created when first seen. */
    String[] at(int index) {
      while (parts.size() <= index) {
        parts.add(new String[] {null, null, "", null});
      }
      return parts.get(index);
    }

    /** Appends a new call; returns its index. */
    int add(String id, String name, String arguments, String signature) {
      parts.add(new String[] {id, name, arguments == null ? "" : arguments, signature});
      return parts.size() - 1;
    }


    /** The calls so far; a call without an id gets {@code call_<index>}. */
    List<ToolCall> list() {
      List<ToolCall> out = new ArrayList<>(parts.size());
      for (int i = 0; i < parts.size(); i++) {
        String[] p = parts.get(i);
        if (p[1] != null) {
          out.add(new ToolCall(p[0] != null ? p[0] : "call_" + i, p[1], p[2], p[3]));
        }
      }
      return out;
    }
  }
}
