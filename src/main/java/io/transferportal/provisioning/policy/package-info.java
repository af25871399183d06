/**
 * Policy documents built and compared with the AWS SDK's IAM policy builder.
 */
package io.transferportal.provisioning.policy;
