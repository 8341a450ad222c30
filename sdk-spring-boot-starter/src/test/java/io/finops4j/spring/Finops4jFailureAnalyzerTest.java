package io.finops4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.ConfigException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

class Finops4jFailureAnalyzerTest {

  @Test
  void springBootFindsTheAnalyzerAndGivesItTheEnvironment() {
    StandardEnvironment env = new StandardEnvironment();
    assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
        .load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, env)
            .and(BeanFactory.class, new DefaultListableBeanFactory()),
            // other modules' analyzers want a full context: skip them, ours must still be there
            SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> { })))
        .anyMatch(a -> a instanceof Finops4jFailureAnalyzer);
  }

  @Test
  void theDescriptionSaysWhichFileAndLineTheBadValueCameFrom() throws Exception {
    StandardEnvironment env = new StandardEnvironment();
    for (PropertySource<?> s : new YamlPropertySourceLoader().load("binding-test.yaml",
        new ClassPathResource("binding-test.yaml"))) {
      env.getPropertySources().addLast(s);
    }
    ConfigException bad = new ConfigException("finops4j.budgets[1].limit",
        "expected a decimal number, got 'lots' (in application properties)");

    FailureAnalysis analysis = new Finops4jFailureAnalyzer(env).analyze(new IllegalStateException("wrapped", bad));

    assertThat(analysis.getDescription()).contains("Property: finops4j.budgets[1].limit")
        .contains("Problem: expected a decimal number, got 'lots'")
        .contains("Origin: class path resource [binding-test.yaml] - 17:");
    assertThat(analysis.getAction()).contains("FINOPS4J_BUDGETS_1_LIMIT");
  }

  @Test
  void aListKeyPointsAtItsFirstItem() throws Exception {
    StandardEnvironment env = new StandardEnvironment();
    for (PropertySource<?> s : new YamlPropertySourceLoader().load("binding-test.yaml",
        new ClassPathResource("binding-test.yaml"))) {
      env.getPropertySources().addLast(s);
    }
    FailureAnalysis analysis = new Finops4jFailureAnalyzer(env)
        .analyze(new ConfigException("finops4j.tiers.small", "model openai/x has no price"));

    assertThat(analysis.getDescription()).contains("Origin: class path resource [binding-test.yaml] - 7:");
  }
}
