package io.finops4j.api;

import java.util.Objects;

/**
 * A model asking the caller to run a {@link Tool}. Send the result back with
 * {@link Prompt.Builder#toolResult(ToolCall, String)} after the assistant turn that made the call
 * ({@link Prompt.Builder#assistant(Completion)}).
 *
 * <p>{@code toString()} shows the id and name only: arguments are derived from customer data.
 *
 * @param id the provider's id of the call ({@code call_...}, {@code toolu_...}); Gemini models that send none get
 *     {@code call_<index>}
 * @param name the tool's name
 * @param arguments the arguments as JSON text (an object; {@code {}} when none)
 * @param signature opaque provider state that must travel back with the call (Gemini's {@code thoughtSignature}),
 *     or {@code null}
 */
public record ToolCall(String id, String name, String arguments, String signature) {

  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
  }

  /** A call without provider state. */
  public ToolCall(String id, String name, String arguments) {
    this(id, name, arguments, null);
  }

  @Override
  public String toString() {
    return "ToolCall[" + id + ", " + name + ", " + arguments.length() + " chars]";
  }
}
