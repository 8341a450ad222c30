package io.finops4j.springai;

import io.finops4j.api.Usage;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Spring AI's usage ({@code ChatResponseMetadata.getUsage()}) in finops4j's {@link Usage} meaning. The cache and
 * reasoning counts live in the provider's native usage ({@code getNativeUsage()}); they are read by method name, so
 * no provider module is needed on the class path:
 * <ul>
 *   <li>OpenAI ({@code OpenAiApi.Usage}): {@code promptTokensDetails().cachedTokens()} and
 *       {@code completionTokenDetails().reasoningTokens()}; {@code prompt_tokens} already include the cached ones
 *       and {@code completion_tokens} the reasoning ones.</li>
 *   <li>Anthropic ({@code AnthropicApi.Usage}): {@code cacheReadInputTokens()} and {@code cacheCreationInputTokens()},
 *       added to the prompt tokens, which Anthropic reports without them.</li>
 * </ul>
 */
final class Usages {

  /** The readers of a native usage class: details of prompt and completion, Anthropic's cache counts. */
  private static final ClassValue<Method[]> NATIVE = new ClassValue<>() {
    @Override
    protected Method[] computeValue(Class<?> type) {
      return new Method[] {method(type, "promptTokensDetails"), completionDetails(type),
          method(type, "cacheReadInputTokens"), method(type, "cacheCreationInputTokens")};
    }
  };

  /** The count methods of the details objects: {@code cachedTokens()} and {@code reasoningTokens()}. */
  private static final ClassValue<Method[]> DETAILS = new ClassValue<>() {
    @Override
    protected Method[] computeValue(Class<?> type) {
      return new Method[] {method(type, "cachedTokens"), method(type, "reasoningTokens")};
    }
  };

  private Usages() {}

  /** The usage Spring AI reported, or {@code null} when it reported none (the engine then estimates it). */
  static Usage of(org.springframework.ai.chat.metadata.Usage u) {
    if (u == null || u.getPromptTokens() == null || u.getCompletionTokens() == null
        || (u.getPromptTokens() == 0 && u.getCompletionTokens() == 0 && u.getNativeUsage() == null)) {
      return null;   // Spring AI's EmptyUsage: nothing was reported
    }
    long input = u.getPromptTokens();
    long output = u.getCompletionTokens();
    long cached = 0;
    long cacheWrite = 0;
    long reasoning = 0;
    Object nativeUsage = u.getNativeUsage();
    if (nativeUsage != null) {
      Method[] m = NATIVE.get(nativeUsage.getClass());
      cached = count(call(m[0], nativeUsage), 0);
      reasoning = count(call(m[1], nativeUsage), 1);
      if (m[2] != null || m[3] != null) {
        cached = number(call(m[2], nativeUsage));
        cacheWrite = number(call(m[3], nativeUsage));
        input += cached + cacheWrite;
      }
    }
    cached = Math.min(cached, input);
    return Usage.builder().inputTokens(input).outputTokens(output).cachedInputTokens(cached)
        .cacheWriteTokens(Math.min(cacheWrite, input - cached)).reasoningTokens(Math.min(reasoning, output)).build();
  }

  private static long count(Object details, int which) {
    return details == null ? 0 : number(call(DETAILS.get(details.getClass())[which], details));
  }

  private static long number(Object n) {
    return n instanceof Number x ? Math.max(0, x.longValue()) : 0;
  }

  private static Object call(Method m, Object target) {
    if (m == null || target == null) {
      return null;
    }
    try {
      Object value = m.invoke(target);
      return value instanceof Optional<?> o ? o.orElse(null) : value;   // the OpenAI Java SDK's (Spring AI 2.0)
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** {@code completionTokenDetails} in Spring AI 1.1's OpenAI usage, {@code completionTokensDetails} in the SDK's. */
  private static Method completionDetails(Class<?> type) {
    Method m = method(type, "completionTokenDetails");
    return m != null ? m : method(type, "completionTokensDetails");
  }

  private static Method method(Class<?> type, String name) {
    try {
      Method m = type.getMethod(name);
      return m.getParameterCount() == 0 ? m : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
