package io.finops4j.api.spi;

import io.finops4j.api.Llm;
import io.finops4j.api.ProviderException;

/**
 * One LLM provider's API. A client makes exactly one HTTP attempt per call: retries, fallback and metering
 * are the engine's, so that every attempt is checked and counted.
 *
 * <p>Failures are {@link ProviderException}s with {@link ProviderException#retryable()} set as the official
 * SDKs decide it (I/O, 408, 409, 429, 5xx and Anthropic's 529 are retryable).
 */
public interface ProviderClient extends AutoCloseable {

  /** The provider name used in qualified model ids, e.g. {@code openai}. */
  String name();

  /** Sends one non-streaming request. */
  ProviderResponse complete(ProviderRequest request);

  /**
   * Sends one streaming request, handing each text delta to {@code listener} as it arrives, and returns the
   * whole response with the usage from the stream's final event. A stream that ends without its terminal
   * event throws {@link ProviderException} (never a truncated success).
   */
  ProviderResponse stream(ProviderRequest request, Llm.TextListener listener);

  /**
   * Where this client's requests go (scheme, host and port), for the {@code server.address} and {@code server.port}
   * of spans; {@code null} when it has no server (the simulator) or does not say.
   */
  default java.net.URI server() {
    return null;
  }

  /** Releases connections; the default does nothing. */
  @Override
  default void close() {}
}
