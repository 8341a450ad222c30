package io.finops4j.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code finops4j.web} says where a request's attribution comes from. */
class OnWebAttributionConfigured extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    boolean web = Binder.get(context.getEnvironment())
        .bind(SpringConfigTree.PREFIX + ".web", Bindable.mapOf(String.class, Object.class))
        .map(m -> !m.isEmpty()).orElse(false);
    return web ? ConditionOutcome.match("found finops4j.web") : ConditionOutcome.noMatch("no finops4j.web");
  }
}
