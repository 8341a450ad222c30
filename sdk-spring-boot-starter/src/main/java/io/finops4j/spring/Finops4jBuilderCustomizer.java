package io.finops4j.spring;

import io.finops4j.Finops4j;

/**
 * Customizes the {@link Finops4j.Builder} the auto-configuration builds the {@code Llm} bean with, after the
 * {@code finops4j.*} properties have been applied: add interceptors, listeners, provider clients (a client
 * replaces a configured provider of the same name), a clock or an executor.
 *
 * <pre>{@code
 * @Bean
 * Finops4jBuilderCustomizer auditTrail(AuditSink sink) {
 *   return builder -> builder.listener(record -> sink.enqueue(record));
 * }
 * }</pre>
 *
 * <p>Every bean of this type is applied, in {@code @Order} / {@code Ordered} order.
 */
@FunctionalInterface
public interface Finops4jBuilderCustomizer {

  void customize(Finops4j.Builder builder);
}
