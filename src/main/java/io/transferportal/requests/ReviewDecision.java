package io.transferportal.requests;

/** What an approver decides about a managed user's access in a periodic review. */
public enum ReviewDecision {

	/** It keeps its access until the next review is due. */
	CONFIRM,

	/** It is removed, without a second approval: the review is the decision. */
	REVOKE

}
