package io.transferportal.provisioning;

/**
 * One invalid input field, found before any AWS write.
 *
 * @param field the {@link UserSpec} component, with an index for list entries (e.g.
 * {@code sshPublicKeys[1]})
 * @param message what is wrong, in words a requester can act on
 */
public record FieldViolation(String field, String message) {
}
