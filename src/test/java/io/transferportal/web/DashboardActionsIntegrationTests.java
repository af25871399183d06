package io.transferportal.web;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import software.amazon.awssdk.services.iam.IamClient;

import io.transferportal.audit.AuditFilter;
import io.transferportal.audit.AuditRecord;
import io.transferportal.audit.AuditTrail;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.Health;
import io.transferportal.requests.RequestKind;
import io.transferportal.requests.RequestNotAllowedException;
import io.transferportal.requests.RequestSearch;
import io.transferportal.requests.RequestStatus;
import io.transferportal.requests.RequestView;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

/**
 * The dashboard's actions on many users, against moto: verify the ticked users, ask to
 * repair them, and run the verification sweep now.
 */
@PortalIntegrationTest
class DashboardActionsIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AccessRequestManagement requests;

	@Autowired
	IamClient iam;

	@Autowired
	AuditTrail audit;

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void theTickedUsersAreVerifiedTogetherAndRepairsAreAskedForEachThenBackToTheSameView() throws Exception {
		UserSpec drifting = provision("tick-a");
		UserSpec fine = provision("tick-b");
		removeRolePolicy(drifting);

		this.mvc
			.perform(post("/dashboard/selected").with(csrf())
				.param("action", "verify")
				.param("users", key(drifting), key(fine), "s-0123456789abcdef0/nobody", "no-slash", "/", "s-1/")
				.param("q", "tick")
				.param("sort", "health")
				.param("page", ""))
			.andExpect(redirectedUrl("/dashboard?q=tick&sort=health"))
			.andExpect(flash().attribute("error", "Verified 2 user(s): 1 OK, 1 MISSING; 1 not managed any more."));
		this.mvc.perform(post("/dashboard/selected").with(csrf())
			.param("action", "verify")
			.param("users",
					IntStream.rangeClosed(0, 200).mapToObj((i) -> "s-0123456789abcdef0/u" + i).toArray(String[]::new)))
			.andExpect(
					flash().attribute("error", "Tick at most 200 users at once (201 were ticked); nothing was done."));
		assertThat(health(drifting)).isEqualTo(Health.MISSING);
		assertThat(this.audit.search(new AuditFilter(null, null, drifting.serverId(), drifting.userName(), null, null),
				100))
			.filteredOn((record) -> record.action().equals("VERIFICATION_CHANGED"))
			.extracting(AuditRecord::actor)
			.as("the verification is the admin's")
			.contains("admin");

		this.mvc
			.perform(post("/dashboard/selected").with(csrf())
				.param("action", "repair")
				.param("ticketRef", "CHG-BULK")
				.param("users", key(drifting), key(fine)))
			.andExpect(redirectedUrl("/dashboard"));
		List<RequestView> repairs = this.requests
			.search(new RequestSearch(null, "admin", RequestStatus.PENDING_APPROVAL, "CHG-BULK"), PageRequest.of(0, 10))
			.getContent();
		assertThat(repairs).extracting(RequestView::userName)
			.containsExactlyInAnyOrder(drifting.userName(), fine.userName());
		assertThat(repairs).extracting(RequestView::kind).containsOnly(RequestKind.REPAIR);

		this.mvc.perform(post("/dashboard/selected").with(csrf()).param("action", "repair").param("users", key(fine)))
			.andExpect(flash().attribute("error", containsString("No repair for 1 user(s)")));
	}

	@Test
	@WithMockUser(username = "alice", roles = "REQUESTER")
	void aRequesterMayVerifyTheTickedUsersButNotAskForRepairsOrForEveryone() throws Exception {
		UserSpec user = provision("tick-c");
		this.mvc.perform(post("/dashboard/selected").with(csrf()).param("action", "verify").param("users", key(user)))
			.andExpect(flash().attribute("message", "Verified 1 user(s): 1 OK."));
		this.mvc.perform(post("/dashboard/selected").with(csrf()).param("action", "repair").param("users", key(user)))
			.andExpect(flash().attribute("error", containsString("needs the ADMIN role")));
		assertThatExceptionOfType(RequestNotAllowedException.class)
			.isThrownBy(() -> this.requests.verifyEveryoneSoon(Actor.person("alice")));
		this.mvc.perform(post("/dashboard/selected").with(csrf()).param("action", "verify"))
			.andExpect(flash().attribute("warning", "Tick the users to act on first; nothing was done."));
	}

	@Test
	void verifyEveryoneNowRunsTheSweepAtOnceAndIsAuditedAsThePersons() {
		UserSpec user = provision("sweep-now");
		removeRolePolicy(user);
		assertThat(health(user)).as("nothing verified it yet").isEqualTo(Health.OK);

		this.requests.verifyEveryoneSoon(Actor.person("bob"));

		await().atMost(Duration.ofMinutes(2)).until(() -> health(user) == Health.MISSING);
		assertThat(this.audit.latest(new AuditFilter(null, null, null, null, null, null), 500))
			.filteredOn((record) -> record.action().equals("VERIFICATION_SWEEP_REQUESTED"))
			.extracting(AuditRecord::actor)
			.contains("bob");
	}

	private UserSpec provision(String prefix) {
		String key = this.aws.rootDelegatingKey();
		UserSpec spec = AwsFixtures.spec(this.aws.sftpServer(), AwsFixtures.unique(prefix),
				this.aws.bucketEncryptedWith(key), key, TestKeys.ED25519_A);
		long id = this.requests.submitProvision(spec, null, Actor.person("alice")).id();
		this.requests.approve(id, Actor.person("bob"), null);
		await().atMost(Duration.ofMinutes(2))
			.until(() -> this.requests.find(id).orElseThrow().status() == RequestStatus.ACTIVE);
		return spec;
	}

	private void removeRolePolicy(UserSpec user) {
		String roleArn = this.requests
			.find(this.requests.managedUser(user.serverId(), user.userName()).orElseThrow().lastRequestId())
			.orElseThrow()
			.plan()
			.change(ResourceKind.ROLE)
			.orElseThrow()
			.resourceArn();
		this.iam.deleteRolePolicy((request) -> request.roleName(roleArn.substring(roleArn.lastIndexOf('/') + 1))
			.policyName("transfer-portal-access"));
	}

	private Health health(UserSpec user) {
		return this.requests.managedUser(user.serverId(), user.userName()).orElseThrow().health();
	}

	private static String key(UserSpec user) {
		return user.serverId() + "/" + user.userName();
	}

}
