package io.finops4j.providers.batch;

import io.finops4j.api.spi.ProviderRequest;
import java.util.Objects;

/**
 * One request of a batch as the provider sees it.
 *
 * @param customId the id that ties the result line back to the item
 * @param request the request, exactly as a real-time call would send it
 */
public record BatchRequest(String customId, ProviderRequest request) {

  public BatchRequest {
    Objects.requireNonNull(customId, "customId");
    Objects.requireNonNull(request, "request");
  }
}
