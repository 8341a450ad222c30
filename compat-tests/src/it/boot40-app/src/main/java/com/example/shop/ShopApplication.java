package com.example.shop;

import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class ShopApplication {

  private final Llm llm;

  public ShopApplication(Llm llm) {
    this.llm = llm;
  }

  @PostMapping("/classify")
  public Map<String, Object> classify(@RequestParam String customer, @RequestBody String ticket) {
    Completion c = llm.complete("classification", Prompt.of(ticket), Attribution.of(customer, "support"));
    return Map.of("label", c.text(), "model", c.model().qualified(), "costUsd", c.costUsd().toPlainString());
  }

  /** The customer comes from the X-Tenant-Id header (finops4j.web in application.yaml), not from the code. */
  @PostMapping("/triage")
  public Map<String, Object> triage(@RequestBody String ticket) {
    Completion c = llm.complete("classification", Prompt.of(ticket));
    return Map.of("label", c.text(), "costUsd", c.costUsd().toPlainString());
  }

  @ExceptionHandler(BudgetExceededException.class)
  public ResponseEntity<Map<String, String>> refused(BudgetExceededException e) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body(Map.of("error", e.getMessage()));
  }

  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }
}
