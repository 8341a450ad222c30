package io.finops4j.core.cache;

import io.finops4j.api.Attribution;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.ModelId;
import io.finops4j.api.Prompt;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * Cache keys: a readable scope prefix followed by the SHA-256 of a canonical byte form of everything that changes
 * the answer. Every field is length-prefixed and strings are written as modified UTF-8 of their chars, so the
 * byte form is injective: two different requests can only share a key through a SHA-256 collision, and two
 * scopes never can, because the scope is in the key itself.
 */
final class RequestKeys {

  /** Bumped whenever the canonical form changes, so old entries in a shared cache are never misread. */
  private static final byte VERSION = 1;
  private static final byte EXACT = 'E';
  private static final byte SEMANTIC = 'S';
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);

  private RequestKeys() {}

  /**
   * The scope prefix of {@code attribution} for {@code dimensions}, e.g. {@code customer=4:acme|}, or
   * {@code global|} when there are none; {@code null} when a dimension is absent (the call is not cached then:
   * an unattributed call must not share answers with every other unattributed call of a per-customer cache).
   */
  static String scope(List<String> dimensions, Attribution attribution) {
    if (dimensions.isEmpty()) {
      return "global|";
    }
    StringBuilder s = new StringBuilder(32);
    for (String d : dimensions) {
      String v = attribution.dimension(d);
      if (v == null) {
        return null;
      }
      // The length makes the prefix unambiguous whatever characters the value holds.
      s.append(d).append('=').append(v.length()).append(':').append(v).append('|');
    }
    return s.toString();
  }

  /** The exact-cache key: scope prefix + SHA-256 over the task, model, parameters and every message. */
  static String exact(String scope, CompletionRequest request, ModelId model) {
    Hasher h = HASHER.get().start(EXACT);
    common(h, request, model);
    List<Prompt.Message> messages = request.prompt().messages();
    h.writeInt(messages.size());
    for (Prompt.Message m : messages) {
      h.writeInt(m.role().ordinal());
      h.writeString(m.content());
    }
    return scope + h.finish();
  }

  /**
   * The semantic partition of a request: everything except the text of its last user message, which is the part
   * compared by meaning. Requests in one partition share the scope, model, parameters, system prompt and every
   * earlier turn.
   */
  static String partition(String scope, CompletionRequest request, ModelId model) {
    Hasher h = HASHER.get().start(SEMANTIC);
    common(h, request, model);
    List<Prompt.Message> messages = request.prompt().messages();
    h.writeInt(messages.size());
    for (int i = 0; i < messages.size() - 1; i++) {
      h.writeInt(messages.get(i).role().ordinal());
      h.writeString(messages.get(i).content());
    }
    return scope + h.finish();
  }

  private static void common(Hasher h, CompletionRequest request, ModelId model) {
    h.writeString(request.taskType());
    h.writeString(model.provider());
    h.writeString(model.model());
    Integer max = request.maxOutputTokens();
    h.writeInt(max == null ? -1 : max);
    Double t = request.temperature();
    h.writeLong(t == null ? Long.MIN_VALUE : Double.doubleToLongBits(t));
    // The cost cap can clamp the output ceiling after the cache, so it can change the answer.
    BigDecimal cap = request.maxCostUsd();
    h.writeString(cap == null ? "" : cap.stripTrailingZeros().toPlainString());
  }

  /** A SHA-256 fed through a small buffer; one per thread, so the hot path allocates only the result. */
  private static final class Hasher {
    private final MessageDigest digest;
    private final byte[] buf = new byte[8192];
    /** Chars per chunk: three bytes each always fit the buffer. */
    private final char[] chars = new char[8192 / 3];
    private int pos;

    Hasher() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
      }
    }

    Hasher start(byte kind) {
      digest.reset();
      pos = 0;
      buf[pos++] = VERSION;
      buf[pos++] = kind;
      return this;
    }

    void writeInt(int v) {
      ensure(4);
      buf[pos++] = (byte) (v >>> 24);
      buf[pos++] = (byte) (v >>> 16);
      buf[pos++] = (byte) (v >>> 8);
      buf[pos++] = (byte) v;
    }

    void writeLong(long v) {
      writeInt((int) (v >>> 32));
      writeInt((int) v);
    }

    void writeString(String s) {
      int n = s.length();
      writeInt(n);
      char[] cs = chars;
      int i = 0;
      while (i < n) {
        // A chunk of chars copied out in bulk (String.charAt per char cost ~2 ns, more than the hash itself),
        // then encoded into room for 3 bytes each: no bounds check per char.
        int count = Math.min(n - i, cs.length);
        s.getChars(i, i + count, cs, 0);
        ensure(count * 3);
        byte[] b = buf;
        int p = pos;
        for (int k = 0; k < count; k++) {
          char c = cs[k];
          // Modified UTF-8 of each char: prefix-free, so with the length in front the form is injective.
          if (c < 0x80) {
            b[p++] = (byte) c;
          } else if (c < 0x800) {
            b[p++] = (byte) (0xC0 | (c >> 6));
            b[p++] = (byte) (0x80 | (c & 0x3F));
          } else {
            b[p++] = (byte) (0xE0 | (c >> 12));
            b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            b[p++] = (byte) (0x80 | (c & 0x3F));
          }
        }
        pos = p;
        i += count;
      }
    }

    String finish() {
      digest.update(buf, 0, pos);
      pos = 0;
      return B64.encodeToString(digest.digest());
    }

    private void ensure(int n) {
      if (pos + n > buf.length) {
        digest.update(buf, 0, pos);
        pos = 0;
      }
    }
  }
}
