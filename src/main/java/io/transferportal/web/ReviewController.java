package io.transferportal.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.PlanNotApplicableException;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestNotAllowedException;
import io.transferportal.requests.RequestNotFoundException;
import io.transferportal.requests.ReviewDecision;
import io.transferportal.requests.ReviewResult;

/**
 * The access reviews page: users whose periodic review is overdue or due soon, confirmed
 * or revoked one by one or several at once. Each user is reviewed on its own (its own
 * transaction), so one refusal does not undo the others; the page says what happened to
 * each. Who may review whom is decided by the requests module.
 */
@Controller
class ReviewController {

	/** Users due within this are listed with the overdue ones. */
	static final Duration NOTICE = Duration.ofDays(14);

	static final int PAGE_SIZE = 50;

	/** More than a page's worth at once is no form of this page. */
	static final int MAX_USERS = 100;

	private final AccessRequestManagement requests;

	ReviewController(AccessRequestManagement requests) {
		this.requests = requests;
	}

	@GetMapping("/reviews")
	String reviews(@RequestParam(defaultValue = "0") int page, Model model, Authentication user) {
		model.addAttribute("enabled", this.requests.reviewsEnabled());
		model.addAttribute("users", this.requests.reviewsDue(NOTICE, Pages.zeroBased(page, PAGE_SIZE)));
		model.addAttribute("me", user.getName());
		return "reviews/reviewList";
	}

	/** The selected users ({@code server/user} each), with one decision and comment. */
	@PostMapping("/reviews")
	String reviewSelected(@RequestParam(name = "users", required = false) @Nullable List<String> users,
			@RequestParam(required = false) @Nullable String decision,
			@RequestParam(required = false) @Nullable String comment, Authentication user,
			RedirectAttributes redirect) {
		List<String> selected = (users != null) ? users : List.of();
		if (selected.isEmpty()) {
			redirect.addFlashAttribute("error", "Select at least one user to review; nothing was reviewed.");
		}
		else if (selected.size() > MAX_USERS) {
			redirect.addFlashAttribute("error",
					"Review at most " + MAX_USERS + " users at once; nothing was reviewed.");
		}
		else {
			review(selected, decision, comment, SignedIn.actor(user), redirect);
		}
		return "redirect:/reviews";
	}

	/** One row's button: that user only. */
	@PostMapping("/reviews/{serverId}/{userName}")
	String reviewOne(@PathVariable String serverId, @PathVariable String userName,
			@RequestParam(required = false) @Nullable String decision,
			@RequestParam(required = false) @Nullable String comment, Authentication user,
			RedirectAttributes redirect) {
		review(List.of(serverId + "/" + userName), decision, comment, SignedIn.actor(user), redirect);
		return "redirect:/reviews";
	}

	private void review(List<String> selected, @Nullable String decisionText, @Nullable String comment, Actor actor,
			RedirectAttributes redirect) {
		ReviewDecision decision = parse(decisionText);
		if (decision == null) {
			redirect.addFlashAttribute("error", "Choose to confirm or to revoke; nothing was reviewed.");
			return;
		}
		List<String> reviewed = new ArrayList<>();
		List<String> refused = new ArrayList<>();
		for (String entry : selected) {
			int slash = entry.indexOf('/');
			if (slash <= 0 || slash == entry.length() - 1) {
				refused.add("'" + entry + "' names no user; it was skipped.");
				continue;
			}
			String serverId = entry.substring(0, slash);
			String userName = entry.substring(slash + 1);
			String who = userName + " on " + serverId;
			try {
				reviewed.add(done(who, decision, this.requests.review(serverId, userName, decision, comment, actor)));
			}
			catch (InvalidUserSpecException ex) {
				// the comment is the same for every user: say it once
				redirect.addFlashAttribute("error", "Nothing was reviewed: the comment "
						+ ex.violations().stream().map(FieldViolation::message).findFirst().orElse("is invalid") + ".");
				return;
			}
			catch (PlanNotApplicableException ex) {
				refused.add(who + ": the plan cannot be applied safely; nothing was changed.");
			}
			catch (RequestNotAllowedException | RequestConflictException | RequestNotFoundException
					| ProvisioningException ex) {
				refused.add(who + ": " + ex.getMessage());
			}
			catch (ConcurrencyFailureException ex) {
				refused.add(who + ": someone else changed it at the same moment; review it again.");
			}
		}
		redirect.addFlashAttribute("reviewed", reviewed);
		redirect.addFlashAttribute("refused", refused);
	}

	private static String done(String who, ReviewDecision decision, ReviewResult result) {
		if (decision == ReviewDecision.REVOKE) {
			return "Revoked the access of " + who + ": request " + result.request().id()
					+ " removes it without a second approval.";
		}
		return "Confirmed the access of " + who + ((result.request() != null)
				? "; request " + result.request().id() + " gives its SSH keys back." : ".");
	}

	private static @Nullable ReviewDecision parse(@Nullable String decision) {
		for (ReviewDecision candidate : ReviewDecision.values()) {
			if (candidate.name().equals(decision)) {
				return candidate;
			}
		}
		return null;
	}

}
