package io.transferportal.requests;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import software.amazon.awssdk.services.s3.S3Client;

import io.transferportal.accounts.AccountManagement;
import io.transferportal.accounts.PortalRole;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Two approvers approve the same request at the same moment, 20 times through the API and
 * 20 times through the UI: each time one approval wins and the other learns that the
 * request is already decided (409 in the API, the same message on the page in the UI);
 * never a server error. A barrier starts both calls together; nothing depends on timing.
 */
@PortalIntegrationTest
class ConcurrentApprovalsIntegrationTests {

	static final int ROUNDS = 20;

	static final String PASSWORD = "approver-password-1";

	@Autowired
	MockMvc mvc;

	@Autowired
	AwsFixtures aws;

	@Autowired
	S3Client s3;

	@Autowired
	AccountManagement accounts;

	@Autowired
	AccessRequestManagement requests;

	@Autowired
	ApprovalProperties approvals;

	ExecutorService executor = Executors.newFixedThreadPool(2);

	List<Long> pending = new ArrayList<>();

	String first;

	String second;

	@BeforeEach
	void setUp() {
		// one approval decides (the default): the second approval finds the request
		// decided
		assertThat(this.approvals.required()).isEqualTo(1);
		String server = this.aws.sftpServer();
		String bucket = this.aws.bucket();
		String key = this.aws.rootDelegatingKey();
		Actor requester = Actor.person(account(Set.of(PortalRole.REQUESTER)));
		this.first = account(Set.of(PortalRole.APPROVER));
		this.second = account(Set.of(PortalRole.APPROVER));
		for (int i = 0; i < ROUNDS; i++) {
			String user = "race" + i;
			this.pending.add(
					this.requests
						.submitProvision(AwsFixtures.spec(server, user, bucket, key, TestKeys.newEcdsaKey(user)), null,
								requester)
						.id());
		}
		// the approved runs then fail at once instead of loading the emulator with 20
		// users
		this.s3.deleteBucket((request) -> request.bucket(bucket));
	}

	@AfterEach
	void tearDown() {
		this.executor.shutdownNow();
	}

	@Test
	void throughTheApiOneApprovalWinsAndTheOtherIsAConflict() throws Exception {
		for (long id : this.pending) {
			List<MvcResult> results = race(() -> apiApprove(id, this.first), () -> apiApprove(id, this.second));
			List<Integer> statuses = results.stream().map((result) -> result.getResponse().getStatus()).toList();
			assertThat(statuses).as("request %d", id).containsExactlyInAnyOrder(200, 409);
			MvcResult loser = results.get(statuses.indexOf(409));
			assertThat(loser.getResponse().getContentAsString()).contains("already decided").doesNotContain("ticket");
		}
	}

	@Test
	void throughTheUiOneApprovalWinsAndTheOtherIsToldItIsDecided() throws Exception {
		MockHttpSession firstSession = signIn(this.first);
		MockHttpSession secondSession = signIn(this.second);
		for (long id : this.pending) {
			List<MvcResult> results = race(() -> uiApprove(id, firstSession), () -> uiApprove(id, secondSession));
			for (MvcResult result : results) {
				assertThat(result.getResponse().getStatus()).as("request %d", id).isEqualTo(302);
				assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/requests/" + id);
			}
			List<Object> messages = results.stream().map((result) -> result.getFlashMap().get("message")).toList();
			List<Object> errors = results.stream().map((result) -> result.getFlashMap().get("error")).toList();
			assertThat(messages).as("request %d", id).containsExactlyInAnyOrder("Approved.", null);
			assertThat(errors).as("request %d", id)
				.hasSize(2)
				.filteredOn((error) -> error != null)
				.singleElement()
				.asString()
				.contains("already decided");
		}
	}

	@Test
	void theSameApproverClickingTwiceIsToldItIsDecidedNotAboutATicket() throws Exception {
		long id = this.pending.get(0);
		List<MvcResult> results = race(() -> apiApprove(id, this.first), () -> apiApprove(id, this.first));
		List<Integer> statuses = results.stream().map((result) -> result.getResponse().getStatus()).toList();
		assertThat(statuses).containsExactlyInAnyOrder(200, 409);
		assertThat(results.get(statuses.indexOf(409)).getResponse().getContentAsString()).contains("already decided")
			.doesNotContain("ticket");
	}

	List<MvcResult> race(Callable<MvcResult> one, Callable<MvcResult> other) throws Exception {
		CyclicBarrier start = new CyclicBarrier(2);
		Future<MvcResult> a = this.executor.submit(() -> {
			start.await();
			return one.call();
		});
		Future<MvcResult> b = this.executor.submit(() -> {
			start.await();
			return other.call();
		});
		// a generous ceiling against a hang, not a timing assertion
		return List.of(a.get(120, TimeUnit.SECONDS), b.get(120, TimeUnit.SECONDS));
	}

	MvcResult apiApprove(long id, String approver) throws Exception {
		return this.mvc
			.perform(post("/api/v1/requests/" + id + "/approve").header("Authorization", "Bearer " + token(approver))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"comment\":\"ok\"}"))
			.andReturn();
	}

	MvcResult uiApprove(long id, MockHttpSession session) throws Exception {
		return this.mvc.perform(post("/requests/" + id + "/approve").session(session).with(csrf())).andReturn();
	}

	MockHttpSession signIn(String name) throws Exception {
		MvcResult result = this.mvc
			.perform(post("/login").param("username", name).param("password", PASSWORD).with(csrf()))
			.andReturn();
		assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/");
		return (MockHttpSession) result.getRequest().getSession(false);
	}

	String account(Set<PortalRole> roles) {
		String name = "race-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
		this.accounts.ensureExists(name, PASSWORD, roles, token(name));
		return name;
	}

	static String token(String name) {
		return "token-of-" + name + "-0123456789abcdef";
	}

}
