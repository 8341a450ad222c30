package io.finops4j.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Token usage of one call, normalized across providers to the OpenTelemetry GenAI meaning.
 *
 * <ul>
 *   <li>{@code inputTokens} counts every prompt token, including cache reads and cache writes
 *       (Anthropic: {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens}; OpenAI:
 *       {@code prompt_tokens}; Gemini: {@code promptTokenCount}).</li>
 *   <li>{@code outputTokens} counts every generated token, including reasoning (Gemini: candidates +
 *       thoughts).</li>
 *   <li>{@code cachedInputTokens}, {@code cacheWriteTokens} and {@code reasoningTokens} are subsets;
 *       {@code cacheWrite1hTokens} is the part of the cache writes held for one hour (Anthropic prices it higher).</li>
 * </ul>
 *
 * <p>{@code estimated} is true when the provider reported no usage and the numbers are the library's
 * conservative estimate: such a call is never priced at zero. {@code raw} keeps the provider's own fields: its
 * integer counts under their (dotted) names, and the text fields that change the price as markers
 * {@code name=value} with value 1 ({@code service_tier=priority}, {@code inference_geo=us}, {@code speed=fast}),
 * which {@link ModelPrice#multipliers()} key on. {@code raw} is immutable and iterates in the order its fields were
 * added (for a provider's usage, the order the provider sent them).
 */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteTokens,
    long cacheWrite1hTokens, long reasoningTokens, boolean estimated, Map<String, Long> raw) {

  /** No tokens at all: a cache hit or a call rejected before it was sent. */
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0, false, Map.of());

  public Usage {
    if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cacheWriteTokens < 0
        || cacheWrite1hTokens < 0 || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts cannot be negative");
    }
    if (cachedInputTokens + cacheWriteTokens > inputTokens) {
      throw new IllegalArgumentException("cached (" + cachedInputTokens + ") plus cache-write (" + cacheWriteTokens
          + ") tokens exceed input tokens (" + inputTokens + "): input tokens must include them");
    }
    if (cacheWrite1hTokens > cacheWriteTokens) {
      throw new IllegalArgumentException("1h cache writes exceed cache writes");
    }
    if (reasoningTokens > outputTokens) {
      throw new IllegalArgumentException("reasoning tokens (" + reasoningTokens + ") exceed output tokens ("
          + outputTokens + "): output tokens must include them");
    }
    raw = RawCounts.copyOf(raw);
  }

  /** Usage with only input and output counts, as reported. */
  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, 0, 0, 0, 0, false, Map.of());
  }

  /** Input tokens billed at the full input rate: neither read from nor written to a cache. */
  public long uncachedInputTokens() {
    return inputTokens - cachedInputTokens - cacheWriteTokens;
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Usage}; unset counts are zero. */
  public static final class Builder {
    private long input;
    private long output;
    private long cached;
    private long cacheWrite;
    private long cacheWrite1h;
    private long reasoning;
    private boolean estimated;
    /** The raw fields so far: names distinct, in the order first added; null until the first. */
    private String[] rawNames;
    private long[] rawCounts;
    private int rawSize;

    private Builder() {}

    public Builder inputTokens(long v) { input = v; return this; }
    public Builder outputTokens(long v) { output = v; return this; }
    public Builder cachedInputTokens(long v) { cached = v; return this; }
    public Builder cacheWriteTokens(long v) { cacheWrite = v; return this; }
    public Builder cacheWrite1hTokens(long v) { cacheWrite1h = v; return this; }
    public Builder reasoningTokens(long v) { reasoning = v; return this; }
    public Builder estimated(boolean v) { estimated = v; return this; }

    /** The provider's own fields, replacing any set before; null: none. */
    public Builder raw(Map<String, Long> v) {
      rawSize = 0;
      if (v != null) {
        v.forEach(this::raw);
      }
      return this;
    }

    /**
     * One of the provider's own fields: a count under its (dotted) name, or a marker {@code name=value} with count
     * 1; replaces that name's count when it was set before.
     */
    public Builder raw(String name, long count) {
      Objects.requireNonNull(name, "raw usage name");
      for (int i = 0; i < rawSize; i++) {
        if (rawNames[i].equals(name)) {
          rawCounts[i] = count;
          return this;
        }
      }
      if (rawNames == null) {
        rawNames = new String[16]; // an OpenAI usage has about ten
        rawCounts = new long[16];
      } else if (rawSize == rawNames.length) {
        rawNames = Arrays.copyOf(rawNames, rawSize * 2);
        rawCounts = Arrays.copyOf(rawCounts, rawSize * 2);
      }
      rawNames[rawSize] = name;
      rawCounts[rawSize++] = count;
      return this;
    }

    public Usage build() {
      return new Usage(input, output, cached, cacheWrite, cacheWrite1h, reasoning, estimated,
          rawSize == 0 ? Map.of() : RawCounts.of(rawNames, rawCounts, rawSize));
    }
  }
}
