package io.finops4j.core;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelRules;
import io.finops4j.api.UnsupportedParameterException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the model rules to what a request sends, just before the provider call: a parameter the model's API does
 * not take is refused with {@link UnsupportedParameterException} (the default, {@code reject}), or left out with one
 * WARN per model ({@code routing: { unsupported-parameters: drop }}).
 */
public final class ParameterRules {

  private static final Logger LOG = LoggerFactory.getLogger(ParameterRules.class);

  private final ModelRulesCatalog catalog;
  private final boolean drop;
  private final Set<ModelId> warned = ConcurrentHashMap.newKeySet();

  public ParameterRules(ModelRulesCatalog catalog, boolean drop) {
    this.catalog = catalog;
    this.drop = drop;
  }

  /** The rules of {@code model}. */
  public ModelRules rules(ModelId model) {
    return catalog.rules(model);
  }

  /** Whether unsupported parameters are left out rather than refused. */
  public boolean drops() {
    return drop;
  }

  /** The temperature to send to {@code model}: as asked, or null when the model takes none and the rule drops it. */
  public Double temperature(ModelId model, Double temperature) {
    if (temperature == null || catalog.rules(model).accepts(ModelRules.TEMPERATURE)) {
      return temperature;
    }
    if (!drop) {
      throw new UnsupportedParameterException(model, ModelRules.TEMPERATURE, message(model, temperature));
    }
    if (warned.add(model)) {
      LOG.warn("finops4j: {} takes no temperature; temperature {} is left out of its requests "
          + "(routing.unsupported-parameters: drop)", model, temperature);
    }
    return null;
  }

  /** Why {@code model} refuses a temperature, and what to do about it. */
  public static String message(ModelId model, Double temperature) {
    return model + " takes no temperature (its API answers at its own default and rejects the parameter with a"
        + " 400), so temperature " + temperature + " cannot be sent to it; remove temperature from the task or request, route"
        + " the task to a model that takes one, or set routing: { unsupported-parameters: drop } to leave it out for"
        + " such models";
  }
}
