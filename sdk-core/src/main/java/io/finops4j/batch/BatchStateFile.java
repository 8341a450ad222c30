package io.finops4j.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.finops4j.api.Attribution;
import io.finops4j.api.Finops4jException;
import io.finops4j.api.ModelId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The pending batches as a small JSON file: batch ids, providers, models, and per item its call id, attribution
 * and reservation. Written whole to a temporary file and moved over the old one, so a crash mid-write leaves the
 * previous state, never half of one. Holds no prompt text.
 */
final class BatchStateFile {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VERSION = 1;

  private final Path path;

  BatchStateFile(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  List<PendingBatch> load() {
    if (!Files.exists(path)) {
      return List.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(path.toFile());
    } catch (IOException e) {
      throw new Finops4jException("cannot read the batch state file " + path + ": " + e.getMessage(), e);
    }
    List<PendingBatch> out = new ArrayList<>();
    for (JsonNode b : root.path("batches")) {
      List<PendingBatch.Item> items = new ArrayList<>();
      for (JsonNode i : b.path("items")) {
        items.add(new PendingBatch.Item(i.path("item").asText(), i.path("call-id").asText(),
            attribution(i.path("attribution")), i.path("input-tokens").asLong(), i.path("worst-nanos").asLong(),
            i.path("worst-tokens").asLong()));
      }
      out.add(new PendingBatch(b.path("id").asText(), b.path("provider").asText(),
          ModelId.parse(b.path("model").asText()), b.path("task").asText(),
          b.path("tier").isNull() ? null : b.path("tier").asText(null), Instant.parse(b.path("submitted-at").asText()),
          items, b.path("status").asText("submitted")));
    }
    return out;
  }

  void save(Collection<PendingBatch> batches) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", VERSION);
    ArrayNode list = root.putArray("batches");
    for (PendingBatch p : batches) {
      ObjectNode b = list.addObject();
      b.put("id", p.id);
      b.put("provider", p.provider);
      b.put("model", p.model.toString());
      b.put("task", p.taskType);
      b.put("tier", p.tier);
      b.put("submitted-at", p.submittedAt.toString());
      b.put("status", p.status);
      ArrayNode items = b.putArray("items");
      for (PendingBatch.Item i : p.items) {
        ObjectNode n = items.addObject();
        n.put("item", i.itemId());
        n.put("call-id", i.callId());
        n.set("attribution", attribution(i.attribution()));
        n.put("input-tokens", i.inputTokens());
        n.put("worst-nanos", i.worstNanos());
        n.put("worst-tokens", i.worstTokens());
      }
    }
    try {
      Path dir = path.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new Finops4jException("cannot write the batch state file " + path + ": " + e.getMessage(), e);
    }
  }

  private static ObjectNode attribution(Attribution a) {
    ObjectNode n = JSON.createObjectNode();
    for (String f : List.of("customer", "feature", "workflow", "user", "team", "environment")) {
      String v = a.dimension(f);
      if (v != null) {
        n.put(f, v);
      }
    }
    if (!a.tags().isEmpty()) {
      ObjectNode tags = n.putObject("tags");
      a.tags().forEach(tags::put);
    }
    return n;
  }

  private static Attribution attribution(JsonNode n) {
    Attribution.Builder b = Attribution.builder().customer(text(n, "customer")).feature(text(n, "feature"))
        .workflow(text(n, "workflow")).user(text(n, "user")).team(text(n, "team"))
        .environment(text(n, "environment"));
    for (Map.Entry<String, JsonNode> t : n.path("tags").properties()) {
      b.tag(t.getKey(), t.getValue().asText());
    }
    return b.build();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
