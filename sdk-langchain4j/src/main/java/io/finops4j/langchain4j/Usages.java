package io.finops4j.langchain4j;

import dev.langchain4j.model.output.TokenUsage;
import io.finops4j.api.Usage;
import java.lang.reflect.Method;

/**
 * LangChain4j's {@link TokenUsage} in finops4j's {@link Usage} meaning. The provider modules' subclasses carry the
 * cache and reasoning counts; they are read by method name, so this module needs none of them on its class path:
 * <ul>
 *   <li>{@code OpenAiTokenUsage}: {@code inputTokensDetails().cachedTokens()} and
 *       {@code outputTokensDetails().reasoningTokens()}; OpenAI's {@code prompt_tokens} already include the cached
 *       ones and {@code completion_tokens} the reasoning ones, as {@link Usage} counts them.</li>
 *   <li>{@code AnthropicTokenUsage}: {@code cacheReadInputTokens()} and {@code cacheCreationInputTokens()};
 *       Anthropic's {@code input_tokens} exclude both, so they are added to the input count.</li>
 * </ul>
 */
final class Usages {

  private static final ClassValue<Readers> READERS = new ClassValue<>() {
    @Override
    protected Readers computeValue(Class<?> type) {
      return new Readers(method(type, "inputTokensDetails"), method(type, "outputTokensDetails"),
          method(type, "cacheReadInputTokens"), method(type, "cacheCreationInputTokens"));
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

  /** The usage the framework reported, or {@code null} when it reported none (the engine then estimates it). */
  static Usage of(TokenUsage u) {
    if (u == null || u.inputTokenCount() == null || u.outputTokenCount() == null) {
      return null;
    }
    long input = u.inputTokenCount();
    long output = u.outputTokenCount();
    Readers r = READERS.get(u.getClass());
    long cached = count(call(r.inputDetails, u), 0);
    long reasoning = count(call(r.outputDetails, u), 1);
    long cacheWrite = 0;
    if (r.cacheRead != null || r.cacheWrite != null) {
      cached = number(call(r.cacheRead, u));
      cacheWrite = number(call(r.cacheWrite, u));
      input += cached + cacheWrite;
    }
    return Usage.builder().inputTokens(input).outputTokens(output).cachedInputTokens(Math.min(cached, input))
        .cacheWriteTokens(Math.min(cacheWrite, input - Math.min(cached, input)))
        .reasoningTokens(Math.min(reasoning, output)).build();
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
      return m.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Method method(Class<?> type, String name) {
    try {
      Method m = type.getMethod(name);
      return m.getParameterCount() == 0 ? m : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private record Readers(Method inputDetails, Method outputDetails, Method cacheRead, Method cacheWrite) {}
}
