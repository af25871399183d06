package io.transferportal.requests;

/**
 * The four-eyes rules, enforced by the request itself whatever the caller (UI, API,
 * test). Who may act at all is decided before, by {@link RequestAccessPolicy}.
 */
final class ApprovalPolicy {

	private ApprovalPolicy() {
	}

	static void requesterCannotDecideOwnRequest(AccessRequest request, String actor) {
		if (request.getRequestedBy().equalsIgnoreCase(actor)) {
			throw new RequestNotAllowedException("Four eyes: " + actor + " submitted request " + request.getId()
					+ " and cannot approve or reject it");
		}
	}

	static void onlyRequesterCanCancel(AccessRequest request, String actor) {
		if (!request.getRequestedBy().equalsIgnoreCase(actor)) {
			throw new RequestNotAllowedException(
					"Only " + request.getRequestedBy() + " can cancel request " + request.getId());
		}
	}

}
