package io.transferportal.provisioning;

/**
 * Something that makes a plan impossible to apply safely, e.g. a bucket encrypted with
 * another key or a policy over its size limit.
 */
public record PlanProblem(ResourceKind resource, String message) {
}
