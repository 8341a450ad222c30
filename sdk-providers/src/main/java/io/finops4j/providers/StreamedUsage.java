package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.finops4j.api.Usage;
import java.io.IOException;
import java.math.BigInteger;

/**
 * An OpenAI {@code usage} object read as it streams by: the same {@link Usage}, raw fields and complaints as
 * {@link OpenAiWire#usage(com.fasterxml.jackson.databind.JsonNode, String, String)} gives for its tree, without
 * building the tree (the tree and its walk were a third of reading a chat completion). Complaints wait for
 * {@link #usage}, so that the answer's own checks come first, as they did for the tree.
 *
 * <p>In a tree a repeated name counts with its last value at its first place; read as it streams by, the values
 * of a name already seen are gone. So a name seen twice (or an object too large to check) ends the read with
 * {@link Repeated}, and the caller reads the answer from a tree instead.
 */
final class StreamedUsage {

  /** A count that is absent or null: 0, and when it is one of the two counts, the usage is absent. */
  private static final long ABSENT = -1;
  /** Not a number: when it is one of the two counts, the usage is absent; else a malformed answer. */
  private static final long NOT_NUMBER = -2;
  /** A number that is not a count (fractional, negative, too large): a malformed answer. */
  private static final long NOT_COUNT = -3;
  /** The most names checked for repeats, a linear search each; a usage object has about ten. */
  private static final int MAX_NAMES = 32;

  /** The usage object repeats a name (or has too many to check): read the answer from a tree. */
  static final class Repeated extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Repeated() {
      super("usage object repeats a name", null, false, false);
    }
  }

  private long input = ABSENT;
  private long output = ABSENT;
  private long cached = ABSENT;
  private long cacheHit = ABSENT;
  private long write = ABSENT;
  private long reasoning = ABSENT;
  /** The raw fields, as they pass (a builder keeps which value went in last for a name). */
  private final Usage.Builder raw = Usage.builder();
  /** Every key seen, to catch a repeat (OpenAI sends 11); null when reading a tree, where no name repeats. */
  private String[] keys;
  /** The hash of each key seen: a repeat is looked for among equal hashes only. */
  private int[] hashes;
  private int seen;

  private StreamedUsage(boolean fromTree) {
    this.keys = fromTree ? null : new String[16];
    this.hashes = fromTree ? null : new int[16];
  }

  /**
   * Reads the object the parser is on (its {@code START_OBJECT}); {@code fromTree}: the parser walks a tree.
   *
   * @throws Repeated when a name repeats (not from a tree)
   */
  static StreamedUsage read(JsonParser p, boolean fromTree) throws IOException {
    StreamedUsage u = new StreamedUsage(fromTree);
    u.object(p, "", null);
    return u;
  }

  /** The fields of an object under {@code prefix}; {@code parent}: its name at the top, null for the usage itself. */
  private void object(JsonParser p, String prefix, String parent) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String key = RawKeys.join(prefix, name);
      if (keys != null) {
        see(key);
      }
      // below the top level's objects no field is a count
      long count = value(p, p.nextToken(), key, parent == null ? name : "");
      if (parent == null) {
        switch (name) {
          case "prompt_tokens" -> input = count;
          case "completion_tokens" -> output = count;
          case "prompt_cache_hit_tokens" -> cacheHit = count;
          default -> { }
        }
      } else if (parent.equals("prompt_tokens_details")) {
        if (name.equals("cached_tokens")) {
          cached = count;
        } else if (name.equals("cache_write_tokens")) {
          write = count;
        }
      } else if (parent.equals("completion_tokens_details") && name.equals("reasoning_tokens")) {
        reasoning = count;
      }
    }
  }

  /** Notes {@code key} as seen; throws {@link Repeated} when it was seen before or there are too many to check. */
  private void see(String key) {
    int h = key.hashCode();
    for (int i = 0; i < seen; i++) {
      if (hashes[i] == h && keys[i].equals(key)) {
        throw new Repeated();
      }
    }
    if (seen == keys.length) {
      if (seen == MAX_NAMES) {
        throw new Repeated();
      }
      keys = java.util.Arrays.copyOf(keys, MAX_NAMES);
      hashes = java.util.Arrays.copyOf(hashes, MAX_NAMES);
    }
    keys[seen] = key;
    hashes[seen++] = h;
  }

  /**
   * One value into the raw fields as {@code OpenAiWire.raw} puts it (integers, markers, nested objects under
   * {@code key.}); returns it as a count, or what else it is.
   */
  private long value(JsonParser p, JsonToken t, String key, String name) throws IOException {
    switch (t) {
      case VALUE_NUMBER_INT: {
        long v;
        boolean fits = true;
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          BigInteger big = p.getBigIntegerValue();
          v = big.longValue(); // as JsonNode.asLong() reads it
          fits = big.bitLength() < Long.SIZE;
        } else {
          v = p.getLongValue();
        }
        raw.raw(key, v);
        return fits && v >= 0 && v <= OpenAiWire.MAX_COUNT ? v : NOT_COUNT;
      }
      case VALUE_NUMBER_FLOAT:
        return NOT_COUNT;
      case VALUE_NULL:
        return ABSENT;
      case VALUE_STRING: {
        String text = p.getText();
        if (OpenAiWire.isMarkerValue(text)) {
          raw.raw(RawKeys.marker(key, text), 1L);
        }
        return NOT_NUMBER;
      }
      case START_OBJECT:
        object(p, RawKeys.prefix(key), name);
        return NOT_NUMBER;
      default:
        p.skipChildren();
        return NOT_NUMBER;
    }
  }

  /**
   * The usage, normalized as {@link OpenAiWire#usage(com.fasterxml.jackson.databind.JsonNode, String, String)}
   * normalizes it, with the marker {@code field=value}; null when either count is absent or not a number. Called
   * once: the marker goes into this reader's raw fields.
   *
   * @throws OpenAiWire.MalformedException naming the first count (in the tree's order) that is not a token count
   */
  Usage usage(String field, String value) {
    if (!reported(input) || !reported(output)) {
      return null;
    }
    long in = count(input, "prompt_tokens");
    long out = count(output, "completion_tokens");
    long read = count(cached, "cached_tokens");
    if (read == 0) {
      read = count(cacheHit, "prompt_cache_hit_tokens");
    }
    long written = count(write, "cache_write_tokens");
    long thought = count(reasoning, "reasoning_tokens");
    if (OpenAiWire.isMarkerValue(value)) {
      raw.raw(RawKeys.marker(field, value), 1L);
    }
    return OpenAiWire.normalized(raw, in, out, read, written, thought);
  }

  /** Whether one of the two counts is a number, as {@code OpenAiWire.hasCounts} asks. */
  private static boolean reported(long count) {
    return count >= 0 || count == NOT_COUNT;
  }

  private static long count(long count, String name) {
    if (count == ABSENT) {
      return 0;
    }
    if (count < 0) {
      throw OpenAiWire.notACount(name);
    }
    return count;
  }
}
