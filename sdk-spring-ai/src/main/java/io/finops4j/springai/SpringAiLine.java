package io.finops4j.springai;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * What differs between the Spring AI lines this module runs on, decided once from the classes on the class path.
 * Compiled against 1.1; the 2.0 methods are called by reflection, the 1.1-only ones only in {@link InternalToolLoop}.
 *
 * <ul>
 *   <li>1.1: chat models run the tool loop inside {@code call} unless the options turn internal tool execution off
 *       ({@code ToolCallingChatOptions.isInternalToolExecutionEnabled}, {@code setInternalToolExecutionEnabled}), and
 *       options are copied with {@code ChatOptions.copy()}.</li>
 *   <li>2.0: chat models never execute tools (the {@code ChatClient}'s {@code ToolCallingAdvisor} runs the loop, one
 *       {@code call} per round trip), options have no setters and are changed with {@code mutate()}, and a model's
 *       options are {@code ChatModel.getOptions()} ({@code getDefaultOptions()} deprecated for removal).</li>
 * </ul>
 */
final class SpringAiLine {

  /** Whether chat models run tool loops themselves (1.1), so the decorator must run them to see each round trip. */
  static final boolean MODELS_RUN_TOOLS = method(ToolCallingChatOptions.class, "isInternalToolExecutionEnabled",
      ChatOptions.class) != null;

  private static final Method COPY = method(ChatOptions.class, "copy");
  private static final Method MUTATE = method(ChatOptions.class, "mutate");
  private static final Method GET_OPTIONS = method(ChatModel.class, "getOptions");

  private SpringAiLine() {}

  /** The model's own options: {@code getOptions()} on 2.0, {@code getDefaultOptions()} on 1.1. */
  static ChatOptions options(ChatModel model) {
    return GET_OPTIONS != null ? (ChatOptions) invoke(GET_OPTIONS, model) : model.getDefaultOptions();
  }

  /**
   * A copy of {@code options} with {@code maxTokens} set to {@code max}, or {@code null} when these options cannot
   * be copied with a new value (1.1 options without {@code setMaxTokens}).
   */
  static ChatOptions withMaxTokens(ChatOptions options, int max) {
    if (MUTATE != null) {
      return ((ChatOptions.Builder) invoke(MUTATE, options)).maxTokens(max).build();
    }
    Object copy = invoke(COPY, options);
    Method setter = method(copy.getClass(), "setMaxTokens", Integer.class);
    if (setter == null) {
      return null;
    }
    invoke(setter, copy, max);
    return (ChatOptions) copy;
  }

  private static Object invoke(Method m, Object target, Object... args) {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Method method(Class<?> type, String name, Class<?>... parameters) {
    try {
      return type.getMethod(name, parameters);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
