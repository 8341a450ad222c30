package io.finops4j.spring;

import io.finops4j.api.Attribution;
import io.finops4j.api.spi.ConfigNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes each request's attribution current while it is handled ({@code Attribution.makeCurrent()}), read from the
 * request headers {@code finops4j.web.attribution-headers} names, and the authenticated principal as the user when
 * {@code finops4j.web.principal-as-user} is true. Every {@code llm.complete(task, prompt)} and every wrapped
 * framework model call made while handling the request is then spent on it, without passing it down.
 *
 * <pre>{@code
 * finops4j:
 *   web:
 *     attribution-headers: { customer: X-Tenant-Id, feature: X-Feature, workflow: X-Run-Id }
 *     principal-as-user: true
 * }</pre>
 *
 * <p>A header value attribution refuses (control characters, over 256 characters) is left out, logged at DEBUG
 * without the value: a client's bad header must not fail the request. Servlet applications only (the scope is per
 * thread; WebFlux would need a context of its own).
 */
final class AttributionFilter extends OncePerRequestFilter {

  private static final Logger LOG = LoggerFactory.getLogger(AttributionFilter.class);
  static final String[] DIMENSIONS = {"customer", "feature", "workflow", "user", "team", "environment"};

  /** Dimension to header name. */
  private final Map<String, String> headers;
  private final boolean principalAsUser;

  AttributionFilter(Map<String, String> headers, boolean principalAsUser) {
    this.headers = Map.copyOf(headers);
    this.principalAsUser = principalAsUser;
  }

  /** The filter of the {@code finops4j.web} node, or null when it makes nothing current. */
  static AttributionFilter fromConfig(ConfigNode web) {
    web.allowKeys("attribution-headers", "principal-as-user");
    ConfigNode names = web.get("attribution-headers");
    names.allowKeys(DIMENSIONS);
    Map<String, String> headers = new LinkedHashMap<>();
    names.asMap().forEach((dimension, header) -> headers.put(dimension, header.asString()));
    boolean principal = web.get("principal-as-user").asBoolean(false);
    return headers.isEmpty() && !principal ? null : new AttributionFilter(headers, principal);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Attribution attribution = attribution(request);
    if (attribution == null) {
      chain.doFilter(request, response);
      return;
    }
    try (Attribution.Scope ignored = attribution.makeCurrent()) {
      chain.doFilter(request, response);
    }
  }

  /** The request's attribution, or null when it carries none of the configured headers (nor a principal). */
  Attribution attribution(HttpServletRequest request) {
    Attribution.Builder b = Attribution.builder();
    boolean any = false;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      any |= set(b, e.getKey(), request.getHeader(e.getValue()), e.getValue());
    }
    Principal principal = request.getUserPrincipal();
    if (principalAsUser && principal != null && !headers.containsKey("user")) {
      any |= set(b, "user", principal.getName(), "principal");
    }
    return any ? b.build() : null;
  }

  private static boolean set(Attribution.Builder b, String dimension, String value, String from) {
    if (value == null || value.isBlank()) {
      return false;
    }
    try {
      switch (dimension) {
        case "customer" -> b.customer(value);
        case "feature" -> b.feature(value);
        case "workflow" -> b.workflow(value);
        case "user" -> b.user(value);
        case "team" -> b.team(value);
        default -> b.environment(value);
      }
      return true;
    } catch (IllegalArgumentException e) {
      LOG.debug("finops4j: {} from {} left out of the request's attribution: {}", dimension, from, e.getMessage());
      return false;
    }
  }
}
