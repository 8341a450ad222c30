package io.finops4j.routing;

/**
 * What the policy says about one task type: its tier and the defaults of its calls.
 *
 * @param name the task type, e.g. {@code classification}
 * @param tier the tier its calls route to
 * @param maxOutputTokens the default output ceiling, or {@code null}
 * @param temperature the default temperature, or {@code null}
 */
public record TaskPolicy(String name, String tier, Integer maxOutputTokens, Double temperature) {}
