package io.finops4j.springai;

import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * Spring AI 1.1 only (its methods are gone in 2.0, whose models never run tools): the options with which the
 * decorator runs the model's tool loop itself, one round trip per call.
 */
final class InternalToolLoop {

  private InternalToolLoop() {}

  /**
   * A copy of {@code options} with internal tool execution off, or {@code null} when the model would not run a tool
   * loop with them (not {@link ToolCallingChatOptions}, or internal execution already off).
   */
  static ToolCallingChatOptions loopOptions(ChatOptions options) {
    if (!(options instanceof ToolCallingChatOptions toolOptions)
        || !ToolCallingChatOptions.isInternalToolExecutionEnabled(toolOptions)) {
      return null;
    }
    ToolCallingChatOptions loop = toolOptions.copy();
    loop.setInternalToolExecutionEnabled(false);
    return loop;
  }
}
