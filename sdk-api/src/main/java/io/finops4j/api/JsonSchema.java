package io.finops4j.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Structured output: the answer must be JSON matching {@code schema}. Sent as OpenAI's {@code response_format}
 * (Chat Completions) or {@code text.format} (Responses), Gemini's {@code responseSchema}, and to Anthropic as a
 * forced tool whose input is the answer. The JSON text comes back as {@link Completion#json()}.
 *
 * @param name a name for the schema (OpenAI and Anthropic require one), 1 to 64 letters, digits, {@code _} or {@code -}
 * @param schema the JSON schema, as JSON text (an object schema)
 * @param strict OpenAI's strict mode: the answer is guaranteed to match, and the schema must then list every
 *     property in {@code required} and set {@code "additionalProperties": false}
 */
public record JsonSchema(String name, String schema, boolean strict) {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  public JsonSchema {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("schema name '" + name + "' must be 1 to 64 letters, digits, _ or -");
    }
    Objects.requireNonNull(schema, "schema");
    if (!schema.strip().startsWith("{")) {
      throw new IllegalArgumentException("schema " + name + " must be a JSON schema object");
    }
  }

  /** A strict schema (OpenAI's recommendation: the answer is guaranteed to parse and match). */
  public static JsonSchema of(String name, String schema) {
    return new JsonSchema(name, schema, true);
  }
}
