package io.finops4j.examples.spring;

import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.CostCapExceededException;
import io.finops4j.api.ProviderException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps finops4j's refusals to HTTP: a budget or cost cap that says no is a 429 the client can show (the message
 * names the budget, its limit, its spend and when it resets), a request without a required field a 400, a provider
 * outage a 502.
 */
@RestControllerAdvice
class SpendErrors {

  @ExceptionHandler({BudgetExceededException.class, CostCapExceededException.class})
  ResponseEntity<Map<String, String>> refused(RuntimeException e) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body(Map.of("error", e.getMessage()));
  }

  /** The request's own mistake, such as a missing field. */
  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
    return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
  }

  @ExceptionHandler(ProviderException.class)
  ResponseEntity<Map<String, String>> providerDown(ProviderException e) {
    return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", e.getMessage()));
  }
}
