package io.transferportal.provisioning.kms;

import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * A key as read from KMS: its metadata (state, origin, expiry of imported key material)
 * and its key policy.
 *
 * @param metadata what DescribeKey answered
 * @param policy the key policy
 */
record LiveKey(KeyMetadata metadata, IamPolicy policy) {
}
