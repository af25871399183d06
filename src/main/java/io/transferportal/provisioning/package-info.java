/**
 * Provisioning engine: validates a request for an AWS Transfer Family user on an SSE-KMS
 * bucket, plans every AWS change as a diff, applies the plan idempotently, verifies the
 * result and removes the user again.
 * <p>
 * The only module that talks to AWS. Its API is this package; the sub-packages
 * ({@code s3}, {@code iam}, {@code kms}, {@code transfer}, ...) are internal.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {})
@org.jspecify.annotations.NullMarked
package io.transferportal.provisioning;
