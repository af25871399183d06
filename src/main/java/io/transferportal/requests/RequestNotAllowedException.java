package io.transferportal.requests;

/**
 * The actor may not do this to the request (e.g. approve their own request); nothing
 * changed.
 */
public class RequestNotAllowedException extends RuntimeException {

	public RequestNotAllowedException(String message) {
		super(message);
	}

}
