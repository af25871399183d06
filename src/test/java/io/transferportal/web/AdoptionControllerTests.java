package io.transferportal.web;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.transferportal.provisioning.Adoption;
import io.transferportal.provisioning.FieldViolation;
import io.transferportal.provisioning.InvalidUserSpecException;
import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ResourceChoices;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.RequestConflictException;
import io.transferportal.requests.RequestNotAllowedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

@WebMvcTest(AdoptionController.class)
@Import(FormChoices.class)
class AdoptionControllerTests {

	static final String SERVER = "s-0123456789abcdef0";

	static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	@Autowired
	MockMvc mvc;

	@MockitoBean
	AccessRequestManagement requests;

	@MockitoBean
	ProvisioningEngine engine;

	@MockitoBean
	ResourceChoices choices;

	@Test
	@WithMockUser(roles = "REQUESTER")
	void theFormListsTheServers() throws Exception {
		given(this.engine.transferServers()).willReturn(List.of(SERVER));

		String html = this.mvc.perform(get("/users/adopt"))
			.andExpect(status().isOk())
			.andExpect(view().name("users/adoptForm"))
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(html).contains("<option value=\"" + SERVER + "\">", "id=\"submit-adopt\"", "value=\"READ_WRITE\"");
	}

	@Test
	@WithMockUser(username = "alice", roles = "REQUESTER")
	void fieldErrorsGoNextToTheirFieldsAndOnesAboutTheUsersRoleAboveTheForm() throws Exception {
		given(this.requests.submitAdopt(any(), any(), any()))
			.willThrow(new InvalidUserSpecException(List.of(new FieldViolation("bucket", "is required"),
					new FieldViolation("roleArn", "the role's IAM path /ci/ is not under an allowed path"))));

		String html = this.mvc.perform(adopt())
			.andExpect(status().isOk())
			.andExpect(view().name("users/adoptForm"))
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(html).contains("<div id=\"bucket-error\" class=\"invalid-feedback\">is required</div>")
			.contains("The user&#39;s IAM role: the role&#39;s IAM path /ci/ is not under an allowed path")
			.contains("value=\"vera\"");
		verify(this.requests).submitAdopt(eq(new Adoption(SERVER, "vera", "", null, KEY_ARN, null)), eq("CHG-1"),
				any());
	}

	@Test
	@WithMockUser(username = "alice", roles = "REQUESTER")
	void aConflictIsShownOnTheForm() throws Exception {
		given(this.requests.submitAdopt(any(), any(), any()))
			.willThrow(new RequestConflictException("User vera on " + SERVER + " is already managed by the portal"));

		String html = this.mvc.perform(adopt())
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(html).contains("is already managed by the portal");
	}

	@Test
	@WithMockUser(username = "bob", roles = "APPROVER")
	void whoMaySubmitIsDecidedByTheRequestsModule() throws Exception {
		given(this.requests.submitAdopt(any(), any(), any()))
			.willThrow(new RequestNotAllowedException("bob may not submit requests"));

		this.mvc.perform(adopt()).andExpect(status().isForbidden());
	}

	private static MockHttpServletRequestBuilder adopt() {
		return post("/users/adopt").with(csrf())
			.param("serverId", SERVER)
			.param("userName", " vera ")
			.param("bucket", "")
			.param("kmsKeyArn", KEY_ARN)
			.param("ticketRef", "CHG-1");
	}

}
