package io.transferportal.requests;

/**
 * The request conflicts with the current state (wrong status, another open request,
 * unknown user).
 */
public class RequestConflictException extends RuntimeException {

	public RequestConflictException(String message) {
		super(message);
	}

}
