package io.transferportal.web;

import io.transferportal.requests.AccessRequestManagement;

/**
 * How many requests wait for an approver's decision, read when the menu asks for it
 * ({@link Navigation}): pages whose frame does not render the menu never count.
 *
 * @param requests where the count comes from
 */
public record AwaitingDecision(AccessRequestManagement requests) {

	public long count() {
		return this.requests.awaitingDecision();
	}

}
