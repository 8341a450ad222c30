package io.finops4j.api;

import java.util.Collection;

/** A call named a task type that the policy does not define. The message lists the known ones. */
public class UnknownTaskException extends Finops4jException {

  private static final long serialVersionUID = 1L;

  private final String taskType;

  public UnknownTaskException(String taskType, Collection<String> known) {
    super("unknown task type '" + taskType + "'; the policy defines " + new java.util.TreeSet<>(known)
        + " (add it under finops4j.tasks, or define a 'default' task)");
    this.taskType = taskType;
  }

  public String taskType() {
    return taskType;
  }
}
