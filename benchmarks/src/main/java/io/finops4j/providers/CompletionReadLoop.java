package io.finops4j.providers;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;

/**
 * Reads the loopback server's chat completion (a recorded OpenAI answer with a full usage object) {@code n} times,
 * for {@link io.finops4j.benchmarks.AlternateJars}: in this package, since the reader is package-private.
 */
public final class CompletionReadLoop {

  private static final byte[] BODY = ("{\"id\":\"chatcmpl-loop\",\"object\":\"chat.completion\",\"created\":1764000000,"
      + "\"model\":\"gpt-5-mini-2025-08-07\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"billing\",\"refusal\":null,\"annotations\":[]},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":260,\"completion_tokens\":2,\"total_tokens\":262,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
      + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
      + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
      + "\"service_tier\":\"default\",\"system_fingerprint\":null}").getBytes(StandardCharsets.UTF_8);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** Read back, so the reads cannot be dropped as dead code. */
  public static long sink;

  private CompletionReadLoop() {}

  /** The calling thread's CPU nanoseconds for {@code n} reads. */
  public static long loop(int n) throws java.io.IOException {
    long start = THREADS.getCurrentThreadCpuTime();
    long s = 0;
    for (int i = 0; i < n; i++) {
      s += OpenAiWire.completion(BODY, "req").usage().raw().size();
    }
    sink += s;
    return THREADS.getCurrentThreadCpuTime() - start;
  }
}
