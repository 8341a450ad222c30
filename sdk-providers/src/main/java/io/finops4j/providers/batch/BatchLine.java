package io.finops4j.providers.batch;

import io.finops4j.api.spi.ProviderResponse;

/**
 * One line of a batch's results: an answer with its usage, or an error.
 *
 * @param customId the request's custom id
 * @param response the answer (usage normalized as for real-time calls), or {@code null} when the request failed
 * @param errorType {@code errored}, {@code expired} or {@code canceled}, or {@code null} for an answer
 * @param errorMessage the provider's error code and message, or {@code null}
 */
public record BatchLine(String customId, ProviderResponse response, String errorType, String errorMessage) {

  public static final String ERRORED = "errored";
  public static final String EXPIRED = "expired";
  public static final String CANCELED = "canceled";

  static BatchLine ok(String customId, ProviderResponse response) {
    return new BatchLine(customId, response, null, null);
  }

  static BatchLine failed(String customId, String type, String message) {
    return new BatchLine(customId, null, type, message);
  }
}
