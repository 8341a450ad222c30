package io.finops4j.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelRules;
import io.finops4j.api.spi.ConfigNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bundled model rules ({@code model-rules.yaml}): for each model, whether it reasons and which sampling
 * parameters its API takes. Patterns end in {@code *} to match a family and its dated snapshots; the longest
 * matching pattern wins; an unmatched model is {@link ModelRules#UNKNOWN}. The simulator's models follow the rules of
 * the real model of the same name, so a configuration that starts on the simulator starts in production too.
 */
public final class ModelRulesCatalog {

  private static final ModelRulesCatalog BUNDLED = load();

  /** Patterns, longest first: the first match is the most specific. */
  private final List<Map.Entry<String, ModelRules>> patterns;
  private final String version;
  /** Rules already looked up: the pattern scan runs once per model, not once per call. */
  private final Map<ModelId, ModelRules> resolved = new ConcurrentHashMap<>();

  private ModelRulesCatalog(List<Map.Entry<String, ModelRules>> patterns, String version) {
    this.patterns = List.copyOf(patterns);
    this.version = version;
  }

  /** The bundled rules. */
  public static ModelRulesCatalog bundled() {
    return BUNDLED;
  }

  /** The version of the rules table, a date. */
  public String version() {
    return version;
  }

  /** The rules of {@code model}; {@link ModelRules#UNKNOWN} for a model no pattern matches. */
  public ModelRules rules(ModelId model) {
    ModelRules known = resolved.get(model);
    if (known != null) {
      return known;
    }
    ModelRules rules = match(model);
    if (resolved.size() < MAX_RESOLVED) { // ids come from configuration and responses: bound them all the same
      resolved.put(model, rules);
    }
    return rules;
  }

  private static final int MAX_RESOLVED = 4096;

  private ModelRules match(ModelId model) {
    if ("simulator".equals(model.provider())) {
      for (Map.Entry<String, ModelRules> p : patterns) {
        String pattern = p.getKey();
        if (matches(pattern.substring(pattern.indexOf('/') + 1), model.model())) {
          return p.getValue();
        }
      }
      return ModelRules.UNKNOWN;
    }
    String id = model.qualified();
    for (Map.Entry<String, ModelRules> p : patterns) {
      if (matches(p.getKey(), id)) {
        return p.getValue();
      }
    }
    return ModelRules.UNKNOWN;
  }

  private static boolean matches(String pattern, String id) {
    return pattern.endsWith("*") ? id.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(id);
  }

  private static ModelRulesCatalog load() {
    try (InputStream in = ModelRulesCatalog.class.getResourceAsStream("model-rules.yaml")) {
      Map<String, Object> doc = new ObjectMapper(new YAMLFactory())
          .readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
      ConfigNode root = ConfigNode.root("bundled model-rules.yaml", "model-rules", doc);
      List<Map.Entry<String, ModelRules>> patterns = new ArrayList<>();
      root.get("rules").asMap().forEach((pattern, node) -> {
        node.allowKeys("reasoning", "sampling", "reasoning-controls", "efforts", "tools", "vision", "max-output",
            "context-window", "min-cacheable", "source", "effective");
        Set<String> sampling = new LinkedHashSet<>();
        node.get("sampling").asList().forEach(p -> sampling.add(p.asString()));
        ConfigNode effective = node.get("effective");
        boolean reasoning = node.get("reasoning").asBoolean(false);
        boolean controls = node.get("reasoning-controls").asBoolean(reasoning);
        Set<String> efforts = new LinkedHashSet<>();
        if (node.get("efforts").isPresent()) {
          node.get("efforts").asList().forEach(e -> efforts.add(
              e.asOneOf(io.finops4j.api.CompletionRequest.REASONING_EFFORTS)));
        } else if (controls) {
          efforts.addAll(ModelRules.OPENAI_EFFORTS);
        }
        patterns.add(Map.entry(pattern, new ModelRules(reasoning, sampling,
            controls, node.get("tools").asBoolean(true),
            node.get("vision").asBoolean(true), (int) node.get("max-output").asLong(0, 0, Integer.MAX_VALUE),
            (int) node.get("context-window").asLong(0, 0, Integer.MAX_VALUE),
            (int) node.get("min-cacheable").asLong(0, 0, Integer.MAX_VALUE), node.get("source").asString(null),
            effective.isPresent() ? LocalDate.parse(effective.asString()) : null, efforts)));
      });
      patterns.sort(Comparator.comparingInt((Map.Entry<String, ModelRules> e) -> e.getKey().length()).reversed());
      return new ModelRulesCatalog(patterns, root.get("version").asString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled model rules", e);
    }
  }
}
