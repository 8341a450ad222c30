package io.finops4j.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import io.finops4j.api.spi.TokenEstimator;

/**
 * Token estimates in two strengths, because exact tokenization (tens of microseconds per 4 KB) costs more than
 * the whole rest of a call's overhead:
 *
 * <ul>
 *   <li>{@link #upperBound}: free. One token per character plus per-message framing: byte-pair tokenizers
 *       emit at most one token per character for ordinary text, so this bounds what the provider bills and
 *       keeps reservations safe.</li>
 *   <li>{@link #count}: exact for OpenAI models when jtokkit is on the class path (an optional dependency:
 *       {@code o200k_base} or {@code cl100k_base}); without it, and for other providers, a documented conservative estimate of one token per three characters (their
 *       tokenizers average about four). System prompts repeat on almost every call, so their counts are cached.</li>
 * </ul>
 */
public final class TokenCounter implements TokenEstimator {

  /** Tokens OpenAI adds around each chat message, and to prime the reply (the cookbook's figures). */
  private static final int PER_MESSAGE = 4;
  private static final int REPLY_PRIMING = 3;

  private final Cache<String, Integer> o200kSystemCounts = newCountCache();
  private final Cache<String, Integer> cl100kSystemCounts = newCountCache();

  /** Which OpenAI encoding a model uses; the encodings themselves live in {@link Exact}. */
  private enum Bpe { O200K, CL100K }

  private static final boolean JTOKKIT = present("com.knuddels.jtokkit.Encodings");

  /**
   * The only code that touches jtokkit, loaded on the first exact count. Each encoding loads once per JVM, on
   * its first use: each takes about a second and tens of megabytes to build, and most applications never count
   * exactly (budgets reserve with {@link #upperBound}).
   */
  private static final class Exact {
    private static final class O200k {
      static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }

    private static final class Cl100k {
      static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }

    static int count(Bpe bpe, String text) {
      return (bpe == Bpe.O200K ? O200k.ENCODING : Cl100k.ENCODING).countTokensOrdinary(text);
    }
  }

  public TokenCounter() {}

  @Override
  public long upperBound(Prompt prompt, ModelId model) {
    return prompt.chars() + (long) PER_MESSAGE * prompt.messages().size() + REPLY_PRIMING + images(prompt, model);
  }

  /** What the prompt's images may cost: read from each image's header, the most an image can cost otherwise. */
  private static long images(Prompt prompt, ModelId model) {
    long n = 0;
    for (Prompt.Message m : prompt.messages()) {
      for (io.finops4j.api.Image image : m.images()) {
        n += ImageTokens.upperBound(image, model);
      }
    }
    return n;
  }

  @Override
  public long count(Prompt prompt, ModelId model) {
    Bpe enc = encodingFor(model);
    long n = REPLY_PRIMING + images(prompt, model);
    for (Prompt.Message m : prompt.messages()) {
      n += PER_MESSAGE;
      if (m.role() == Prompt.Role.SYSTEM && enc != null) {
        n += (enc == Bpe.O200K ? o200kSystemCounts : cl100kSystemCounts).get(m.content(),
            text -> count(enc, text));
      } else {
        n += count(enc, m.content());
      }
      for (io.finops4j.api.ToolCall c : m.toolCalls()) {
        n += count(enc, c.name()) + count(enc, c.arguments());
      }
      // Anthropic bills the thinking sent back in a tool loop as input: the whole block (signature included)
      // bounds it from above
      for (io.finops4j.api.ReasoningBlock b : m.reasoning()) {
        n += count(enc, b.json());
      }
    }
    return n;
  }

  @Override
  public long countText(String text, ModelId model) {
    return count(encodingFor(model), text);
  }

  private static Cache<String, Integer> newCountCache() {
    // Weighed by the key's size: a few large system prompts must not pin unbounded memory.
    return Caffeine.newBuilder().maximumWeight(4L << 20).weigher((String k, Integer v) -> k.length() * 2 + 64).build();
  }

  private static int count(Bpe enc, String text) {
    if (enc == null) {
      return (text.length() + 2) / 3;
    }
    return Exact.count(enc, text);
  }

  /** The model's encoding; null for other providers' models, or when jtokkit is absent. */
  private static Bpe encodingFor(ModelId model) {
    if (!JTOKKIT) {
      return null;
    }
    String name = model.model();
    boolean openAiFamily = "openai".equals(model.provider()) || "azure".equals(model.provider())
        || name.startsWith("gpt-") || name.matches("o\\d.*");
    if (!openAiFamily) {
      return null;
    }
    if (name.startsWith("gpt-4-") || name.equals("gpt-4") || name.startsWith("gpt-3.5")
        || name.startsWith("text-embedding")) {
      return Bpe.CL100K;
    }
    return Bpe.O200K;
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, TokenCounter.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
