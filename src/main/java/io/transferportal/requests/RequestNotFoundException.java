package io.transferportal.requests;

/**
 * The request, or the managed user a command names, does not exist; nothing changed.
 */
public class RequestNotFoundException extends RuntimeException {

	public RequestNotFoundException(String message) {
		super(message);
	}

}
