package io.finops4j.api.spi;

import io.finops4j.api.ModelId;
import java.math.BigDecimal;

/**
 * A call that used more than the worst case reserved for it before the network: the input estimate or the
 * provider's output ceiling was wrong. The call is charged in full all the same (the money is spent), so the
 * budget may end the window above its limit by the difference.
 *
 * @param model the model that served the call
 * @param worstCaseUsd the worst-case cost reserved before the call, USD (0 when only token budgets applied)
 * @param costUsd what the call cost, USD
 * @param worstCaseTokens the worst-case tokens reserved (input estimate plus output ceiling)
 * @param tokens the tokens the provider billed
 */
public record BudgetOvershoot(ModelId model, BigDecimal worstCaseUsd, BigDecimal costUsd, long worstCaseTokens,
    long tokens) { }
