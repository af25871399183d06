package io.transferportal.ticketing;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.requests.DataConflicts;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestNotAllowedException;
import io.transferportal.requests.RequestNotFoundException;

/**
 * Every API error as an RFC 9457 problem document with a stable type; never a stack
 * trace, an exception message from a library, or an internal class name.
 */
@RestControllerAdvice(basePackageClasses = RequestApiController.class)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(InvalidUserSpecException.class)
	ResponseEntity<ProblemDetail> invalid(InvalidUserSpecException ex) {
		return validation(ex.violations());
	}

	@ExceptionHandler(PlanNotApplicableException.class)
	ResponseEntity<ProblemDetail> notApplicable(PlanNotApplicableException ex) {
		ProblemDetail problem = ApiProblems.problem(HttpStatus.CONFLICT, "plan-not-applicable",
				"The plan cannot be applied",
				"The live AWS state makes this request unsafe to apply; nothing was stored or written.");
		problem.setProperty("problems",
				ex.plan()
					.problems()
					.stream()
					.map((p) -> Map.of("resource", p.resource().name(), "message", p.message()))
					.toList());
		return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
	}

	/**
	 * AWS answered with an error while planning: the portal's upstream failed, not the
	 * caller.
	 */
	@ExceptionHandler(ProvisioningException.class)
	ResponseEntity<ProblemDetail> aws(ProvisioningException ex) {
		return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
			.body(ApiProblems.problem(HttpStatus.BAD_GATEWAY, "aws-error", "AWS error", ex.getMessage()));
	}

	@ExceptionHandler(RequestConflictException.class)
	ResponseEntity<ProblemDetail> conflict(RequestConflictException ex) {
		return ResponseEntity.status(HttpStatus.CONFLICT)
			.body(ApiProblems.problem(HttpStatus.CONFLICT, "conflict", "Conflict", ex.getMessage()));
	}

	/**
	 * Two writes of the same data at the same moment that the modules did not turn into a
	 * conflict of their own: the database kept one, the other learns of it here.
	 */
	@ExceptionHandler({ DataIntegrityViolationException.class, ConcurrencyFailureException.class })
	ResponseEntity<ProblemDetail> concurrent(DataAccessException ex) {
		if (!DataConflicts.isConflict(ex)) {
			return unexpected(ex);
		}
		return ResponseEntity.status(HttpStatus.CONFLICT)
			.body(ApiProblems.problem(HttpStatus.CONFLICT, "conflict", "Conflict",
					"Someone else changed the same data at the same moment; fetch its current state and try again."));
	}

	@ExceptionHandler(RequestNotAllowedException.class)
	ResponseEntity<ProblemDetail> notAllowed(RequestNotAllowedException ex) {
		return ResponseEntity.status(HttpStatus.FORBIDDEN)
			.body(ApiProblems.problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", ex.getMessage()));
	}

	@ExceptionHandler(AccessDeniedException.class)
	ResponseEntity<ProblemDetail> denied(AccessDeniedException ex) {
		return ResponseEntity.status(HttpStatus.FORBIDDEN)
			.body(ApiProblems.problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "This token may not do that."));
	}

	@ExceptionHandler(RequestNotFoundException.class)
	ResponseEntity<ProblemDetail> notFound(RequestNotFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.body(ApiProblems.problem(HttpStatus.NOT_FOUND, "not-found", "Not found", ex.getMessage()));
	}

	@ExceptionHandler(ConstraintViolationException.class)
	ResponseEntity<ProblemDetail> constraint(ConstraintViolationException ex) {
		return validation(ex.getConstraintViolations()
			.stream()
			.map((v) -> new FieldViolation(leaf(v.getPropertyPath().toString()), v.getMessage()))
			.toList());
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException ex) {
		return validation(List.of(new FieldViolation(ex.getName(), "has an invalid value")));
	}

	/** The catch-all: logged with its stack trace for operators, answered without it. */
	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		logger.error("Unexpected API error", ex);
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(ApiProblems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
					"The portal could not handle this request. Nothing secret was lost; try again or tell the platform team."));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return cast(validation(ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> new FieldViolation(error.getField(), error.getDefaultMessage()))
			.toList()));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return cast(validation(ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> result.getResolvableErrors()
				.stream()
				.map((error) -> new FieldViolation(result.getMethodParameter().getParameterName(),
						error.getDefaultMessage())))
			.toList()));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (causedByTooLarge(ex)) {
			return cast(ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
				.body(ApiProblems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large",
						"The request body is too large.")));
		}
		return cast(ResponseEntity.badRequest()
			.body(ApiProblems.problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
					"The body is not valid JSON for this operation (check syntax, field names and value types).")));
	}

	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		// the framework's own problem documents (405, 415, ...) get a stable type too
		// (a problem the framework made without a type has none: null, not about:blank)
		if (body instanceof ProblemDetail problem
				&& (problem.getType() == null || problem.getType().toString().equals("about:blank"))) {
			problem.setType(URI.create("/problems/http-" + statusCode.value()));
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	private static ResponseEntity<ProblemDetail> validation(List<FieldViolation> violations) {
		ProblemDetail problem = ApiProblems.problem(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
				violations.size() + " field(s) are invalid; nothing was stored and no AWS call was made.");
		problem.setProperty("errors",
				violations.stream().map((v) -> Map.of("field", v.field(), "message", v.message())).toList());
		return ResponseEntity.badRequest().body(problem);
	}

	private static boolean causedByTooLarge(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof LimitedBodyRequest.PayloadTooLargeException) {
				return true;
			}
		}
		return false;
	}

	private static String leaf(String path) {
		return path.substring(path.lastIndexOf('.') + 1);
	}

	@SuppressWarnings("unchecked")
	private static ResponseEntity<Object> cast(ResponseEntity<?> entity) {
		return (ResponseEntity<Object>) entity;
	}

}
