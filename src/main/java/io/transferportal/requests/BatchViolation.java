package io.transferportal.requests;

/**
 * One invalid field of one item of a batch.
 *
 * @param index the item's place in the batch, from 0
 * @param field the field, as in {@link io.transferportal.provisioning.FieldViolation}
 * @param message what is wrong
 */
public record BatchViolation(int index, String field, String message) {
}
