package io.finops4j.providers.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.finops4j.api.ProviderException;
import io.finops4j.providers.BatchWire;
import java.io.IOException;
import java.util.function.Consumer;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;

/** Reads a JSONL download line by line, so that a results file of hundreds of MB is never held whole. */
final class JsonlLines {

  private JsonlLines() {}

  static void read(BatchWire wire, Request request, Consumer<JsonNode> each) {
    try (Response response = wire.execute(request)) {
      BufferedSource source = response.body().source();
      String line;
      while ((line = source.readUtf8Line()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = wire.json().readTree(line);
        } catch (JsonProcessingException e) {
          // no cause: Jackson's message would quote the line, which may hold generated text
          throw wire.malformed(response.code(), null, "a result line is not JSON");
        }
        each.accept(node);
      }
    } catch (IOException e) {
      throw wire.ioError(e, null);
    }
  }

  /** Reads a small JSON response whole. */
  static JsonNode object(BatchWire wire, Request request) {
    try (Response response = wire.execute(request)) {
      try {
        JsonNode node = wire.json().readTree(response.body().byteStream());
        if (node == null || !node.isObject()) {
          throw wire.malformed(response.code(), null, "response body is not a JSON object");
        }
        return node;
      } catch (JsonProcessingException e) {
        throw wire.malformed(response.code(), null, "response body is not JSON");
      }
    } catch (IOException e) {
      throw wire.ioError(e, null);
    }
  }

  static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }

  /** {@code "code: message"} from whichever of the two is present. */
  static String describe(String code, String message) {
    if (code == null) {
      return message;
    }
    return message == null ? code : code + ": " + message;
  }

  static ProviderException missing(BatchWire wire, String what) {
    return wire.malformed(200, null, what);
  }
}
