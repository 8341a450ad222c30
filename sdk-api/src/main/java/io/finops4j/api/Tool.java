package io.finops4j.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A function the model may ask the caller to run: its name, what it does (the model reads this to decide), and
 * the JSON schema of its arguments. Declared on a request with {@link CompletionRequest.Builder#tools}; the model's
 * calls come back as {@link Completion#toolCalls()}. Running the tool and sending its result back is the caller's
 * loop: each round trip is a call of its own, priced, attributed and counted by workflow caps.
 *
 * @param name the function name, 1 to 64 letters, digits, {@code _} or {@code -} (what every provider accepts)
 * @param description what the function does, or {@code null}
 * @param parameters the JSON schema of the arguments object, as JSON text, e.g.
 *     {@code {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}
 */
public record Tool(String name, String description, String parameters) {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  public Tool {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("tool name '" + name + "' must be 1 to 64 letters, digits, _ or -");
    }
    Objects.requireNonNull(parameters, "parameters (a JSON schema; {\"type\":\"object\",\"properties\":{}} for none)");
    if (!parameters.strip().startsWith("{")) {
      throw new IllegalArgumentException("tool " + name + ": parameters must be a JSON schema object");
    }
  }

  /** A tool taking the arguments described by the JSON schema {@code parameters}. */
  public static Tool of(String name, String description, String parameters) {
    return new Tool(name, description, parameters);
  }
}
