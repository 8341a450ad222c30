package io.finops4j.springai;

import io.finops4j.api.Attribution;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.core.Ordered;
import reactor.core.publisher.Flux;

/**
 * A {@code ChatClient} advisor that carries the finops4j task type and attribution of one call down to the
 * {@link Finops4jChatModel} beneath the client, so that every round trip of that call is spent on them:
 *
 * <pre>{@code
 * ChatClient chat = ChatClient.builder(chatModel).defaultAdvisors(new Finops4jAdvisor()).build();
 * chat.prompt().user(question).tools(new OrderTools())
 *     .advisors(Finops4jAdvisor.spend("support-agent", Attribution.builder().customer("acme").workflow(runId).build()))
 *     .call().content();
 * // or: .advisors(a -> a.param(Finops4jAdvisor.TASK_TYPE, "support-agent").param(Finops4jAdvisor.ATTRIBUTION, attribution))
 * }</pre>
 *
 * <p>The attribution's fields win over those of the caller's {@link Attribution#current() scope}, which win over the
 * decorator's defaults. Without either parameter the advisor changes nothing. It runs early in the chain
 * ({@link Ordered#HIGHEST_PRECEDENCE} + 500, before the chat memory advisors), so it covers every model call the
 * other advisors make. The chat model must be wrapped by {@link Finops4jChatModel} (the auto-configuration wraps
 * every {@code ChatModel} bean).
 */
public final class Finops4jAdvisor implements CallAdvisor, StreamAdvisor {

  /** The advisor parameter naming the task type (a {@code String}). */
  public static final String TASK_TYPE = "finops4j.task-type";

  /** The advisor parameter naming the attribution (an {@link Attribution}). */
  public static final String ATTRIBUTION = "finops4j.attribution";

  /** Sets both parameters on a call: {@code .advisors(Finops4jAdvisor.spend(task, attribution))}. */
  public static Consumer<ChatClient.AdvisorSpec> spend(String taskType, Attribution attribution) {
    return a -> {
      if (taskType != null) {
        a.param(TASK_TYPE, taskType);
      }
      if (attribution != null) {
        a.param(ATTRIBUTION, attribution);
      }
    };
  }

  @Override
  public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
    PerCall perCall = perCall(request.context());
    if (perCall == null) {
      return chain.nextCall(request);
    }
    try (PerCall.Scope s = perCall.makeCurrent()) {
      return chain.nextCall(request);
    }
  }

  @Override
  public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
    PerCall perCall = perCall(request.context());
    // a stream runs where it is subscribed: the values travel in its Reactor context, not on this thread
    return perCall == null ? chain.nextStream(request)
        : chain.nextStream(request).contextWrite(c -> c.put(PerCall.CONTEXT_KEY, perCall));
  }

  private static PerCall perCall(Map<String, Object> context) {
    Object task = context.get(TASK_TYPE);
    Object attribution = context.get(ATTRIBUTION);
    if (task == null && attribution == null) {
      return null;
    }
    if (task != null && !(task instanceof String)) {
      throw new IllegalArgumentException(TASK_TYPE + " must be a String, got " + task.getClass().getName());
    }
    if (attribution != null && !(attribution instanceof Attribution)) {
      throw new IllegalArgumentException(ATTRIBUTION + " must be an io.finops4j.api.Attribution, got "
          + attribution.getClass().getName());
    }
    Attribution a = attribution == null ? null : ((Attribution) attribution).withDefaults(Attribution.current());
    return new PerCall((String) task, a);
  }

  @Override
  public String getName() {
    return "finops4j";
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 500;
  }
}
