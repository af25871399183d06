package io.transferportal.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.RequestStatus;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

/**
 * Texts the forms hold back with {@code maxlength}, sent anyway by a hand-made post: a
 * field error naming the field, back on the page, and nothing changed (they were 500s,
 * the database refusing the text).
 */
@PortalIntegrationTest
class OverlongFormInputIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AccessRequestManagement requests;

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void aCommentOrReasonPastTwoThousandCharactersIsRefusedByName() throws Exception {
		long id = submit("long-comment");
		this.mvc.perform(post("/requests/{id}/approve", id).with(csrf()).param("comment", "x".repeat(2001)))
			.andExpect(redirectedUrl("/requests/" + id))
			.andExpect(flash().attribute("error", "Nothing was changed: The comment must be at most 2000 characters."));
		this.mvc.perform(post("/requests/{id}/reject", id).with(csrf()).param("reason", "'\"".repeat(2500)))
			.andExpect(redirectedUrl("/requests/" + id))
			.andExpect(flash().attribute("error", "Nothing was changed: The reason must be at most 2000 characters."));
		this.mvc.perform(post("/requests/{id}/reject", id).with(csrf()).param("reason", "a bell \u0007 inside"))
			.andExpect(
					flash().attribute("error", "Nothing was changed: The reason must not contain control characters."));
		assertThat(this.requests.find(id).orElseThrow().status()).isEqualTo(RequestStatus.PENDING_APPROVAL);
		assertThat(this.requests.find(id).orElseThrow().decisions()).isEmpty();

		this.mvc.perform(post("/requests/{id}/reject", id).with(csrf()).param("reason", "'\"".repeat(1000)))
			.andExpect(redirectedUrl("/requests/" + id))
			.andExpect(flash().attribute("message", "Rejected."));
		assertThat(this.requests.find(id).orElseThrow().decisions()).singleElement()
			.satisfies((decision) -> assertThat(decision.comment()).hasSize(2000));
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void aTicketPastOneHundredCharactersOnRepairOrDeprovisionIsRefusedByName() throws Exception {
		long id = submit("long-ticket");
		this.requests.approve(id, Actor.person("bob"), null);
		await().atMost(Duration.ofMinutes(2))
			.until(() -> this.requests.find(id).orElseThrow().status() == RequestStatus.ACTIVE);
		RequestLocation user = new RequestLocation(this.requests.find(id).orElseThrow().serverId(),
				this.requests.find(id).orElseThrow().userName());
		for (String action : new String[] { "repair", "deprovision" }) {
			this.mvc.perform(post(user.path() + "/" + action).with(csrf()).param("ticketRef", "T".repeat(500)))
				.andExpect(redirectedUrl(user.path()))
				.andExpect(flash().attribute("error",
						"Nothing was changed: The ticket reference must be at most 100 characters."));
		}
		assertThat(this.requests.requestIds(user.serverId(), user.userName())).as("no new request").containsExactly(id);
	}

	private long submit(String prefix) {
		String key = this.aws.rootDelegatingKey();
		UserSpec spec = AwsFixtures.spec(this.aws.sftpServer(), AwsFixtures.unique(prefix),
				this.aws.bucketEncryptedWith(key), key, TestKeys.ED25519_A);
		return this.requests.submitProvision(spec, null, Actor.person("alice")).id();
	}

	/** Where a managed user's page is. */
	record RequestLocation(String serverId, String userName) {

		String path() {
			return "/users/" + this.serverId + "/" + this.userName;
		}

	}

}
