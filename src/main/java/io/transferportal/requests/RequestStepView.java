package io.transferportal.requests;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.ResourceKind;

/** One step of a request's run: RUNNING, DONE (with the outcome) or FAILED. */
public record RequestStepView(ResourceKind resource, String status, @Nullable String outcome, @Nullable String detail,
		Instant startedAt, @Nullable Instant finishedAt) {
}
