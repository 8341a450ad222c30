package io.finops4j.providers.batch;

import io.finops4j.api.spi.ProviderClient;
import io.finops4j.providers.BatchWire;
import java.util.List;

/**
 * A provider's batch API: submit many requests at once at the batch price, poll until the batch has ended, read
 * one result line per request. Implementations are thread-safe and make one HTTP exchange per step (the engine's
 * poller retries on the next tick).
 */
public interface BatchClient {

  /** The provider name, e.g. {@code openai}. */
  String provider();

  /**
   * Checks the provider's documented limits, uploads and creates the batch.
   *
   * @return the provider's batch id
   * @throws IllegalArgumentException when the batch is over the provider's request-count or size limit
   * @throws io.finops4j.api.ProviderException when the provider refuses or cannot be reached
   */
  String submit(List<BatchRequest> requests);

  /** The batch's status; once ended, with every result line. */
  BatchStatus poll(String batchId);

  /** The batch client over {@code client}'s URL, key and HTTP client, or {@code null} when it has no batch API. */
  static BatchClient of(ProviderClient client) {
    BatchWire wire = BatchWire.of(client);
    if (wire == null) {
      return null;
    }
    return wire.kind() == BatchWire.Kind.OPENAI ? new OpenAiBatchClient(wire) : new AnthropicBatchClient(wire);
  }
}
