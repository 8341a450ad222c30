package io.finops4j.providers;

import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Tool;
import io.finops4j.api.ToolCall;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An offline provider, named {@code simulator}: no network, no key, deterministic for a seed. The same prompt,
 * model and seed give the same text and token counts, so examples, tests and demos of budgets and routing run
 * anywhere.
 *
 * <p>Usage is shaped like a real provider's: input tokens of about {@code chars / 4 + 4} per message; output
 * tokens a seeded 30%–100% of the output ceiling (default {@value #DEFAULT_MAX_OUTPUT_TOKENS}); a repeated system
 * prompt is reported as cached input (as provider prompt caching would); models whose name contains
 * {@code reason} or starts with {@code o} spend part of their output on reasoning. Latency goes through a
 * {@link Sleeper} (tests pass one that does not sleep) and a seeded share of calls can fail with retryable 429s
 * and 500s. A system prompt that lists the answers it accepts ("classify as billing, bug, account or other",
 * "one of: yes, no") is answered with one of them, seeded, in a token or two. A request with tools whose last
 * message is not a tool result is answered with one call of a seeded tool (or the one {@code toolChoice} names),
 * its arguments made from the tool's schema; a request with a {@link io.finops4j.api.JsonSchema} is answered with
 * JSON made from the schema. Thread-safe.
 */
public final class SimulatorClient implements ProviderClient {

  public static final String NAME = "simulator";
  public static final int DEFAULT_MAX_OUTPUT_TOKENS = 256;
  public static final long DEFAULT_SEED = 42;

  /** How the simulator waits out its latency; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** Sleeps the calling thread. */
    Sleeper THREAD = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
  }

  /** Bounds the memory of seen system prompts; forgetting them just means fewer simulated cache hits. */
  private static final int MAX_REMEMBERED_PROMPTS = 10_000;

  private final String name;
  private final long seed;
  private final Duration latency;
  private final Sleeper sleeper;
  private final double failureRate;
  private final int defaultMaxOutputTokens;
  private final AtomicLong calls = new AtomicLong();
  private final Set<Long> seenSystemPrompts = ConcurrentHashMap.newKeySet();

  private SimulatorClient(Builder b) {
    this.name = b.name;
    this.seed = b.seed;
    this.latency = b.latency;
    this.sleeper = b.sleeper;
    this.failureRate = b.failureRate;
    this.defaultMaxOutputTokens = b.defaultMaxOutputTokens;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A simulator with the default seed, no latency and no failures. */
  public static SimulatorClient create() {
    return builder().build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProviderResponse complete(ProviderRequest request) {
    Answer a = answer(request);
    return a.response;
  }

  @Override
  public ProviderResponse stream(ProviderRequest request, Llm.TextListener listener) {
    Objects.requireNonNull(listener, "listener");
    Answer a = answer(request);
    for (int i = 0; i < a.words.size(); i++) {
      listener.onText(i == 0 ? a.words.get(0) : " " + a.words.get(i));
    }
    return a.response;
  }

  private static final class Answer {
    final List<String> words;
    final ProviderResponse response;

    Answer(List<String> words, ProviderResponse response) {
      this.words = words;
      this.response = response;
    }
  }

  private Answer answer(ProviderRequest request) {
    long call = calls.getAndIncrement();
    String requestId = "sim_" + call;
    maybeFail(call, requestId);
    pause(requestId);

    String model = request.model();
    Prompt prompt = request.prompt();
    SplittableRandom random = new SplittableRandom(hash(seed, model, prompt));
    int max = request.maxOutputTokens() != null ? request.maxOutputTokens() : defaultMaxOutputTokens;
    long output = Math.max(1, Math.round(max * (0.3 + 0.7 * random.nextDouble())));
    output = Math.min(output, max);
    long reasoning = 0;
    if (isReasoningModel(model) && output > 1) {
      reasoning = Math.min(output - 1, (long) (output * (0.25 + 0.5 * random.nextDouble())));
    }
    List<String> labels = SimulatedText.labels(prompt.system());
    List<String> words;
    List<ToolCall> toolCalls = List.of();
    if (wantsToolCall(request)) {
      Tool tool = pickTool(request, random);
      String args = SimulatedText.json(tool.parameters(), random);
      toolCalls = List.of(new ToolCall("call_sim_" + Long.toHexString(random.nextLong() >>> 4), tool.name(), args));
      words = List.of();
      output = Math.min(max, reasoning + 5 + args.length() / 4);
    } else if (request.jsonSchema() != null) {
      String json = SimulatedText.json(request.jsonSchema().schema(), random);
      words = List.of(json);
      output = Math.min(max, reasoning + 1 + json.length() / 4);
    } else if (labels.isEmpty()) {
      words = SimulatedText.words(random, output - reasoning);
    } else { // a classification prompt gets one of its labels, one or two tokens, as a real model answers it
      words = List.of(labels.get(random.nextInt(labels.size())));
      output = Math.min(max, reasoning + 1 + words.get(0).length() / 6);
    }

    long input = 0;
    for (Prompt.Message m : prompt.messages()) {
      input += messageTokens(m.content()) + IMAGE_TOKENS * m.images().size();
      for (ToolCall c : m.toolCalls()) {
        input += messageTokens(c.arguments());
      }
    }
    for (Tool t : request.tools()) {
      input += messageTokens(t.parameters());
    }
    long cached = 0;
    String system = prompt.system();
    if (system != null) {
      long key = hash(seed, model, system);
      if (seenSystemPrompts.size() >= MAX_REMEMBERED_PROMPTS) {
        seenSystemPrompts.clear();
      }
      if (!seenSystemPrompts.add(key)) {
        cached = messageTokens(system);
      }
    }
    Usage usage = Usage.builder().inputTokens(input).cachedInputTokens(cached).outputTokens(output)
        .reasoningTokens(reasoning)
        .raw(Map.of("prompt_tokens", input, "completion_tokens", output, "cached_tokens", cached,
            "reasoning_tokens", reasoning))
        .build();
    String finish = !toolCalls.isEmpty() ? "tool_calls" : output >= max ? "length" : "stop";
    return new Answer(words, new ProviderResponse(String.join(" ", words), model, usage, finish, requestId,
        "simresp_" + call, toolCalls));
  }

  /** What an image costs as input here: OpenAI's base tile cost. */
  static final int IMAGE_TOKENS = 85;

  /** A tool call is the answer when tools are offered, allowed, and the model has no tool result to read yet. */
  private static boolean wantsToolCall(ProviderRequest request) {
    if (request.tools().isEmpty() || "none".equals(request.toolChoice())) {
      return false;
    }
    List<Prompt.Message> messages = request.prompt().messages();
    return messages.get(messages.size() - 1).role() != Prompt.Role.TOOL;
  }

  private static Tool pickTool(ProviderRequest request, SplittableRandom random) {
    String choice = request.toolChoice();
    for (Tool t : request.tools()) {
      if (t.name().equals(choice)) {
        return t;
      }
    }
    return request.tools().get(random.nextInt(request.tools().size()));
  }

  static long messageTokens(String content) {
    return (content.length() + 3) / 4 + 4;
  }

  static boolean isReasoningModel(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    return m.contains("reason") || m.startsWith("o");
  }

  private void maybeFail(long call, String requestId) {
    if (failureRate <= 0) {
      return;
    }
    // seeded by the call's sequence number, so a seed replays the same failure pattern
    SplittableRandom random = new SplittableRandom(mix(seed * 31 + call));
    if (random.nextDouble() >= failureRate) {
      return;
    }
    if (random.nextBoolean()) {
      throw new ProviderException(name, 429, "rate_limit_exceeded", requestId, true, Duration.ofMillis(200),
          "simulated rate limit", null);
    }
    throw new ProviderException(name, 500, "server_error", requestId, true, null, "simulated server error", null);
  }

  private void pause(String requestId) {
    if (latency.isZero()) {
      return;
    }
    try {
      sleeper.sleep(latency);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(name, 0, ProviderErrors.INTERRUPTED, requestId, false, null, "thread interrupted", e);
    }
  }

  private static long hash(long seed, String model, Prompt prompt) {
    long h = hash(seed, model, "");
    for (Prompt.Message m : prompt.messages()) {
      h = fnv(h, m.role().name());
      h = fnv(h, m.content());
    }
    return mix(h);
  }

  private static long hash(long seed, String model, String text) {
    return mix(fnv(fnv(0xcbf29ce484222325L ^ mix(seed), model), text));
  }

  private static long fnv(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= 0x1F; // separator, so ("ab","c") and ("a","bc") differ
    return h * 0x100000001b3L;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  @Override
  public String toString() {
    return "SimulatorClient[" + name + ", seed " + seed + "]";
  }

  /** Builds a {@link SimulatorClient}. */
  public static final class Builder {
    private String name = NAME;
    private long seed = DEFAULT_SEED;
    private Duration latency = Duration.ZERO;
    private Sleeper sleeper = Sleeper.THREAD;
    private double failureRate;
    private int defaultMaxOutputTokens = DEFAULT_MAX_OUTPUT_TOKENS;

    private Builder() {}

    public Builder name(String v) { name = Objects.requireNonNull(v, "name"); return this; }
    public Builder seed(long v) { seed = v; return this; }
    /** Time to wait before answering (the time to first token of a stream); default zero. */
    public Builder latency(Duration v) {
      if (v == null || v.isNegative()) {
        throw new IllegalArgumentException("latency must be zero or positive, got " + v);
      }
      latency = v;
      return this;
    }
    public Builder sleeper(Sleeper v) { sleeper = Objects.requireNonNull(v, "sleeper"); return this; }
    /** Share of calls, 0 to 1, that fail with a retryable 429 or 500; default 0. */
    public Builder failureRate(double v) {
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException("failure rate must be between 0 and 1, got " + v);
      }
      failureRate = v;
      return this;
    }
    /** The output ceiling when a request sets none; default {@value SimulatorClient#DEFAULT_MAX_OUTPUT_TOKENS}. */
    public Builder defaultMaxOutputTokens(int v) {
      if (v <= 0) {
        throw new IllegalArgumentException("default max output tokens must be positive, got " + v);
      }
      defaultMaxOutputTokens = v;
      return this;
    }

    public SimulatorClient build() {
      return new SimulatorClient(this);
    }
  }
}
