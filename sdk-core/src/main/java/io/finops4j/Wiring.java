package io.finops4j;

import io.finops4j.api.spi.BudgetStore;
import io.finops4j.api.spi.BudgetStoreFactory;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.api.spi.EmbeddingModel;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.core.PriceCatalog;
import io.finops4j.providers.GeminiClient;
import io.finops4j.providers.GeminiEmbeddingModel;
import io.finops4j.providers.OpenAiClient;
import io.finops4j.providers.OpenAiEmbeddingModel;
import java.util.Map;
import io.finops4j.providers.Providers;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Turns configuration sections into the concern modules' objects. */
final class Wiring {

  private Wiring() {}

  /** The providers of {@code finops4j.providers}; the offline simulator is always among them. */
  static Providers providers(ConfigNode root) {
    return Providers.fromConfig(root.get("providers"));
  }

  /**
   * The embedding model of {@code finops4j.cache.semantic.model} (e.g. {@code openai/text-embedding-3-small}), on
   * that provider's client and priced from the price table; {@code null} when none is named.
   */
  static EmbeddingModel embeddingModel(ConfigNode root, Map<String, ProviderClient> clients, PriceCatalog prices) {
    ConfigNode semantic = root.get("cache").get("semantic");
    ConfigNode modelNode = semantic.get("model");
    if (!modelNode.isPresent()) {
      return null;
    }
    ModelId model;
    try {
      model = ModelId.parse(modelNode.asString());
    } catch (IllegalArgumentException e) {
      throw modelNode.error(e.getMessage());
    }
    ModelPrice price = prices.find(model).orElseThrow(() -> modelNode.error("no price is known for embedding model "
        + model + "; add it under finops4j.models"));
    Integer dimensions = semantic.has("dimensions") ? (int) semantic.get("dimensions").asLong(0, 1, 65_536) : null;
    ProviderClient client = clients.get(model.provider());
    if (client instanceof OpenAiClient openAi) {
      return new OpenAiEmbeddingModel(openAi, model.model(), price, dimensions);
    }
    if (client instanceof GeminiClient gemini) {
      return new GeminiEmbeddingModel(gemini, model.model(), price, dimensions);
    }
    throw modelNode.error("embeddings need an OpenAI(-compatible) or Gemini provider named '" + model.provider()
        + "' under finops4j.providers; configured: " + clients.keySet());
  }

  /**
   * The budget store of {@code finops4j.budget.store}: {@code null} for {@code memory} (the default, one
   * instance's counters), else the store of the module that serves that name, e.g. {@code redis}.
   */
  static BudgetStore budgetStore(ConfigNode root) {
    ConfigNode budget = root.get("budget");
    String name = budget.get("store").asString("memory").trim();
    if (name.equals("memory")) {
      budget.allowKeys("store", "lease");
      return null;
    }
    List<String> available = new ArrayList<>(List.of("memory"));
    for (BudgetStoreFactory f : ServiceLoader.load(BudgetStoreFactory.class, Wiring.class.getClassLoader())) {
      if (f.name().equals(name)) {
        return f.create(budget);
      }
      available.add(f.name());
    }
    throw budget.get("store").error("no budget store named '" + name + "' is on the classpath (available: "
        + available + ")" + (name.equals("redis") ? "; add the dependency io.finops4j:finops4j-budget-redis" : ""));
  }
}
