/**
 * The KMS key policy, and key lookups.
 */
package io.transferportal.provisioning.kms;
