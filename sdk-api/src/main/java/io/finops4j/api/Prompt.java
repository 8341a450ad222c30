package io.finops4j.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The messages of a chat request: an optional system prompt followed by user and assistant turns, and, in a tool
 * loop, the assistant's tool calls and the caller's tool results. User messages may carry images.
 *
 * <pre>{@code
 * Prompt next = prompt.toBuilder()
 *     .assistant(completion)                       // the turn that asked for the tools
 *     .toolResult(completion.toolCalls().get(0), "{\"temperature\": 21}")
 *     .build();
 * }</pre>
 *
 * <p>{@code toString()} never shows message text: prompts are customer data and must not reach logs.
 */
public final class Prompt {

  /** Who wrote a message; {@code TOOL} is the result of a tool call, sent by the caller. */
  public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

  /**
   * One message of a prompt. {@code toString()} shows the role and sizes only.
   *
   * @param role who wrote it
   * @param content its text (empty for an assistant turn of tool calls only; the result of a {@code TOOL} message)
   * @param images the images of a user message, else empty
   * @param toolCalls the tool calls of an assistant message, else empty
   * @param toolCallId the id of the call a {@code TOOL} message answers, else {@code null}
   * @param toolName the name of the tool a {@code TOOL} message answers (Gemini matches results by name), else
   *     {@code null}
   * @param reasoning the reasoning blocks of an assistant message, sent back to the provider that wrote them
   *     (Anthropic requires a tool-using turn's thinking blocks back with its tool results), else empty
   */
  public record Message(Role role, String content, List<Image> images, List<ToolCall> toolCalls, String toolCallId,
      String toolName, List<ReasoningBlock> reasoning) {
    public Message {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(content, "content");
      images = images == null ? List.of() : List.copyOf(images);
      toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
      reasoning = reasoning == null ? List.of() : List.copyOf(reasoning);
      if (!images.isEmpty() && role != Role.USER) {
        throw new IllegalArgumentException("only user messages carry images");
      }
      if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
        throw new IllegalArgumentException("only assistant messages carry tool calls");
      }
      if (!reasoning.isEmpty() && role != Role.ASSISTANT) {
        throw new IllegalArgumentException("only assistant messages carry reasoning blocks");
      }
      if (role == Role.TOOL && (toolCallId == null || toolName == null)) {
        throw new IllegalArgumentException("a tool result names the call it answers (id and tool name)");
      }
    }

    /** A message without reasoning blocks. */
    public Message(Role role, String content, List<Image> images, List<ToolCall> toolCalls, String toolCallId,
        String toolName) {
      this(role, content, images, toolCalls, toolCallId, toolName, List.of());
    }

    /** A text message. */
    public Message(Role role, String content) {
      this(role, content, List.of(), List.of(), null, null);
    }

    /**
     * Characters of text this message sends: content, tool names and arguments, reasoning blocks (images are
     * counted apart).
     */
    int chars() {
      int n = content.length();
      for (ToolCall c : toolCalls) {
        n += c.name().length() + c.arguments().length();
      }
      for (ReasoningBlock b : reasoning) {
        n += b.json().length();
      }
      return n;
    }

    @Override
    public String toString() {
      return role + "(" + content.length() + " chars" + (images.isEmpty() ? "" : ", " + images.size() + " images")
          + (toolCalls.isEmpty() ? "" : ", " + toolCalls.size() + " tool calls") + ")";
    }
  }

  private final List<Message> messages;
  private final int chars;

  private Prompt(List<Message> messages) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a prompt needs at least one message");
    }
    this.messages = List.copyOf(messages);
    int n = 0;
    for (Message m : this.messages) {
      n += m.chars();
    }
    this.chars = n;
  }

  /** A prompt of one user message. */
  public static Prompt of(String userText) {
    return new Prompt(List.of(new Message(Role.USER, userText)));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All messages in order, the system message (if any) first. */
  public List<Message> messages() {
    return messages;
  }

  /** The system message's text, or {@code null} when there is none. */
  public String system() {
    Message first = messages.get(0);
    return first.role() == Role.SYSTEM ? first.content() : null;
  }

  /**
   * Total characters of text over all messages (tool call arguments and reasoning blocks included): the input to
   * cheap token bounds.
   */
  public int chars() {
    return chars;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.messages.addAll(messages);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Prompt p && p.messages.equals(messages);
  }

  @Override
  public int hashCode() {
    return messages.hashCode();
  }

  @Override
  public String toString() {
    return "Prompt" + messages;
  }

  /** Builds a prompt; {@link #system(String)} may be called once and always goes first. */
  public static final class Builder {
    private final List<Message> messages = new ArrayList<>();

    private Builder() {}

    public Builder system(String text) {
      if (!messages.isEmpty() && messages.get(0).role() == Role.SYSTEM) {
        throw new IllegalStateException("a prompt has one system message");
      }
      messages.add(0, new Message(Role.SYSTEM, text));
      return this;
    }

    public Builder user(String text) {
      messages.add(new Message(Role.USER, text));
      return this;
    }

    public Builder assistant(String text) {
      messages.add(new Message(Role.ASSISTANT, text));
      return this;
    }

    /** A user message with images (URLs or bytes), sent to the model with the text. */
    public Builder user(String text, Image... images) {
      messages.add(new Message(Role.USER, text, List.of(images), List.of(), null, null));
      return this;
    }

    /** An assistant turn that made tool calls (with any text it said alongside). */
    public Builder assistant(String text, List<ToolCall> toolCalls) {
      messages.add(new Message(Role.ASSISTANT, text == null ? "" : text, List.of(), toolCalls, null, null));
      return this;
    }

    /**
     * The model's answer as the next assistant turn, for the next round trip: its text, its tool calls and the
     * reasoning blocks its provider needs back ({@link Completion#reasoning()}).
     */
    public Builder assistant(Completion completion) {
      messages.add(new Message(Role.ASSISTANT, completion.text(), List.of(), completion.toolCalls(), null, null,
          completion.reasoning()));
      return this;
    }

    /** The result of running {@code call}, as text (JSON or prose). */
    public Builder toolResult(ToolCall call, String result) {
      messages.add(new Message(Role.TOOL, result, List.of(), List.of(), call.id(), call.name()));
      return this;
    }

    public Prompt build() {
      return new Prompt(messages);
    }
  }
}
