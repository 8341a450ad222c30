package io.finops4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** {@code finops4j.web}: a servlet request's headers become the attribution of the calls made while handling it. */
class AttributionFilterTest {

  static final String[] POLICY = {
      "finops4j.providers.simulator.seed=42",
      "finops4j.tiers.small[0]=simulator/gpt-5-mini",
      "finops4j.tasks.classification.tier=small",
      "finops4j.tasks.classification.max-output-tokens=1024",
      "finops4j.web.attribution-headers.customer=X-Tenant-Id",
      "finops4j.web.attribution-headers.workflow=X-Run-Id"};

  final WebApplicationContextRunner web = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(Finops4jAutoConfiguration.class)).withPropertyValues(POLICY);

  @Test
  void callsMadeWhileHandlingARequestAreSpentOnItsHeaders() {
    web.run(ctx -> {
      AttributionFilter filter = ctx.getBean(AttributionFilter.class);
      Llm llm = ctx.getBean(Llm.class);
      MockHttpServletRequest request = new MockHttpServletRequest("POST", "/triage");
      request.addHeader("X-Tenant-Id", "acme");
      request.addHeader("X-Run-Id", "run-7");
      AtomicReference<Attribution> seen = new AtomicReference<>();
      AtomicReference<Completion> answer = new AtomicReference<>();
      filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
        seen.set(Attribution.current());
        answer.set(llm.complete("classification", Prompt.of("Where is my invoice?")));
      });
      assertThat(seen.get().customer()).isEqualTo("acme");
      assertThat(seen.get().workflow()).isEqualTo("run-7");
      assertThat(answer.get().costUsd()).isPositive();
      assertThat(Attribution.current()).isSameAs(Attribution.NONE); // the scope ends with the request
    });
  }

  @Test
  void aBadHeaderValueIsLeftOutAndARequestWithoutHeadersHasNoScope() {
    web.run(ctx -> {
      AttributionFilter filter = ctx.getBean(AttributionFilter.class);
      MockHttpServletRequest forged = new MockHttpServletRequest("POST", "/triage");
      forged.addHeader("X-Tenant-Id", "acme\n[main] ERROR forged log line");
      forged.addHeader("X-Run-Id", "run-8");
      AtomicReference<Attribution> seen = new AtomicReference<>();
      filter.doFilter(forged, new MockHttpServletResponse(), (req, res) -> seen.set(Attribution.current()));
      assertThat(seen.get().customer()).isNull();
      assertThat(seen.get().workflow()).isEqualTo("run-8");

      filter.doFilter(new MockHttpServletRequest("GET", "/"), new MockHttpServletResponse(),
          (req, res) -> seen.set(Attribution.current()));
      assertThat(seen.get()).isSameAs(Attribution.NONE);
    });
  }

  @Test
  void noFilterWithoutTheSettingOrOutsideAServletApp() {
    new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(Finops4jAutoConfiguration.class))
        .withPropertyValues(POLICY[0], POLICY[1], POLICY[2], POLICY[3])
        .run(ctx -> assertThat(ctx).hasSingleBean(Llm.class).doesNotHaveBean(AttributionFilter.class));
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(Finops4jAutoConfiguration.class))
        .withPropertyValues(POLICY)
        .run(ctx -> assertThat(ctx).hasSingleBean(Llm.class).doesNotHaveBean(AttributionFilter.class));
  }
}
