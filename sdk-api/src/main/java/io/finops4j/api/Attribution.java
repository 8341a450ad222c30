package io.finops4j.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * Who and what a call is spent on: the dimensions every budget, metric, span and ledger row is cut by.
 *
 * <p>All fields are optional; absent ones are {@code null}. {@code workflow} names one agent run or session, so
 * that per-workflow caps can stop a runaway loop.
 *
 * <p>Values end up in log lines, ledger rows, CSV and HTML reports, so each value (and tag name) is checked when
 * it is set: at most {@value #MAX_LENGTH} characters, and no control characters (newline, NUL, ...), line
 * separators or bidirectional overrides, which could forge log lines or disguise report cells. A value that breaks
 * a rule is rejected with an {@link IllegalArgumentException} naming the field and the character, never the value.
 * At most {@value #MAX_TAGS} tags.
 *
 * <p><b>Scoped attribution.</b> An attribution can be made current for a block of code, so that calls deep inside
 * framework code (a LangChain4j {@code AiServices} tool loop, a Spring AI {@code ChatClient}) are spent on it
 * without passing it down:
 *
 * <pre>{@code
 * try (Attribution.Scope s = Attribution.of("acme", "support-chat").toBuilder().workflow(runId).build().makeCurrent()) {
 *   llm.complete("support-reply", prompt);   // attributed to acme / support-chat / runId
 *   assistant.chat(question);                // so is every round trip of a wrapped framework model
 * }
 * }</pre>
 *
 * <p>The scope is per thread, like an OpenTelemetry {@code Context}: {@link #current()} is the innermost open scope
 * of the calling thread, and closing a scope restores the one it replaced. {@code Llm.completeAsync} captures the
 * caller's current attribution when it is called and runs the call under it. A request that names an attribution
 * explicitly uses that one, not the scope's.
 */
public final class Attribution {

  /** The longest value (or tag name) accepted, in chars. */
  public static final int MAX_LENGTH = 256;
  /** The most tags accepted. */
  public static final int MAX_TAGS = 64;

  /** No attribution: the call counts only against global budgets. */
  public static final Attribution NONE = builder().build();

  private final String customer;
  private final String feature;
  private final String workflow;
  private final String user;
  private final String team;
  private final String environment;
  private final Map<String, String> tags;

  private Attribution(Builder b) {
    this.customer = b.customer;
    this.feature = b.feature;
    this.workflow = b.workflow;
    this.user = b.user;
    this.team = b.team;
    this.environment = b.environment;
    this.tags = Map.copyOf(b.tags);
  }

  /** The attributions made current on each thread; unset means {@link #NONE}. */
  private static final ThreadLocal<Attribution> CURRENT = new ThreadLocal<>();

  /** The common case: a customer (tenant) and the product feature that made the call. */
  public static Attribution of(String customer, String feature) {
    return builder().customer(customer).feature(feature).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public String customer() { return customer; }
  public String feature() { return feature; }
  public String workflow() { return workflow; }
  public String user() { return user; }
  public String team() { return team; }
  public String environment() { return environment; }
  public Map<String, String> tags() { return tags; }

  /**
   * The value of a named dimension: {@code customer}, {@code feature}, {@code workflow}, {@code user},
   * {@code team}, {@code environment}, or {@code tag.NAME}; {@code null} when absent or unknown.
   */
  public String dimension(String name) {
    switch (name) {
      case "customer": return customer;
      case "feature": return feature;
      case "workflow": return workflow;
      case "user": return user;
      case "team": return team;
      case "environment": return environment;
      default: return name.startsWith("tag.") ? tags.get(name.substring(4)) : null;
    }
  }

  /**
   * The attribution of the innermost open {@link Scope} on this thread, or {@link #NONE} when none is open. Calls
   * that name no attribution are spent on it.
   */
  public static Attribution current() {
    Attribution a = CURRENT.get();
    return a == null ? NONE : a;
  }

  /**
   * Makes this attribution the {@link #current()} one on this thread until the returned scope is closed, which
   * restores the previous one. Use it in try-with-resources; close scopes in the reverse order of opening them.
   */
  public Scope makeCurrent() {
    Attribution previous = CURRENT.get();
    CURRENT.set(this);
    return new Scope(this, previous);
  }

  /**
   * This attribution with each absent field taken from {@code defaults}; tags are merged, this one's winning on
   * the same key. Returns {@code this} when {@code defaults} is {@code null} or {@link #NONE}.
   */
  public Attribution withDefaults(Attribution defaults) {
    if (defaults == null || defaults == NONE || defaults.equals(NONE)) {
      return this;
    }
    Builder b = new Builder()
        .customer(customer != null ? customer : defaults.customer)
        .feature(feature != null ? feature : defaults.feature)
        .workflow(workflow != null ? workflow : defaults.workflow)
        .user(user != null ? user : defaults.user)
        .team(team != null ? team : defaults.team)
        .environment(environment != null ? environment : defaults.environment);
    b.tags.putAll(defaults.tags);
    b.tags.putAll(tags);
    return b.build();
  }

  public Builder toBuilder() {
    Builder b = new Builder().customer(customer).feature(feature).workflow(workflow).user(user).team(team)
        .environment(environment);
    b.tags.putAll(tags);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Attribution a)) {
      return false;
    }
    return java.util.Objects.equals(customer, a.customer) && java.util.Objects.equals(feature, a.feature)
        && java.util.Objects.equals(workflow, a.workflow) && java.util.Objects.equals(user, a.user)
        && java.util.Objects.equals(team, a.team) && java.util.Objects.equals(environment, a.environment)
        && tags.equals(a.tags);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(customer, feature, workflow, user, team, environment, tags);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Attribution{");
    append(s, "customer", customer);
    append(s, "feature", feature);
    append(s, "workflow", workflow);
    append(s, "user", user);
    append(s, "team", team);
    append(s, "environment", environment);
    if (!tags.isEmpty()) {
      append(s, "tags", new TreeMap<>(tags).toString());
    }
    return s.append('}').toString();
  }

  /** {@code value}, if it is null or passes the rules in the class comment; else fails naming {@code field}. */
  static String checked(String field, String value) {
    if (value == null) {
      return null;
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("attribution " + field + " is " + value.length() + " characters long; at"
          + " most " + MAX_LENGTH + " are accepted");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || isBidiControl(c) || c == '\u2028' || c == '\u2029') {
        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "attribution %s contains U+%04X at"
            + " index %d; control characters, line separators and bidirectional controls are not accepted (they"
            + " could forge log lines or disguise report cells)", field, (int) c, i));
      }
    }
    return value;
  }

  /**
   * {@code value} with every character the builder refuses replaced by U+FFFD and cut to {@link #MAX_LENGTH}:
   * for reading back rows that another tool (or an older version) wrote. {@code null} stays {@code null}.
   */
  public static String clean(String value) {
    if (value == null) {
      return null;
    }
    StringBuilder s = new StringBuilder(Math.min(value.length(), MAX_LENGTH));
    for (int i = 0; i < value.length() && i < MAX_LENGTH; i++) {
      char c = value.charAt(i);
      s.append(Character.isISOControl(c) || isBidiControl(c) || c == '\u2028' || c == '\u2029' ? '\uFFFD' : c);
    }
    return s.toString();
  }

  /** The Unicode bidirectional formatting characters (marks, embeddings, overrides, isolates). */
  private static boolean isBidiControl(char c) {
    return c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');
  }

  private static void append(StringBuilder s, String name, String value) {
    if (value != null) {
      if (s.charAt(s.length() - 1) != '{') {
        s.append(", ");
      }
      s.append(name).append('=').append(value);
    }
  }

  /**
   * An open {@link #makeCurrent()} scope. {@link #close()} restores the attribution that was current before it, on
   * the thread that opened it; closing twice does nothing.
   */
  public static final class Scope implements AutoCloseable {
    private final Attribution attribution;
    private final Attribution previous;
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private Scope(Attribution attribution, Attribution previous) {
      this.attribution = attribution;
      this.previous = previous;
    }

    /** The attribution this scope made current. */
    public Attribution attribution() {
      return attribution;
    }

    /**
     * Restores the previous attribution.
     *
     * @throws IllegalStateException when called on another thread than the one that opened the scope
     */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      if (Thread.currentThread() != owner) {
        throw new IllegalStateException("an attribution scope must be closed on the thread that opened it ("
            + owner.getName() + ")");
      }
      closed = true;
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** Builds an {@link Attribution}. */
  public static final class Builder {
    private String customer;
    private String feature;
    private String workflow;
    private String user;
    private String team;
    private String environment;
    private final Map<String, String> tags = new TreeMap<>();

    private Builder() {}

    public Builder customer(String customer) { this.customer = checked("customer", customer); return this; }
    public Builder feature(String feature) { this.feature = checked("feature", feature); return this; }
    /** An agent run or session id: per-workflow caps count calls and spend per value. */
    public Builder workflow(String workflow) { this.workflow = checked("workflow", workflow); return this; }
    public Builder user(String user) { this.user = checked("user", user); return this; }
    public Builder team(String team) { this.team = checked("team", team); return this; }
    public Builder environment(String environment) {
      this.environment = checked("environment", environment);
      return this;
    }

    public Builder tag(String key, String value) {
      checked("tag name", java.util.Objects.requireNonNull(key, "key"));
      checked("tag " + key, java.util.Objects.requireNonNull(value, "value"));
      if (tags.size() >= MAX_TAGS && !tags.containsKey(key)) {
        throw new IllegalArgumentException("attribution has more than " + MAX_TAGS + " tags");
      }
      tags.put(key, value);
      return this;
    }

    public Attribution build() {
      return new Attribution(this);
    }
  }
}
