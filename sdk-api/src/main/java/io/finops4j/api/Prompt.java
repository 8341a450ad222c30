package io.finops4j.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The messages of a chat request: an optional system prompt followed by user and assistant turns.
 *
 * <p>{@code toString()} never shows message text: prompts are customer data and must not reach logs.
 */
public final class Prompt {

  /** Who wrote a message. */
  public enum Role { SYSTEM, USER, ASSISTANT }

  /** One message of a prompt. {@code toString()} shows the role and length only. */
  public record Message(Role role, String content) {
    public Message {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(content, "content");
    }

    @Override
    public String toString() {
      return role + "(" + content.length() + " chars)";
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
      n += m.content().length();
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

  /** Total characters over all messages: the input to cheap token bounds. */
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

    public Prompt build() {
      return new Prompt(messages);
    }
  }
}
