package io.finops4j.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.finops4j.api.Prompt;
import io.finops4j.routing.ComplexityClassifier.Complexity;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HeuristicClassifierTest {

  private final HeuristicClassifier classifier = new HeuristicClassifier();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "Is this ticket about billing?|SIMPLE",
      "Translate 'good morning' to French.|SIMPLE",
      "Why does my service leak memory, and how do I compare heap dumps to find the root cause?|COMPLEX",
      "First install the agent, then configure the exporter, next restart the app and finally check the dashboard.|COMPLEX",
      "Please write a friendly reply to a customer who wants to know when the new reporting feature ships; keep it under 100 words and mention the beta programme they could join in the meantime, which has open seats.|NORMAL",
  })
  void classifiesATableOfPrompts(String text, Complexity expected) {
    assertThat(classifier.classify(Prompt.of(text)).complexity()).isEqualTo(expected);
  }

  @Test
  void codeWithAQuestionIsComplexAndTheEvidenceSaysSo() {
    String prompt = "Why does this deadlock?\n```java\nsynchronized (a) {\n  synchronized (b) { work(); }\n}\n```";
    var verdict = classifier.classify(Prompt.of(prompt));
    assertThat(verdict.complexity()).isEqualTo(Complexity.COMPLEX);
    assertThat(verdict.evidence()).isEqualTo("prompt has code, 1 reasoning marker");
  }

  @Test
  void longPromptsAreComplex() {
    assertThat(classifier.classify(Prompt.of("word ".repeat(1300))).evidence()).isEqualTo("prompt has 6500 characters");
  }

  @Test
  void theSystemPromptDoesNotCount() {
    Prompt p = Prompt.builder().system("Explain why, step by step, then compare and analyze. ".repeat(20))
        .user("Is this spam?").build();
    assertThat(classifier.classify(p).complexity()).isEqualTo(Complexity.SIMPLE);
  }

  @Test
  void keywordRulesForceComplex() {
    var custom = new HeuristicClassifier(160, 6000, List.of("Legal Review"));
    assertThat(custom.classify(Prompt.of("Needs legal review before Friday")).evidence())
        .isEqualTo("prompt has keyword 'legal review'");
    assertThat(custom.classify(Prompt.of("Needs legal review before Friday")).complexity()).isEqualTo(Complexity.COMPLEX);
  }

  @Test
  void mixedLanguagesAreASignal() {
    var v = classifier.classify(Prompt.of("Please translate this contract clause: 本契約は日本法に準拠し、東京地方裁判所を専属的合意管轄裁判所とする。"));
    assertThat(v.evidence()).contains("mixed languages");
  }
}
