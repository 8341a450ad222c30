package io.finops4j.budget;

/**
 * Receives budget threshold alerts. Called on the thread of the call that crossed the threshold, after its
 * settlement: do not block (hand off to a queue or an executor). Exceptions are logged and ignored.
 */
@FunctionalInterface
public interface BudgetAlertListener {

  void onThreshold(BudgetAlert alert);
}
