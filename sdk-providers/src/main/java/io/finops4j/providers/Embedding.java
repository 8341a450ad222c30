package io.finops4j.providers;

import java.math.BigDecimal;

/**
 * One embedding call's result: the vector, the input tokens billed for it and what they cost.
 *
 * @param vector the embedding
 * @param tokens the input tokens the provider reported, or the conservative estimate when it reported none
 * @param estimated true when {@code tokens} is an estimate
 * @param costUsd {@code tokens} at the model's input price
 */
public record Embedding(float[] vector, long tokens, boolean estimated, BigDecimal costUsd) {}
