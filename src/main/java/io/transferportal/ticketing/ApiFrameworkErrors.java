package io.transferportal.ticketing;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Errors raised before any API controller is chosen (wrong method, media type, unknown
 * path) carry no controller, so {@link ApiExceptionHandler} never sees them. Under
 * {@code /api/} they become problem documents too; elsewhere they are rethrown to the web
 * UI's error page.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiFrameworkErrors {

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException ex, HttpServletRequest request)
			throws HttpRequestMethodNotSupportedException {
		requireApi(request, ex);
		return problem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
				request.getMethod() + " is not supported here");
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException ex, HttpServletRequest request)
			throws HttpMediaTypeNotSupportedException {
		requireApi(request, ex);
		return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
				"Send the body as application/json");
	}

	@ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
	ResponseEntity<ProblemDetail> acceptable(HttpMediaTypeNotAcceptableException ex, HttpServletRequest request)
			throws HttpMediaTypeNotAcceptableException {
		requireApi(request, ex);
		return problem(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable",
				"The API answers application/json");
	}

	@ExceptionHandler(NoResourceFoundException.class)
	ResponseEntity<ProblemDetail> notFound(NoResourceFoundException ex, HttpServletRequest request)
			throws NoResourceFoundException {
		requireApi(request, ex);
		return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", "No such API resource");
	}

	private static <E extends Exception> void requireApi(HttpServletRequest request, E ex) throws E {
		if (!request.getRequestURI().startsWith("/api/")) {
			throw ex;
		}
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String title, String detail) {
		return ResponseEntity.status(status).body(ApiProblems.problem(status, type, title, detail));
	}

}
