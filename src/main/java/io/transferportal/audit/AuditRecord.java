package io.transferportal.audit;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An audit record as read and exported.
 *
 * @param id position in the trail
 * @param occurredAt when
 * @param actor the person, API client, or {@code portal} for work done on an approved
 * request's behalf
 * @param action SUBMITTED, APPROVED, REJECTED, STATUS_CHANGED, AWS_CHANGE,
 * AWS_CALL_FAILED, VERIFICATION_CHANGED or ACCESS_REVIEWED
 * @param requestId the request, if any
 * @param ticketRef the request's ticket reference, if any
 * @param serverId Transfer server
 * @param userName Transfer user
 * @param resource the AWS resource kind for AWS changes and verifications
 * @param resourceArn the AWS resource ARN
 * @param outcome CREATED, UPDATED, DELETED, FAILED (a failed AWS call); the new status;
 * or CONFIRMED or REVOKED (a review)
 * @param before document before an AWS change
 * @param after document after an AWS change
 * @param detail one line in words
 * @param awsRequestId for AWS changes and failed AWS calls: the AWS request ids of the
 * calls (CloudTrail's {@code requestID}), space-separated in call order; {@code null} if
 * AWS gave none
 */
public record AuditRecord(@Nullable Long id, Instant occurredAt, String actor, String action, @Nullable Long requestId,
		@Nullable String ticketRef, @Nullable String serverId, @Nullable String userName, @Nullable String resource,
		@Nullable String resourceArn, @Nullable String outcome, @Nullable String before, @Nullable String after,
		@Nullable String detail, @Nullable String awsRequestId) {
}
