package io.transferportal.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.RequestSearch;
import io.transferportal.requests.RequestStatus;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The new-request form against the real portal: Preview refuses what Submit refuses, with
 * the same field error and a link to what to look at instead, and nothing is stored.
 */
@PortalIntegrationTest
class RequestFormIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AccessRequestManagement requests;

	@Test
	@WithMockUser(username = "alice", roles = "REQUESTER")
	void aNameTakenByAManagedUserOrAnOpenRequestIsTheSameFieldErrorOnPreviewAndSubmit() throws Exception {
		String key = this.aws.rootDelegatingKey();
		UserSpec managed = AwsFixtures.spec(this.aws.sftpServer(), AwsFixtures.unique("taken"),
				this.aws.bucketEncryptedWith(key), key, TestKeys.ED25519_A);
		long id = this.requests.submitProvision(managed, null, Actor.person("carol")).id();
		this.requests.approve(id, Actor.person("bob"), null);
		await().atMost(Duration.ofMinutes(2))
			.until(() -> this.requests.find(id).orElseThrow().status() == RequestStatus.ACTIVE);
		UserSpec waiting = AwsFixtures.spec(managed.serverId(), AwsFixtures.unique("open"), managed.bucket(), key,
				TestKeys.ED25519_B);
		long open = this.requests.submitProvision(waiting, null, Actor.person("carol")).id();
		long before = this.requests.search(RequestSearch.ALL, PageRequest.of(0, 1)).getTotalElements();

		for (boolean preview : new boolean[] { true, false }) {
			String html = page(form(managed, preview));
			assertThat(html).as(preview ? "preview" : "submit")
				.contains("is already managed by the portal; its page shows it and takes a change")
				.contains("id=\"userName-error\"")
				.contains("href=\"/users/" + managed.serverId() + "/" + managed.userName() + "\"")
				.doesNotContain("id=\"plan-heading\"");
			assertThat(page(form(waiting, preview))).as(preview ? "preview" : "submit")
				.contains("already has an open request; follow it there")
				.contains("href=\"/requests/" + open + "\"");
		}
		assertThat(this.requests.search(RequestSearch.ALL, PageRequest.of(0, 1)).getTotalElements())
			.as("nothing stored")
			.isEqualTo(before);
	}

	private static MockHttpServletRequestBuilder form(UserSpec spec, boolean preview) {
		MockHttpServletRequestBuilder post = post("/requests/new").with(csrf())
			.param("serverId", spec.serverId())
			.param("userName", spec.userName())
			.param("bucket", spec.bucket())
			.param("kmsKeyArn", spec.kmsKeyArn())
			.param("sshPublicKeys", spec.sshPublicKeys().get(0))
			.param("accessLevel", "READ_WRITE")
			// what the browser sends for the unticked "existing role" box
			.param("_existingRole", "on");
		return preview ? post.param("preview", "plan") : post;
	}

	private String page(MockHttpServletRequestBuilder request) throws Exception {
		var r = this.mvc.perform(request).andExpect(status().isOk()).andReturn();
		System.out.println(
				"DEBUG " + r.getModelAndView().getModel().get("org.springframework.validation.BindingResult.form"));
		return r.getResponse().getContentAsString();
	}

}
