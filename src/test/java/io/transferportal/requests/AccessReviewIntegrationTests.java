package io.transferportal.requests;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.TransferException;

import io.transferportal.accounts.AccountManagement;
import io.transferportal.accounts.PortalRole;
import io.transferportal.audit.AuditFilter;
import io.transferportal.audit.AuditRecord;
import io.transferportal.audit.AuditTrail;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.LifecycleIntegrationTest;
import io.transferportal.support.PortalApi;
import io.transferportal.support.TestClock;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A periodic access review end to end, through both doors (the web UI with its session
 * and CSRF token, the REST API with bearer tokens), against moto_server and a
 * {@link TestClock}: a user granted by two people comes due, is flagged overdue, is
 * confirmed by a third approver or revoked (removed with no second approval), a user
 * suspended for want of a review gets its SSH keys back when confirmed, and every
 * decision is in the audit trail. The person who asked for the access can never review
 * it.
 */
@LifecycleIntegrationTest
class AccessReviewIntegrationTests {

	/**
	 * A third approver, so that neither the requester nor the grant's approver reviews.
	 */
	static final String DORA = "dora-personal-token-0123456789abcdefgh";

	static final Duration PAST_DUE = Duration.ofDays(91);

	@Autowired
	MockMvc mvc;

	PortalApi api;

	@Autowired
	AwsFixtures aws;

	@Autowired
	TestClock clock;

	@Autowired
	AccessRequestManagement requests;

	@Autowired
	UserLifecycle userLifecycle;

	@Autowired
	AccessRequestRepository requestRepository;

	@Autowired
	ManagedUserRepository users;

	@Autowired
	AuditTrail audit;

	@Autowired
	TransferClient transfer;

	@Autowired
	LifecycleProperties lifecycle;

	TransactionTemplate transaction;

	String server;

	String bucket;

	String key;

	@BeforeEach
	void setUp(@Autowired AccountManagement accounts, @Autowired PlatformTransactionManager transactions) {
		this.api = new PortalApi(this.mvc);
		this.clock.reset();
		this.transaction = new TransactionTemplate(transactions);
		accounts.ensureExists("dora", "dora-password", Set.of(PortalRole.APPROVER), DORA);
		this.server = this.aws.sftpServer();
		this.bucket = this.aws.bucket();
		this.key = this.aws.rootDelegatingKey();
	}

	@Test
	void anOverdueUserIsFlaggedAThirdApproverConfirmsItAndTheRequesterCannotThroughEitherDoor() throws Exception {
		String name = AwsFixtures.unique("rev");
		provision(name, PortalApi.CAROL);
		ManagedUserView granted = view(name);
		assertThat(granted.lifecycle().grantedBy()).isEqualTo("carol");
		assertThat(granted.lifecycle().reviewOverdue()).isFalse();
		assertThat(granted.lifecycle().reviewDueAt())
			.isEqualTo(granted.lifecycle().grantedAt().plus(Duration.ofDays(90)));
		assertThat(dueEntry(name)).as("due in 90 days: not on the list yet").isEmpty();

		this.clock.advance(PAST_DUE);

		ManagedUserView overdue = view(name);
		assertThat(overdue.lifecycle().reviewOverdue()).isTrue();
		// the lifecycle job's query agrees (unless the job has suspended it already)
		assertThat(this.userLifecycle.reviewOverdue(this.clock.instant())
			.stream()
			.map(ManagedUser::getUserName)
			.toList()
			.contains(name) || "UNREVIEWED".equals(overdue.lifecycle().suspension())).isTrue();
		String entry = dueEntry(name).orElseThrow();
		assertThat((Boolean) JsonPath.read(entry, "$.reviewOverdue")).isTrue();
		assertThat((String) JsonPath.read(entry, "$.grantedBy")).isEqualTo("carol");
		assertThat((String) JsonPath.read(entry, "$.review"))
			.isEqualTo("/api/v1/users/" + this.server + "/" + name + "/review");
		MockHttpSession bob = signIn("bob", "bob-password");
		this.mvc.perform(get("/reviews").session(bob))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(name)))
			.andExpect(content().string(containsString("Overdue")));

		// four eyes: carol asked for the access; neither door lets her confirm it
		this.api.call(post(review(name)), PortalApi.CAROL, Map.of("decision", "CONFIRM"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.type").value("/problems/forbidden"))
			.andExpect(jsonPath("$.detail", containsString("Four eyes: carol asked for the access of " + name)));
		MockHttpSession carol = signIn("carol", "carol-password");
		MvcResult refused = this.mvc.perform(
				post("/reviews/" + this.server + "/" + name).param("decision", "CONFIRM").session(carol).with(csrf()))
			.andExpect(redirectedUrl("/reviews"))
			.andReturn();
		assertThat(lines(refused, "refused")).singleElement().asString().contains("Four eyes: carol");
		assertThat(lines(refused, "reviewed")).isEmpty();
		assertThat(view(name).lifecycle().reviewedBy()).isNull();
		assertThat(view(name).lifecycle().reviewOverdue()).isTrue();

		this.api.call(post(review(name)), DORA, Map.of("decision", "CONFIRM", "comment", "still needed for payroll"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.userName").value(name))
			.andExpect(jsonPath("$.active").value(true));

		ManagedUserView confirmed = view(name);
		assertThat(confirmed.lifecycle().reviewOverdue()).isFalse();
		assertThat(confirmed.lifecycle().reviewedBy()).isEqualTo("dora");
		assertThat(confirmed.lifecycle().reviewDueAt())
			.isEqualTo(confirmed.lifecycle().reviewedAt().plus(Duration.ofDays(90)));
		assertThat(confirmed.lifecycle().grantedBy()).as("a review grants nothing").isEqualTo("carol");
		assertThat(this.userLifecycle.reviewOverdue(this.clock.instant())).extracting(ManagedUser::getUserName)
			.doesNotContain(name);
		assertThat(dueEntry(name)).isEmpty();
		awaitNoOpenRequest(name);

		assertThat(reviews(name)).singleElement().satisfies((record) -> {
			assertThat(record.actor()).isEqualTo("dora");
			assertThat(record.outcome()).isEqualTo("CONFIRMED");
			assertThat(record.detail()).startsWith("Access confirmed").endsWith(": still needed for payroll");
		});
	}

	@Test
	void aRevocationRemovesTheUserWithoutASecondApprovalAndBadInputChangesNothing() throws Exception {
		String name = AwsFixtures.unique("rvk");
		provision(name, PortalApi.SERVICENOW);
		assertThat(view(name).lifecycle().grantedBy()).isEqualTo("api:servicenow");

		this.api.call(post(review(name)), PortalApi.BOB, Map.of("decision", "MAYBE"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("/problems/validation"))
			.andExpect(jsonPath("$.errors[0].field").value("decision"))
			.andExpect(jsonPath("$.errors[0].message").value("must be CONFIRM or REVOKE"));
		this.api.call(post(review(name)), PortalApi.BOB, Map.of("comment", "no decision"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("decision"));
		this.api.call(post(review(name)), PortalApi.BOB, Map.of("decision", "REVOKE"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("comment"))
			.andExpect(jsonPath("$.errors[0].message").value("is required to revoke access: say why"));
		this.api.call(post(review(name)), PortalApi.BOB, Map.of("decision", "REVOKE", "comment", "x".repeat(1001)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("comment"));
		this.api.call(post(review(name)), PortalApi.SERVICENOW, Map.of("decision", "CONFIRM"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("Only people review access, not integrations"));
		this.api.call(post(review(name)), PortalApi.ALICE, Map.of("decision", "CONFIRM"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("alice needs the APPROVER role to review access"));
		this.api.call(post(review("nobody-" + name)), PortalApi.BOB, Map.of("decision", "CONFIRM"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("/problems/not-found"));
		MockHttpSession bob = signIn("bob", "bob-password");
		MvcResult noComment = this.mvc
			.perform(post("/reviews").param("users", this.server + "/" + name)
				.param("decision", "REVOKE")
				.session(bob)
				.with(csrf()))
			.andExpect(redirectedUrl("/reviews"))
			.andExpect(flash().attribute("error",
					"Nothing was reviewed: the comment is required to revoke access: say why."))
			.andReturn();
		assertThat(noComment.getFlashMap().get("reviewed")).isNull();
		this.mvc.perform(post("/reviews").param("decision", "CONFIRM").session(bob).with(csrf()))
			.andExpect(flash().attribute("error", "Select at least one user to review; nothing was reviewed."));
		assertThat(view(name).active()).isTrue();
		assertThat(view(name).lifecycle().reviewedBy()).isNull();
		assertThat(reviews(name)).isEmpty();

		// bob approved the grant but did not ask for it: he may review it
		String response = this.api
			.call(post(review(name)), PortalApi.BOB, Map.of("decision", "REVOKE", "comment", "left the company"))
			.andExpect(status().isAccepted())
			.andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/api/v1/requests/")))
			.andExpect(jsonPath("$.kind").value("DEPROVISION"))
			.andExpect(jsonPath("$.requestedBy").value("bob"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = PortalApi.id(response);
		awaitStatus(id, RequestStatus.DELETED);

		assertThat(this.requests.find(id).orElseThrow().decisions()).as("no second approval").isEmpty();
		assertThatExceptionOfType(TransferException.class).as("gone from Transfer")
			.isThrownBy(() -> this.transfer.describeUser((r) -> r.serverId(this.server).userName(name)))
			.withMessageContaining("does not match any user");
		assertThat(view(name).active()).isFalse();
		this.api.call(post(review(name)), PortalApi.BOB, Map.of("decision", "REVOKE", "comment", "again"))
			.andExpect(status().isConflict());

		assertThat(reviews(name)).singleElement().satisfies((record) -> {
			assertThat(record.actor()).isEqualTo("bob");
			assertThat(record.outcome()).isEqualTo("REVOKED");
			assertThat(record.requestId()).isEqualTo(id);
			assertThat(record.detail())
				.isEqualTo("Access revoked; removed by request " + id + " without a second approval: left the company");
		});
		List<AuditRecord> removal = this.audit.search(AuditFilter.forRequest(id), 1000);
		assertThat(removal).extracting(AuditRecord::detail)
			.anySatisfy(
					(detail) -> assertThat(detail).contains("Covered by the access review by bob; no second approval"));
		assertThat(removal).filteredOn((r) -> "TRANSFER_USER".equals(r.resource()))
			.singleElement()
			.satisfies((r) -> assertThat(r.outcome()).isEqualTo("DELETED"));
	}

	@Test
	void aUserSuspendedForWantOfAReviewGetsItsKeysBackWhenConfirmedAndTheOthersOfTheFormAreNotLost() throws Exception {
		String name = AwsFixtures.unique("sus");
		UserSpec spec = AwsFixtures.spec(this.server, name, this.bucket, this.key, TestKeys.ED25519_A);
		RequestView provision = this.requests.submitProvision(spec, null, Actor.person("alice"));
		this.requests.approve(provision.id(), Actor.person("bob"), null);
		awaitStatus(provision.id(), RequestStatus.ACTIVE);
		suspend(name);
		assertThat(view(name).lifecycle().suspension()).isEqualTo("UNREVIEWED");
		assertThat(sshKeys(name)).isZero();

		this.clock.advance(PAST_DUE);
		assertThat(view(name).lifecycle().reviewOverdue()).isTrue();
		assertThat(this.userLifecycle.reviewOverdue(this.clock.instant())).as("already suspended")
			.extracting(ManagedUser::getUserName)
			.doesNotContain(name);

		MockHttpSession dora = signIn("dora", "dora-password");
		MvcResult result = this.mvc
			.perform(post("/reviews").param("users", this.server + "/" + name, this.server + "/ghost-" + name)
				.param("decision", "CONFIRM")
				.session(dora)
				.with(csrf()))
			.andExpect(redirectedUrl("/reviews"))
			.andReturn();
		assertThat(lines(result, "refused")).singleElement()
			.asString()
			.isEqualTo("ghost-" + name + " on " + this.server + ": User ghost-" + name + " on " + this.server
					+ " is not managed by the portal");
		String done = lines(result, "reviewed").get(0);
		assertThat(done).startsWith("Confirmed the access of " + name + " on " + this.server + "; request ")
			.endsWith(" gives its SSH keys back.");
		long reinstate = Long.parseLong(done.replaceAll(".*; request (\\d+) gives.*", "$1"));
		assertThat(this.requests.find(reinstate).orElseThrow().kind()).isEqualTo(RequestKind.REINSTATE);
		awaitStatus(reinstate, RequestStatus.ACTIVE);

		ManagedUserView back = view(name);
		assertThat(back.lifecycle().suspension()).isNull();
		assertThat(back.lifecycle().reviewedBy()).isEqualTo("dora");
		assertThat(back.lifecycle().reviewOverdue()).isFalse();
		assertThat(back.lastRequestId()).isEqualTo(reinstate);
		assertThat(sshKeys(name)).isEqualTo(1);
		assertThat(this.audit.search(AuditFilter.forRequest(reinstate), 1000)).extracting(AuditRecord::detail)
			.anySatisfy((detail) -> assertThat(detail).contains("Covered by the access review by dora"));
		assertThat(reviews(name)).singleElement()
			.satisfies((record) -> assertThat(record.detail())
				.isEqualTo("Access confirmed; its SSH keys are given back by request " + reinstate
						+ " without a second approval"));
	}

	/**
	 * The lifecycle job's query and the reviews page's list say "overdue" exactly when
	 * the user's view does, at the boundaries too.
	 */
	/**
	 * A revocation plans the removal, and a confirmation of a suspended user the return
	 * of its keys, before the review's transaction opens: no pooled connection or
	 * submission lock is held while AWS answers (issue 11).
	 */
	@Test
	void aReviewThatMakesARequestReadsAwsWithNoTransactionOpen(@Autowired AwsCallRecorder recorder) {
		Thread thread = Thread.currentThread();
		List<String> names = List.of(AwsFixtures.unique("rvk-tx"), AwsFixtures.unique("sus-tx"));
		for (String name : names) {
			RequestView provision = this.requests.submitProvision(
					AwsFixtures.spec(this.server, name, this.bucket, this.key, TestKeys.ED25519_A), null,
					Actor.person("alice"));
			this.requests.approve(provision.id(), Actor.person("bob"), null);
			awaitStatus(provision.id(), RequestStatus.ACTIVE);
		}
		suspend(names.get(1));

		recorder.reset();
		ReviewResult revoked = this.requests.review(this.server, names.get(0), ReviewDecision.REVOKE, "left the team",
				Actor.person("dora"));
		assertThat(revoked.request()).isNotNull();
		assertThat(recorder.callsOn(thread)).as("revocation").isNotEmpty();
		assertThat(recorder.callsInTransactionOn(thread)).as("revocation").isEmpty();

		recorder.reset();
		ReviewResult confirmed = this.requests.review(this.server, names.get(1), ReviewDecision.CONFIRM, null,
				Actor.person("dora"));
		assertThat(confirmed.request()).isNotNull();
		assertThat(confirmed.request().kind()).isEqualTo(RequestKind.REINSTATE);
		assertThat(recorder.callsOn(thread)).as("reinstatement").isNotEmpty();
		assertThat(recorder.callsInTransactionOn(thread)).as("reinstatement").isEmpty();
		awaitStatus(revoked.request().id(), RequestStatus.DELETED);
		awaitStatus(confirmed.request().id(), RequestStatus.ACTIVE);
	}

	@Test
	void theOverdueQueriesAgreeWithTheViewOfEveryUser() {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		Duration interval = this.lifecycle.reviewInterval();
		String fakeServer = AwsFixtures.unique("s-review");
		List<ManagedUser> created = new ArrayList<>();
		try {
			this.transaction.executeWithoutResult((status) -> {
				created.add(user(fakeServer, "granted-long-ago", now.minus(Duration.ofDays(200)), null));
				created.add(user(fakeServer, "granted-just-overdue", now.minus(interval).minusSeconds(1), null));
				created.add(user(fakeServer, "granted-exactly-due", now.minus(interval), null));
				created.add(user(fakeServer, "granted-recently", now.minus(Duration.ofDays(10)), null));
				created.add(user(fakeServer, "reviewed-recently", now.minus(Duration.ofDays(200)),
						now.minus(Duration.ofDays(5))));
				created.add(user(fakeServer, "reviewed-long-ago", now.minus(Duration.ofDays(300)),
						now.minus(Duration.ofDays(100))));
				created.add(user(fakeServer, "regranted-after-review", now.minus(Duration.ofDays(20)),
						now.minus(Duration.ofDays(150))));
				ManagedUser suspended = user(fakeServer, "suspended-overdue", now.minus(Duration.ofDays(120)), null);
				suspended.suspended(ManagedUser.Suspension.UNREVIEWED, 1, now.minus(Duration.ofDays(20)));
				created.add(suspended);
				ManagedUser deleted = user(fakeServer, "deleted-long-ago", now.minus(Duration.ofDays(400)), null);
				deleted.deleted(1, now.minus(Duration.ofDays(300)));
				created.add(deleted);
			});

			List<String> overdueByView = created.stream()
				.filter((u) -> ManagedUserView.of(u, this.lifecycle, now).lifecycle().reviewOverdue())
				.map(ManagedUser::getUserName)
				.toList();
			assertThat(overdueByView).containsExactlyInAnyOrder("granted-long-ago", "granted-just-overdue",
					"reviewed-long-ago", "suspended-overdue");
			List<String> forTheJob = this.userLifecycle.reviewOverdue(now)
				.stream()
				.filter((u) -> u.getServerId().equals(fakeServer))
				.map(ManagedUser::getUserName)
				.toList();
			assertThat(forTheJob).as("not suspended yet, the longest unreviewed first")
				.containsExactly("granted-long-ago", "reviewed-long-ago", "granted-just-overdue");
			List<String> forThePage = this.users
				.findReviewedBefore(ManagedUser.Status.ACTIVE, ReviewPolicy.overdueIfLastBefore(now, interval),
						PageRequest.of(0, 1000))
				.stream()
				.filter((u) -> u.getServerId().equals(fakeServer))
				.map(ManagedUser::getUserName)
				.toList();
			assertThat(forThePage).containsExactlyInAnyOrderElementsOf(overdueByView);
		}
		finally {
			this.transaction.executeWithoutResult((status) -> this.users
				.deleteAll(this.users.findAll().stream().filter((u) -> u.getServerId().equals(fakeServer)).toList()));
		}
	}

	private ManagedUser user(String serverId, String userName, Instant grantedAt, Instant reviewedAt) {
		ManagedUser user = new ManagedUser(
				AwsFixtures.spec(serverId, userName, "bucket", "arn:aws:kms:key", TestKeys.ED25519_A), 1, "carol",
				grantedAt);
		if (reviewedAt != null) {
			user.reviewed("bob", reviewedAt);
		}
		return this.users.save(user);
	}

	/**
	 * What the lifecycle job leaves of a user whose review is overdue: its SSH keys
	 * removed from Transfer, the user marked suspended for want of a review.
	 */
	private void suspend(String name) {
		DescribedUser user = this.transfer.describeUser((r) -> r.serverId(this.server).userName(name)).user();
		user.sshPublicKeys()
			.forEach((sshKey) -> this.transfer.deleteSshPublicKey(
					(r) -> r.serverId(this.server).userName(name).sshPublicKeyId(sshKey.sshPublicKeyId())));
		this.transaction.executeWithoutResult((status) -> {
			ManagedUser managed = this.users.findByServerIdAndUserName(this.server, name).orElseThrow();
			managed.suspended(ManagedUser.Suspension.UNREVIEWED, managed.getLastRequestId(), this.clock.instant());
		});
	}

	/** Asked for by {@code token}'s owner, approved by bob, through the API. */
	private void provision(String name, String token) throws Exception {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("ticketRef", "REV-" + name);
		body.put("serverId", this.server);
		body.put("userName", name);
		body.put("bucket", this.bucket);
		body.put("kmsKeyArn", this.key);
		body.put("sshPublicKeys", List.of(TestKeys.newEcdsaKey(name)));
		String created = this.api.call(post("/api/v1/requests"), token, body)
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = PortalApi.id(created);
		this.api.call(post("/api/v1/requests/" + id + "/approve"), PortalApi.BOB, Map.of()).andExpect(status().isOk());
		awaitStatus(id, RequestStatus.ACTIVE);
	}

	private String review(String name) {
		return "/api/v1/users/" + this.server + "/" + name + "/review";
	}

	/** The user's entry on the API's list of reviews due, if it is on it. */
	private Optional<String> dueEntry(String name) throws Exception {
		for (int page = 0; page < 50; page++) {
			String response = this.api
				.call(get("/api/v1/users/reviews?size=100&page=" + page), PortalApi.REPORTING, null)
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();
			List<Map<String, Object>> items = JsonPath.read(response, "$.items");
			for (Map<String, Object> item : items) {
				if (name.equals(item.get("userName")) && this.server.equals(item.get("serverId"))) {
					return Optional.of(PortalApi.JSON.writeValueAsString(item));
				}
			}
			if (items.size() < 100) {
				return Optional.empty();
			}
		}
		return Optional.empty();
	}

	private List<AuditRecord> reviews(String name) {
		return this.audit.search(new AuditFilter(null, null, this.server, name, null, null), 1000)
			.stream()
			.filter((record) -> record.action().equals("ACCESS_REVIEWED"))
			.toList();
	}

	private ManagedUserView view(String name) {
		return this.requests.managedUser(this.server, name).orElseThrow();
	}

	private int sshKeys(String name) {
		DescribedUser user = this.transfer.describeUser((r) -> r.serverId(this.server).userName(name)).user();
		return user.hasSshPublicKeys() ? user.sshPublicKeys().size() : 0;
	}

	@SuppressWarnings("unchecked")
	private static List<String> lines(MvcResult result, String attribute) {
		Object lines = result.getFlashMap().get(attribute);
		return (lines != null) ? (List<String>) lines : List.of();
	}

	private MockHttpSession signIn(String name, String password) throws Exception {
		MvcResult result = this.mvc
			.perform(post("/login").param("username", name).param("password", password).with(csrf()))
			.andReturn();
		assertThat(result.getResponse().getRedirectedUrl()).as("signed in").isEqualTo("/");
		return (MockHttpSession) result.getRequest().getSession(false);
	}

	private void awaitStatus(long id, RequestStatus expected) {
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(this.requests.find(id).orElseThrow().status()).isEqualTo(expected));
	}

	/**
	 * A run the confirmation may have started (keys given back) ends before the clock
	 * moves again.
	 */
	private void awaitNoOpenRequest(String name) {
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> !this.requestRepository.existsByServerIdAndUserNameAndStatusIn(this.server, name,
					RequestStatus.OPEN));
	}

}
