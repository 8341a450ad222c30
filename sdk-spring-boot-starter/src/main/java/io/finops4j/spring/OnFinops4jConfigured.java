package io.finops4j.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the environment has a {@code finops4j} section, or {@code finops4j.enabled=true}; never when
 * {@code finops4j.enabled=false}. Adding the starter to an app that has not configured finops4j changes nothing.
 */
class OnFinops4jConfigured extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Binder binder = Binder.get(context.getEnvironment());
    Boolean enabled = binder.bind("finops4j.enabled", Boolean.class).orElse(null);
    if (Boolean.FALSE.equals(enabled)) {
      return ConditionOutcome.noMatch("finops4j.enabled is false");
    }
    if (Boolean.TRUE.equals(enabled)) {
      return ConditionOutcome.match("finops4j.enabled is true");
    }
    boolean section = binder.bind(SpringConfigTree.PREFIX, Bindable.mapOf(String.class, Object.class))
        .map(m -> m.keySet().stream().anyMatch(k -> !"enabled".equals(k)))
        .orElse(false);
    return section ? ConditionOutcome.match("found a finops4j section")
        : ConditionOutcome.noMatch("no finops4j section and finops4j.enabled is not set");
  }
}
