package io.finops4j.routing;

import io.finops4j.api.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The default {@link ComplexityClassifier}: one pass over the user and assistant text (the system prompt is the
 * task's, not the request's), counting signals that predict a hard request.
 *
 * <ul>
 *   <li>length: more than {@code longChars} characters is complex, fewer than {@code shortChars} is simple;</li>
 *   <li>code: fenced blocks (```), or several lines that end in {@code ;}, <code>{</code> or <code>}</code>;</li>
 *   <li>steps: numbered lines ({@code 1.}, {@code 2)}) and sequencing words (then, next, finally, step);</li>
 *   <li>reasoning: why, prove, derive, compare, trade-off, analy(s|z)e, root cause, explain;</li>
 *   <li>language mix: both ASCII letters and a substantial share of non-ASCII letters;</li>
 *   <li>keywords of your own: {@code complexKeywords} force complex.</li>
 * </ul>
 *
 * A prompt is complex with code plus any reasoning marker, with 3 or more steps or reasoning markers, when long,
 * or on a keyword; simple when short and without any signal; normal otherwise.
 */
public final class HeuristicClassifier implements ComplexityClassifier {

  private static final String[] REASONING = {"why", "prove", "derive", "compare", "trade-off", "tradeoff",
      "analyze", "analyse", "root cause", "explain", "reason about", "step by step"};
  private static final String[] SEQUENCE = {" then ", " next ", " finally ", " afterwards ", "step "};

  private final int shortChars;
  private final int longChars;
  private final List<String> complexKeywords;

  public HeuristicClassifier() {
    this(160, 6000, List.of());
  }

  public HeuristicClassifier(int shortChars, int longChars, List<String> complexKeywords) {
    this.shortChars = shortChars;
    this.longChars = longChars;
    List<String> lower = new ArrayList<>();
    for (String k : complexKeywords) {
      lower.add(k.toLowerCase(Locale.ROOT));
    }
    this.complexKeywords = List.copyOf(lower);
  }

  @Override
  public Verdict classify(Prompt prompt) {
    int chars = 0;
    StringBuilder text = new StringBuilder();
    for (Prompt.Message m : prompt.messages()) {
      if (m.role() != Prompt.Role.SYSTEM) {
        chars += m.content().length();
        text.append(m.content()).append('\n');
      }
    }
    String lower = text.toString().toLowerCase(Locale.ROOT);

    boolean fenced = lower.contains("```");
    int codeLines = 0;
    int numbered = 0;
    int ascii = 0;
    int nonAscii = 0;
    int lineStart = 0;
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (c == '\n') {
        int end = i - 1;
        while (end >= lineStart && lower.charAt(end) == ' ') {
          end--;
        }
        if (end >= lineStart) {
          char last = lower.charAt(end);
          if (last == ';' || last == '{' || last == '}') {
            codeLines++;
          }
          int s = lineStart;
          while (s < end && lower.charAt(s) == ' ') {
            s++;
          }
          if (s + 1 <= end && Character.isDigit(lower.charAt(s)) && (lower.charAt(s + 1) == '.' || lower.charAt(s + 1) == ')')) {
            numbered++;
          }
        }
        lineStart = i + 1;
      } else if (Character.isLetter(c)) {
        if (c < 128) {
          ascii++;
        } else {
          nonAscii++;
        }
      }
    }
    boolean code = fenced || codeLines >= 3;
    int steps = numbered + count(lower, SEQUENCE);
    int reasoning = count(lower, REASONING);
    boolean mixed = ascii > 20 && nonAscii > 20 && nonAscii * 5 > ascii;

    List<String> evidence = new ArrayList<>(4);
    for (String k : complexKeywords) {
      if (lower.contains(k)) {
        evidence.add("keyword '" + k + "'");
      }
    }
    if (chars > longChars) {
      evidence.add(chars + " characters");
    }
    if (code) {
      evidence.add("code");
    }
    if (steps > 0) {
      evidence.add(steps + (steps == 1 ? " step" : " steps"));
    }
    if (reasoning > 0) {
      evidence.add(reasoning + (reasoning == 1 ? " reasoning marker" : " reasoning markers"));
    }
    if (mixed) {
      evidence.add("mixed languages");
    }
    boolean complex = !complexKeywords.isEmpty() && evidence.stream().anyMatch(e -> e.startsWith("keyword"))
        || chars > longChars || (code && reasoning > 0) || steps >= 3 || reasoning >= 3 || steps + reasoning >= 4;
    if (complex) {
      return new Verdict(Complexity.COMPLEX, "prompt has " + String.join(", ", evidence));
    }
    if (chars < shortChars && evidence.isEmpty()) {
      return new Verdict(Complexity.SIMPLE, "prompt is short (" + chars + " characters) with no code or reasoning");
    }
    return new Verdict(Complexity.NORMAL, evidence.isEmpty() ? "no complexity signals" : "prompt has "
        + String.join(", ", evidence));
  }

  private static int count(String text, String[] needles) {
    int n = 0;
    for (String needle : needles) {
      int from = 0;
      while ((from = text.indexOf(needle, from)) >= 0) {
        n++;
        from += needle.length();
      }
    }
    return n;
  }
}
