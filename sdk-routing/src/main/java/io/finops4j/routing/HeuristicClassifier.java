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
    // One pass over each message, no copies: this runs on every routed call of an escalating task.
    Counts n = new Counts();
    for (Prompt.Message m : prompt.messages()) {
      if (m.role() != Prompt.Role.SYSTEM) {
        scan(m.content(), n);
      }
    }
    boolean code = n.fenced || n.codeLines >= 3;
    int steps = n.numbered + n.sequence;
    boolean mixed = n.ascii > 20 && n.nonAscii > 20 && n.nonAscii * 5 > n.ascii;

    List<String> evidence = new ArrayList<>(4);
    boolean keyword = false;
    for (String k : complexKeywords) {
      for (Prompt.Message m : prompt.messages()) {
        if (m.role() != Prompt.Role.SYSTEM && containsIgnoreCase(m.content(), k)) {
          evidence.add("keyword '" + k + "'");
          keyword = true;
          break;
        }
      }
    }
    if (n.chars > longChars) {
      evidence.add(n.chars + " characters");
    }
    if (code) {
      evidence.add("code");
    }
    if (steps > 0) {
      evidence.add(steps + (steps == 1 ? " step" : " steps"));
    }
    if (n.reasoning > 0) {
      evidence.add(n.reasoning + (n.reasoning == 1 ? " reasoning marker" : " reasoning markers"));
    }
    if (mixed) {
      evidence.add("mixed languages");
    }
    boolean complex = keyword || n.chars > longChars || (code && n.reasoning > 0) || steps >= 3 || n.reasoning >= 3
        || steps + n.reasoning >= 4;
    if (complex) {
      return new Verdict(Complexity.COMPLEX, "prompt has " + String.join(", ", evidence));
    }
    if (n.chars < shortChars && evidence.isEmpty()) {
      return new Verdict(Complexity.SIMPLE, "prompt is short (" + n.chars + " characters) with no code or reasoning");
    }
    return new Verdict(Complexity.NORMAL, evidence.isEmpty() ? "no complexity signals" : "prompt has "
        + String.join(", ", evidence));
  }

  /** What one pass over the text counts. */
  private static final class Counts {
    int chars;
    int codeLines;
    int numbered;
    int ascii;
    int nonAscii;
    int sequence;
    int reasoning;
    boolean fenced;
  }

  private static void scan(String t, Counts n) {
    int len = t.length();
    n.chars += len;
    // String.toLowerCase and indexOf are vectorized intrinsics: a few passes with them beat one hand-written pass.
    String lower = t.toLowerCase(Locale.ROOT);
    n.reasoning += count(lower, REASONING);
    n.sequence += count(lower, SEQUENCE);
    n.fenced |= lower.indexOf("```") >= 0;
    for (int start = 0; start < len; ) {
      int nl = t.indexOf('\n', start);
      int end = nl < 0 ? len : nl;
      line(t, start, end, n);
      start = end + 1;
    }
    int nonAscii = 0;
    for (int i = 0; i < len; i++) {
      if (t.charAt(i) >= 0x80) {
        nonAscii++;
      }
    }
    n.nonAscii += nonAscii;
    n.ascii += len - nonAscii;
  }

  /** A line ending in ; { or } looks like code; one starting with "1." or "2)" is a numbered step. */
  private static void line(String t, int start, int end, Counts n) {
    int e = end - 1;
    while (e >= start && (t.charAt(e) == ' ' || t.charAt(e) == '\r')) {
      e--;
    }
    if (e < start) {
      return;
    }
    char last = t.charAt(e);
    if (last == ';' || last == '{' || last == '}') {
      n.codeLines++;
    }
    int s = start;
    while (s < e && t.charAt(s) == ' ') {
      s++;
    }
    if (s + 1 <= e && Character.isDigit(t.charAt(s)) && (t.charAt(s + 1) == '.' || t.charAt(s + 1) == ')')) {
      n.numbered++;
    }
  }

  private static int count(String text, String[] needles) {
    int n = 0;
    for (String needle : needles) {
      for (int from = text.indexOf(needle); from >= 0; from = text.indexOf(needle, from + needle.length())) {
        n++;
      }
    }
    return n;
  }

  private static boolean containsIgnoreCase(String text, String lowerNeedle) {
    for (int i = 0, last = text.length() - lowerNeedle.length(); i <= last; i++) {
      if (text.regionMatches(true, i, lowerNeedle, 0, lowerNeedle.length())) {
        return true;
      }
    }
    return false;
  }
}
