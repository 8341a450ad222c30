package io.finops4j.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finops4j.api.ProviderException;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import java.io.IOException;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The HTTP side of a configured OpenAI or Anthropic client, for the batch clients of
 * {@code io.finops4j.providers.batch}: the same request bodies, response parsing and usage normalization as a
 * real-time call, the same key handling and error mapping. Not meant for application code.
 */
public final class BatchWire {

  /** Which batch API a client speaks. */
  public enum Kind { OPENAI, ANTHROPIC }

  private final OpenAiClient openAi;
  private final AnthropicClient anthropic;
  private final HttpTransport transport;

  private BatchWire(OpenAiClient openAi, AnthropicClient anthropic) {
    this.openAi = openAi;
    this.anthropic = anthropic;
    this.transport = openAi != null ? openAi.transport : anthropic.transport;
  }

  /** The wire of {@code client}, or {@code null} when its provider has no batch API we support. */
  public static BatchWire of(ProviderClient client) {
    if (client instanceof OpenAiClient o) {
      return new BatchWire(o, null);
    }
    if (client instanceof AnthropicClient a) {
      return new BatchWire(null, a);
    }
    return null;
  }

  public Kind kind() {
    return openAi != null ? Kind.OPENAI : Kind.ANTHROPIC;
  }

  /** The provider name, e.g. {@code openai}. */
  public String provider() {
    return transport.name;
  }

  /** The SDK's own mapper. */
  public ObjectMapper json() {
    return OpenAiClient.JSON;
  }

  /** The body a real-time call of {@code request} would post (never streamed). */
  public byte[] requestBody(ProviderRequest original) {
    ProviderRequest request = transport.forWire(original);
    return openAi != null
        ? OpenAiWire.requestBody(OpenAiClient.JSON.getFactory(), request, false, openAi.maxTokensField())
        : AnthropicWire.requestBody(OpenAiClient.JSON.getFactory(), request, false, anthropic.defaultMaxTokens());
  }

  /**
   * A chat completion (OpenAI) or message (Anthropic) object, with its usage normalized as for real-time calls.
   *
   * @throws IllegalArgumentException when the object lacks the fields every answer has
   */
  public ProviderResponse response(JsonNode body, String requestId) {
    try {
      return openAi != null ? OpenAiWire.completion(body, requestId) : AnthropicWire.message(body, requestId);
    } catch (OpenAiWire.MalformedException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /** {@code {base-url}{path}}: OpenAI {@code /files} (the base ends in {@code /v1}), Anthropic {@code /v1/...}. */
  public HttpUrl url(String path) {
    return openAi != null ? openAi.operationUrl(path.startsWith("/") ? path.substring(1) : path)
        : anthropic.operationUrl(path);
  }

  /** A request to {@code url} carrying the client's key and version headers (a GET unless changed). */
  public Request.Builder request(HttpUrl url) {
    Objects.requireNonNull(url, "url");
    return openAi != null ? openAi.post(url, new byte[0]).get() : anthropic.request(url);
  }

  /**
   * Executes {@code request}; the caller closes the response.
   *
   * @throws ProviderException on an I/O failure or a non-2xx answer, mapped as for real-time calls
   */
  public Response execute(Request request) {
    Response response = transport.execute(request);
    if (!response.isSuccessful()) {
      try (response) {
        throw transport.errorOf(response);
      }
    }
    return response;
  }

  /** An I/O failure while reading a response body, as a {@link ProviderException} without the key. */
  public ProviderException ioError(IOException e, String requestId) {
    return ProviderErrors.fromIo(provider(), e, 0, requestId, transport.apiKey);
  }

  /** A response that is not what the API documents. */
  public ProviderException malformed(int status, String requestId, String what) {
    return ProviderErrors.malformed(provider(), status, requestId, what, null);
  }
}
