package io.transferportal.provisioning;

/**
 * The verification result for one resource.
 *
 * @param resource one of the five checked resources (the IAM role is checked as part of
 * {@code ROLE_POLICY})
 * @param status OK, DRIFT, MISSING or ERROR
 * @param detail what differs, or why the check failed, in words
 */
public record Check(ResourceKind resource, CheckStatus status, String detail) {
}
