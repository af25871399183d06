package io.transferportal.provisioning;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What applying a plan did to one resource: the audit record of an AWS mutation (or of
 * its absence).
 *
 * @param resource the kind of resource
 * @param resourceArn the resource ARN
 * @param outcome created, updated, deleted or unchanged
 * @param before the document read just before writing, {@code null} if the resource did
 * not exist
 * @param after the document written, {@code null} if deleted
 * @param detail one line in words
 * @param awsRequestIds the request ids of the AWS calls that made the change, in call
 * order (CloudTrail's {@code requestID}); empty if nothing was written
 */
public record AppliedChange(ResourceKind resource, String resourceArn, Outcome outcome, @Nullable String before,
		@Nullable String after, String detail, List<String> awsRequestIds) {

	public AppliedChange {
		awsRequestIds = List.copyOf(awsRequestIds);
	}

	/** A change made without AWS calls, or whose calls are not known. */
	public AppliedChange(ResourceKind resource, String resourceArn, Outcome outcome, @Nullable String before,
			@Nullable String after, String detail) {
		this(resource, resourceArn, outcome, before, after, detail, List.of());
	}

	public boolean wrote() {
		return this.outcome != Outcome.UNCHANGED;
	}

	public enum Outcome {

		CREATED, UPDATED, DELETED, UNCHANGED

	}

}
