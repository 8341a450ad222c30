package io.finops4j.examples.spring;

import io.finops4j.api.Attribution;
import io.finops4j.api.Completion;
import io.finops4j.api.Llm;
import io.finops4j.api.Prompt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The two LLM-backed operations: classify a ticket, draft a reply. The controller names tasks, never models. */
@RestController
class SupportController {

  private final Llm llm;

  SupportController(Llm llm) {
    this.llm = llm;
  }

  /** {@code POST /tickets/classify {"customer":"acme","text":"I was charged twice"}}. */
  @PostMapping("/tickets/classify")
  ClassifyResponse classify(@RequestBody ClassifyRequest request) {
    required("customer", request.customer());
    required("text", request.text());
    Completion c = llm.complete("classification",
        Prompt.builder()
            .system("Classify the support ticket as one of: billing, bug, account, other. Answer with one word.")
            .user(request.text())
            .build(),
        Attribution.builder().customer(request.customer()).feature("ticket-triage").build());
    return new ClassifyResponse(c.text().trim(), c.model().toString(), c.costUsd().stripTrailingZeros().toPlainString(), c.callId());
  }

  /** {@code POST /support/reply {"customer":"acme","user":"u-42","message":"How do I export my data?"}}. */
  @PostMapping("/support/reply")
  ReplyResponse reply(@RequestBody ReplyRequest request) {
    required("customer", request.customer());
    required("message", request.message());
    Completion c = llm.complete("support-reply",
        Prompt.builder()
            .system("You are a concise, friendly support agent.")
            .user(request.message())
            .build(),
        Attribution.builder().customer(request.customer()).feature("support-chat").user(request.user()).build());
    return new ReplyResponse(c.text(), c.model().toString(), c.tier(), c.costUsd().stripTrailingZeros().toPlainString(), c.callId());
  }

  /** A missing field is the client's mistake: 400 naming the field, not a NullPointerException and a 500. */
  private static void required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("field '" + field + "' is required");
    }
  }

  record ClassifyRequest(String customer, String text) {}

  record ClassifyResponse(String category, String model, String costUsd, String callId) {}

  record ReplyRequest(String customer, String user, String message) {}

  record ReplyResponse(String reply, String model, String tier, String costUsd, String callId) {}
}
