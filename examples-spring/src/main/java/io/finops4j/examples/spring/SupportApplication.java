package io.finops4j.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small support service whose LLM calls go through finops4j: ticket classification on the small tier, replies
 * on the medium tier, every call priced and attributed to the customer and feature. Runs offline on the
 * simulator provider ({@code application.yaml}); {@code /actuator/finops4j} shows the policy and today's spend.
 */
@SpringBootApplication
public class SupportApplication {

  public static void main(String[] args) {
    SpringApplication.run(SupportApplication.class, args);
  }
}
