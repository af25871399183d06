package io.transferportal.requests;

import org.jspecify.annotations.Nullable;

/**
 * A new user was asked for under a name the portal already manages, or one with a request
 * still open: where to look instead (the user's page, or the open request).
 */
public class UserTakenException extends RequestConflictException {

	private final String serverId;

	private final String userName;

	private final @Nullable Long openRequestId;

	UserTakenException(String serverId, String userName, @Nullable Long openRequestId, String message) {
		super(message);
		this.serverId = serverId;
		this.userName = userName;
		this.openRequestId = openRequestId;
	}

	public String serverId() {
		return this.serverId;
	}

	public String userName() {
		return this.userName;
	}

	/** The request still open for the name; {@code null} when the user is managed. */
	public @Nullable Long openRequestId() {
		return this.openRequestId;
	}

}
