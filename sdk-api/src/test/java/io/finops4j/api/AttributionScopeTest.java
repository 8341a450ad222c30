package io.finops4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AttributionScopeTest {

  private static final Attribution ACME = Attribution.of("acme", "support-chat");
  private static final Attribution GLOBEX = Attribution.builder().customer("globex").workflow("run-7").build();

  @Test
  void noScopeMeansNone() {
    assertThat(Attribution.current()).isSameAs(Attribution.NONE);
    assertThat(CompletionRequest.builder("t", Prompt.of("x")).build().attribution()).isSameAs(Attribution.NONE);
  }

  @Test
  void scopesNestAndEachCloseRestoresThePreviousOne() {
    try (Attribution.Scope outer = ACME.makeCurrent()) {
      assertThat(Attribution.current()).isSameAs(ACME);
      try (Attribution.Scope inner = GLOBEX.makeCurrent()) {
        assertThat(Attribution.current()).isSameAs(GLOBEX);
        assertThat(inner.attribution()).isSameAs(GLOBEX);
      }
      assertThat(Attribution.current()).isSameAs(ACME);
    }
    assertThat(Attribution.current()).isSameAs(Attribution.NONE);
  }

  @Test
  void closingTwiceChangesNothing() {
    try (Attribution.Scope outer = ACME.makeCurrent()) {
      Attribution.Scope inner = GLOBEX.makeCurrent();
      inner.close();
      inner.close();
      assertThat(Attribution.current()).isSameAs(ACME);
    }
  }

  @Test
  void aScopeIsPerThread() throws Exception {
    try (Attribution.Scope s = ACME.makeCurrent()) {
      Attribution seenElsewhere = CompletableFuture.supplyAsync(Attribution::current).get();
      assertThat(seenElsewhere).isSameAs(Attribution.NONE);
    }
  }

  @Test
  void aScopeClosedOnAnotherThreadIsRefusedAndStaysOpen() throws Exception {
    Attribution.Scope s = ACME.makeCurrent();
    try {
      Throwable error = CompletableFuture.runAsync(s::close).handle((v, t) -> t).get();
      assertThat(error).hasCauseInstanceOf(IllegalStateException.class);
      assertThat(Attribution.current()).isSameAs(ACME);
    } finally {
      s.close();
    }
    assertThat(Attribution.current()).isSameAs(Attribution.NONE);
  }

  @Test
  void aRequestWithoutAttributionTakesTheScopesWhenBuiltAndAnExplicitOneWins() {
    CompletionRequest scoped;
    CompletionRequest explicit;
    try (Attribution.Scope s = ACME.makeCurrent()) {
      scoped = CompletionRequest.builder("t", Prompt.of("x")).build();
      explicit = CompletionRequest.builder("t", Prompt.of("x")).attribution(GLOBEX).build();
    }
    assertThat(scoped.attribution()).isSameAs(ACME);
    assertThat(explicit.attribution()).isSameAs(GLOBEX);
    // built after the scope closed: nothing
    assertThat(CompletionRequest.builder("t", Prompt.of("x")).build().attribution()).isSameAs(Attribution.NONE);
  }

  @Test
  void withDefaultsFillsOnlyTheAbsentFields() {
    Attribution defaults = Attribution.builder().customer("fallback").feature("assistant").environment("prod")
        .tag("team-tag", "a").tag("shared", "default").build();
    Attribution scope = Attribution.builder().customer("acme").workflow("run-1").tag("shared", "scope").build();
    Attribution merged = scope.withDefaults(defaults);
    assertThat(merged.customer()).isEqualTo("acme");
    assertThat(merged.feature()).isEqualTo("assistant");
    assertThat(merged.workflow()).isEqualTo("run-1");
    assertThat(merged.environment()).isEqualTo("prod");
    assertThat(merged.user()).isNull();
    assertThat(merged.tags()).containsEntry("team-tag", "a").containsEntry("shared", "scope").hasSize(2);
    assertThat(scope.withDefaults(Attribution.NONE)).isSameAs(scope);
    assertThat(scope.withDefaults(null)).isSameAs(scope);
  }
}
