package io.transferportal.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.BatchViolation;
import io.transferportal.requests.InvalidBatchException;
import io.transferportal.requests.RequestBatchView;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestNotAllowedException;

/**
 * Bulk requests in the browser: upload a CSV of users, see every row's errors at once,
 * review the batch's combined plan, approve or reject it as a whole, and follow its items
 * live.
 */
@Controller
class BatchController {

	/** As the API's ticket references, 95 characters at most. */
	private static final Pattern TICKET = Pattern.compile("(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._:/#-]{0,94}");

	private final AccessRequestManagement requests;

	BatchController(AccessRequestManagement requests) {
		this.requests = requests;
	}

	@GetMapping("/requests/batches")
	String list(@RequestParam(defaultValue = "0") int page, Model model) {
		model.addAttribute("page", this.requests.batches(Pages.zeroBased(page, 50)));
		return "requests/batchList";
	}

	@GetMapping("/requests/batches/new")
	String form(Model model) {
		model.addAttribute("ticketRef", "");
		return "requests/batchForm";
	}

	@GetMapping(path = "/requests/batches/template.csv")
	ResponseEntity<String> template() {
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("bulk-request-template.csv").build().toString())
			.body(BatchCsv.template());
	}

	@PostMapping("/requests/batches")
	String submit(@RequestParam(defaultValue = "") String ticketRef,
			@RequestParam(required = false) @Nullable MultipartFile file,
			@RequestParam(required = false) @Nullable String csv, Model model, Authentication user,
			RedirectAttributes redirect) throws IOException {
		model.addAttribute("ticketRef", ticketRef);
		String ticket = ticketRef.strip();
		if (!TICKET.matcher(ticket).matches()) {
			model.addAttribute("ticketError",
					"Give the ticket this batch is for: up to 95 letters, digits and . _ : / # - (no '..')");
			return "requests/batchForm";
		}
		String text = (file != null && !file.isEmpty()) ? new String(file.getBytes(), StandardCharsets.UTF_8)
				: (csv != null) ? csv : "";
		BatchCsv.Parsed parsed = BatchCsv.parse(text);
		try {
			if (parsed.items().isEmpty() || parsed.violations().stream().anyMatch((v) -> v.index() < 0)) {
				throw new InvalidBatchException(parsed.violations().isEmpty()
						? List.of(new BatchViolation(-1, "file", "has no rows; add one user per row below the header"))
						: parsed.violations());
			}
			RequestBatchView batch = this.requests.submitBatch(ticket, null, parsed.items(), parsed.violations(),
					SignedIn.actor(user), (stored) -> {
					});
			redirect.addFlashAttribute("message", "Batch " + batch.id() + " with " + batch.itemCount()
					+ " user(s) submitted; an approver will review its plan.");
			return "redirect:/requests/batches/" + batch.id();
		}
		catch (InvalidBatchException ex) {
			model.addAttribute("rowErrors", ex.violations().stream().map(RowError::of).toList());
			model.addAttribute("error", "Nothing was submitted: " + ex.invalidItems().size()
					+ " row(s) have errors. Correct them in the file and upload it again.");
		}
		catch (RequestConflictException | RequestNotAllowedException | ProvisioningException ex) {
			model.addAttribute("error", ex.getMessage());
		}
		return "requests/batchForm";
	}

	@GetMapping("/requests/batches/{id}")
	String detail(@PathVariable long id, Model model, Authentication user) {
		RequestBatchView batch = load(id);
		model.addAttribute("batch", batch);
		model.addAttribute("review", BatchReview.of(batch));
		model.addAttribute("running", BatchReview.running(batch));
		model.addAttribute("ownBatch", batch.requestedBy().equalsIgnoreCase(user.getName()));
		return "requests/batchDetail";
	}

	/** The live part of the batch page, polled by htmx while items wait or run. */
	@GetMapping("/requests/batches/{id}/progress")
	String progress(@PathVariable long id, Model model) {
		RequestBatchView batch = load(id);
		model.addAttribute("batch", batch);
		model.addAttribute("running", BatchReview.running(batch));
		return "requests/batchProgress :: progress";
	}

	@PostMapping("/requests/batches/{id}/approve")
	String approve(@PathVariable long id, @RequestParam(required = false) @Nullable String comment, Authentication user,
			RedirectAttributes redirect) {
		return decide(id, redirect, () -> this.requests.approveBatch(id, SignedIn.actor(user), blankToNull(comment)),
				"Batch " + id + " approved; its users are being provisioned.");
	}

	@PostMapping("/requests/batches/{id}/reject")
	String reject(@PathVariable long id, @RequestParam(required = false) @Nullable String reason, Authentication user,
			RedirectAttributes redirect) {
		if (reason == null || reason.isBlank()) {
			load(id);
			redirect.addFlashAttribute("rejectError", RequestController.REASON_REQUIRED);
			return "redirect:/requests/batches/" + id;
		}
		return decide(id, redirect, () -> this.requests.rejectBatch(id, SignedIn.actor(user), reason.strip()),
				"Batch " + id + " rejected.");
	}

	private String decide(long id, RedirectAttributes redirect, Runnable decision, String done) {
		load(id);
		try {
			decision.run();
			redirect.addFlashAttribute("message", done);
		}
		catch (RequestConflictException | RequestNotAllowedException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/requests/batches/" + id;
	}

	private RequestBatchView load(long id) {
		return this.requests.findBatch(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

	private static @Nullable String blankToNull(@Nullable String text) {
		return (text == null || text.isBlank()) ? null : text.strip();
	}

	/**
	 * One error of the upload: the CSV row (1 is the first row below the header), the
	 * column and what is wrong; row 0 is the file as a whole.
	 */
	record RowError(int row, String field, String message) {

		static RowError of(BatchViolation violation) {
			return new RowError(violation.index() + 1, violation.field(), violation.message());
		}

	}

}
