package io.finops4j.springai;

import io.finops4j.api.Llm;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Spring AI through finops4j, when Spring AI is on the class path and the application has an {@link Llm} bean (the
 * finops4j starter makes one): every {@link ChatModel} bean is wrapped in a {@link Finops4jChatModel} (opt out with
 * {@code finops4j.spring-ai.wrap-chat-models=false}), and a {@link Finops4jAdvisor} bean is offered for
 * {@code ChatClient}s. {@code finops4j.spring-ai.task-type} names the task type of calls no advisor names one for
 * ({@code chat} by default).
 *
 * <p>A wrapped bean is a {@code ChatModel}, no longer its own class: inject {@code ChatModel} (as Spring AI's
 * {@code ChatClient.Builder} does), not {@code OpenAiChatModel}.
 */
@AutoConfiguration(afterName = {"io.finops4j.spring.Finops4jAutoConfiguration",
    "org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration"})
@ConditionalOnClass({ChatModel.class, Llm.class})
@ConditionalOnBean(Llm.class)
public class Finops4jSpringAiAutoConfiguration {

  /** The property that turns the wrapping of {@code ChatModel} beans off. */
  static final String WRAP = "finops4j.spring-ai.wrap-chat-models";

  /** The advisor that carries task type and attribution per {@code ChatClient} call. */
  @Bean
  @ConditionalOnMissingBean
  public Finops4jAdvisor finops4jAdvisor() {
    return new Finops4jAdvisor();
  }

  /** Wraps every {@code ChatModel} bean. */
  @Bean
  @ConditionalOnProperty(name = WRAP, havingValue = "true", matchIfMissing = true)
  static BeanPostProcessor finops4jChatModelWrapper(ObjectProvider<Llm> llm, ObjectProvider<ToolCallingManager> tools,
      Environment environment) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof ChatModel model) || bean instanceof Finops4jChatModel) {
          return bean;
        }
        Finops4jChatModel.Builder b = Finops4jChatModel.builder(model, llm.getObject())
            .taskType(environment.getProperty("finops4j.spring-ai.task-type", Settings.DEFAULT_TASK));
        ToolCallingManager manager = tools.getIfAvailable();
        if (manager != null) {
          b.toolCallingManager(manager);
        }
        return b.build();
      }
    };
  }
}
