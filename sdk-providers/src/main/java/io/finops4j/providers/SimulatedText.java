package io.finops4j.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plausible English made of simple sentences, drawn from a seeded random source: the simulator's answers. */
final class SimulatedText {

  private static final String[] SUBJECTS = {
      "The report", "Our team", "The customer", "This change", "The new policy", "The model", "Each request",
      "The service", "A short summary", "The budget", "The latest release", "The support agent"};
  private static final String[] VERBS = {
      "explains", "improves", "reduces", "highlights", "covers", "tracks", "clarifies", "supports", "affects",
      "describes", "reviews", "simplifies"};
  private static final String[] OBJECTS = {
      "the monthly cost", "the main risks", "the next steps", "the response time", "the billing issue",
      "the support queue", "the rollout plan", "the error rate", "the usage pattern", "the key findings",
      "the open questions", "the account settings"};
  private static final String[] TAILS = {
      "in plain terms", "for every customer", "without extra work", "across all regions", "as expected",
      "before the deadline", "with clear examples", "over the last week", "for the whole team",
      "at a lower price", "in a few steps", "with little risk"};

  /** About 0.75 English words per token, as the providers' own rules of thumb say. */
  static final double WORDS_PER_TOKEN = 0.75;

  /**
   * A system prompt that lists the answers it accepts, as classification prompts do: "one of: billing, bug,
   * other", "as billing, bug, account or other", "answer yes or no".
   */
  private static final Pattern LABELS = Pattern.compile(
      "(?i)(?:one of|as|answer(?: with)?|either)[:\\s]+((?:[a-z][a-z_-]*\\s*,\\s*)*[a-z][a-z_-]*,?\\s+or\\s+[a-z][a-z_-]*"
          + "|(?:[a-z][a-z_-]*\\s*,\\s*)+[a-z][a-z_-]*)");

  private SimulatedText() {}

  /** The labels a system prompt asks the answer to be one of; empty when it lists none. */
  static List<String> labels(String system) {
    if (system == null) {
      return List.of();
    }
    Matcher m = LABELS.matcher(system);
    if (!m.find()) {
      return List.of();
    }
    List<String> labels = new ArrayList<>();
    for (String part : m.group(1).split("\\s*,\\s*(?:or\\s+)?|\\s+or\\s+")) {
      if (!part.isBlank()) {
        labels.add(part.trim());
      }
    }
    return labels.size() >= 2 ? List.copyOf(labels) : List.of();
  }

  /** The words of an answer of about {@code tokens} tokens; the last word ends the sentence. */
  static List<String> words(SplittableRandom random, long tokens) {
    int target = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 16, Math.round(tokens * WORDS_PER_TOKEN)));
    List<String> words = new ArrayList<>(target + 12);
    while (words.size() < target) {
      StringBuilder sentence = new StringBuilder(64);
      sentence.append(pick(random, SUBJECTS)).append(' ').append(pick(random, VERBS)).append(' ')
          .append(pick(random, OBJECTS)).append(' ').append(pick(random, TAILS)).append('.');
      for (String w : sentence.toString().split(" ")) {
        words.add(w);
      }
    }
    List<String> out = new ArrayList<>(words.subList(0, target));
    String last = out.get(target - 1);
    if (!last.endsWith(".")) {
      out.set(target - 1, last + ".");
    }
    return out;
  }

  private static String pick(SplittableRandom random, String[] options) {
    return options[random.nextInt(options.length)];
  }

  /**
   * A JSON value matching {@code schema} (a JSON schema as text), seeded: objects get every listed property,
   * strings a word (or the first enum value), numbers a small integer, booleans true, arrays one item. Schemas
   * it cannot read give {@code {}}.
   */
  static String json(String schema, SplittableRandom random) {
    JsonNode node;
    try {
      node = OpenAiClient.JSON.readTree(schema);
    } catch (JsonProcessingException e) {
      return "{}";
    }
    return value(node, random, 0).toString();
  }

  private static JsonNode value(JsonNode schema, SplittableRandom random, int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (schema.has("enum") && schema.get("enum").isArray() && !schema.get("enum").isEmpty()) {
      return schema.get("enum").get(0);
    }
    String type = schema.path("type").isArray() ? schema.path("type").path(0).asText() : schema.path("type").asText("object");
    switch (type) {
      case "string":
        return f.textNode(pick(random, OBJECTS));
      case "integer":
      case "number":
        return f.numberNode(1 + random.nextInt(100));
      case "boolean":
        return f.booleanNode(true);
      case "array":
        ArrayNode a = f.arrayNode();
        if (depth < 4) {
          a.add(value(schema.path("items"), random, depth + 1));
        }
        return a;
      case "null":
        return f.nullNode();
      default:
        ObjectNode o = f.objectNode();
        if (depth < 4) {
          for (Map.Entry<String, JsonNode> e : schema.path("properties").properties()) {
            o.set(e.getKey(), value(e.getValue(), random, depth + 1));
          }
        }
        return o;
    }
  }
}
