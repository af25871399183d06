package io.transferportal.provisioning;

/**
 * A KMS key a person can pick by its alias.
 *
 * @param alias {@code alias/name}
 * @param keyArn the ARN of the key the alias points to
 */
public record KeyChoice(String alias, String keyArn) {
}
