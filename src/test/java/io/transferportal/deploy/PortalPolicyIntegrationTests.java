package io.transferportal.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.transfer.model.HomeDirectoryType;
import software.amazon.awssdk.services.transfer.model.TransferException;

import io.transferportal.provisioning.ResourceChoices;
import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.requests.ManagedUserRegister;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.LongTests;
import io.transferportal.support.MotoClients;
import io.transferportal.support.PortalApi;
import io.transferportal.support.TestClock;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The portal's IAM policy ({@code deploy/iam/portal-policy.json}) proven by running under
 * it: the portal's AWS clients use the access key of an IAM user whose only policies are
 * that file and {@code deploy/iam/portal-existing-roles-policy.json} (for the tests'
 * existing-role path), against a moto_server that authorises every request
 * ({@link AuthorisingMoto}). With the whole policy the portal shows the request form's
 * lists, submits and provisions a batch of ten users on an unencrypted bucket and a key
 * it must patch, verifies, changes, repairs drift, adopts a user made outside it, sweeps
 * and deprovisions: every step passes. With any one statement removed, the same run fails
 * at the step that needs that statement, with a reason naming one of its operations: the
 * policy holds nothing that is not needed.
 * <p>
 * What moto cannot show is listed in {@link #NOT_EVALUATED_BY_MOTO} with the reason;
 * resources and condition keys are held to the portal's real ARNs by
 * {@link PortalPolicyTests}.
 */
@Tag(LongTests.TAG)
@SpringBootTest
@AutoConfigureMockMvc
@Import(PortalPolicyIntegrationTests.PortalUnderThePolicy.class)
class PortalPolicyIntegrationTests {

	static final String REGION = "us-east-1";

	static final String ROLE_PATH = "/transfer-portal/";

	/** The policy as deployed, for this account and boundary. */
	static final IamPolicy POLICY = PortalPolicy.render(REGION, AwsFixtures.ACCOUNT, ROLE_PATH,
			AuthorisingMoto.BOUNDARY_ARN);

	/** What the portal needs on the existing roles requests and adoptions may name. */
	static final IamPolicy EXISTING_ROLES = PortalPolicy.renderExistingRoles(AwsFixtures.ACCOUNT,
			AwsFixtures.EXISTING_ROLE_PATH);

	/** Ten users: the verification sweep then reads their roles in one bulk call. */
	static final int BATCH = 10;

	/**
	 * Each Allow statement and the first step that fails without it, as moto evaluates
	 * the policy.
	 */
	static final Map<String, Step> NEEDED_BY = new LinkedHashMap<>();

	static {
		NEEDED_BY.put("ListResourceChoices", Step.CHOICES);
		NEEDED_BY.put("ReadTransferServers", Step.SUBMIT);
		NEEDED_BY.put("ReadTransferUsers", Step.SUBMIT);
		// a batch's plans read its roles in bulk (ReadRolesInBulk): the first GetRole is
		// a single user's verification
		NEEDED_BY.put("ReadRoles", Step.VERIFY);
		NEEDED_BY.put("ReadKeys", Step.SUBMIT);
		NEEDED_BY.put("ReadBuckets", Step.SUBMIT);
		NEEDED_BY.put("CreateManagedTransferUsers", Step.APPROVE);
		NEEDED_BY.put("CreateRolesWithBoundary", Step.APPROVE);
		NEEDED_BY.put("ChangeManagedRoles", Step.APPROVE);
		NEEDED_BY.put("PatchTaggedKeyPolicies", Step.APPROVE);
		NEEDED_BY.put("SetBucketEncryption", Step.APPROVE);
		NEEDED_BY.put("HomeFolderMarkers", Step.APPROVE);
		NEEDED_BY.put("ChangeManagedTransferUsers", Step.CHANGE);
		NEEDED_BY.put("RestoreRoleBoundary", Step.REPAIR);
		NEEDED_BY.put("PatchTaggedExistingRoles", Step.ADOPT);
	}

	/**
	 * The statements moto cannot show to be needed, and why; each is covered otherwise.
	 */
	static final Map<String, String> NOT_EVALUATED_BY_MOTO = Map.of("PassUserRolesToTransfer",
			"moto does not ask for iam:PassRole when Transfer's CreateUser or UpdateUser names a role; "
					+ "PortalPolicyTests requires it with iam:PassedToService",
			"PassExistingRolesToTransfer", "as PassUserRolesToTransfer, for the existing roles' paths",
			"EncryptHomeFolderMarkers",
			"moto's S3 does not call KMS for an SSE-KMS object, so kms:GenerateDataKey is never asked for; "
					+ "HomeFolder's AccessDenied message names it",
			"ReadRolesInBulk",
			"an optimisation: without it a batch's plans and the sweep fall back to reading role by role "
					+ "(theSweepReadsRolesInBulkAndFallsBackWithoutThatStatement)");

	/** The Deny statements, shown by calls the portal's own credentials cannot make. */
	static final Set<String> DENIES = Set.of("DenyRemovingRoleBoundaries", "DenyOtherRoleBoundaries",
			"DenyChangingTheBoundaryPolicy");

	@DynamicPropertySource
	static void aws(DynamicPropertyRegistry registry) {
		registry.add("portal.aws.endpoint", () -> moto().server().endpoint().toString());
		registry.add("portal.aws.region", () -> REGION);
		registry.add("portal.provisioning.iam-propagation.delay", () -> "10ms");
		registry.add("portal.provisioning.iam-propagation.max-delay", () -> "50ms");
		registry.add("portal.provisioning.role-path", () -> ROLE_PATH);
		registry.add("portal.provisioning.permissions-boundary-arn", () -> AuthorisingMoto.BOUNDARY_ARN);
	}

	/**
	 * Started when the context is made, not when the class is loaded (it is a long test).
	 */
	private static @Nullable AuthorisingMoto moto;

	static synchronized AuthorisingMoto moto() {
		if (moto == null) {
			moto = AuthorisingMoto.start();
		}
		return moto;
	}

	@AfterAll
	static synchronized void stopMoto() {
		if (moto != null) {
			moto.admin().close();
			moto.server().close();
			moto = null;
		}
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	TestClock clock;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	ManagedUserRegister register;

	PortalApi api;

	@BeforeEach
	void setUp() {
		this.api = new PortalApi(this.mvc);
	}

	@Test
	void underTheWholePolicyEveryStepPasses() throws Exception {
		Run run = run(POLICY, EXISTING_ROLES);
		assertThat(run.failure()).as("the first failing step").isNull();
		assertThat(run.steps()).containsExactly(Step.values());
	}

	static Stream<Arguments> neededStatements() {
		return NEEDED_BY.entrySet().stream().map((entry) -> Arguments.of(entry.getKey(), entry.getValue()));
	}

	@ParameterizedTest(name = "without {0} the run fails at {1}")
	@MethodSource("neededStatements")
	void withoutAStatementTheRunFailsAtTheStepThatNeedsIt(String sid, Step expected) throws Exception {
		Run run = runWithout(sid);
		assertThat(run.failure()).as("the run without " + sid).isNotNull();
		assertThat(run.failure().step()).as(run.failure().reason()).isEqualTo(expected);
		List<String> operations = operations(sid);
		assertThat(operations).as("an operation of " + sid + " named in: " + run.failure().reason())
			.anyMatch((operation) -> run.failure().reason().contains(operation));
	}

	@Test
	void everyStatementIsProvenOrSaysWhyNot() {
		List<String> sids = Stream.concat(POLICY.statements().stream(), EXISTING_ROLES.statements().stream())
			.map((statement) -> statement.sid())
			.toList();
		List<String> accounted = new ArrayList<>(NEEDED_BY.keySet());
		accounted.addAll(NOT_EVALUATED_BY_MOTO.keySet());
		accounted.addAll(DENIES);
		assertThat(accounted).containsExactlyInAnyOrderElementsOf(sids);
	}

	@Test
	void theSweepReadsRolesInBulkAndFallsBackWithoutThatStatement() throws Exception {
		Run run = runWithout("ReadRolesInBulk");
		assertThat(run.failure()).as("the first failing step").isNull();
		assertThat(run.sweepCalls().all()).as("the sweep asked for the bulk read")
			.contains("Iam:GetAccountAuthorizationDetails");
		assertThat(run.sweepCalls().aboutUsers()).as("was denied it, and read role by role").contains("Iam:GetRole");
		Run whole = run(POLICY, EXISTING_ROLES);
		assertThat(whole.failure()).isNull();
		assertThat(whole.sweepCalls().all()).contains("Iam:GetAccountAuthorizationDetails");
		assertThat(whole.sweepCalls().aboutUsers()).as("with the statement, the sweep reads the roles in one bulk call")
			.doesNotContain("Iam:GetRole", "Iam:ListRolePolicies", "Iam:GetRolePolicy");
	}

	@Test
	void theDeniesHoldEvenWhereEverythingElseIsAllowed() {
		IamPolicy everything = POLICY.toBuilder()
			.addStatement((statement) -> statement.effect(IamEffect.ALLOW).addAction("iam:*").addResource("*"))
			.build();
		moto().grantPortal(everything, EXISTING_ROLES);
		String role = moto().admin().fixtures().existingRole();
		String roleName = role.substring(role.lastIndexOf('/') + 1);
		moto().admin()
			.iam()
			.putRolePermissionsBoundary(
					(request) -> request.roleName(roleName).permissionsBoundary(AuthorisingMoto.BOUNDARY_ARN));
		try (MotoClients portal = MotoClients.create(moto().server().endpoint(), moto().portalCredentialsProvider())) {
			IamClient iam = portal.iam();
			// allowed: the control that the credentials work
			assertThat(iam.getRole((request) -> request.roleName(roleName)).role().permissionsBoundary()).isNotNull();
			assertThatExceptionOfType(IamException.class)
				.isThrownBy(() -> iam.deleteRolePermissionsBoundary((request) -> request.roleName(roleName)))
				.satisfies(PortalPolicyIntegrationTests::denied);
			assertThatExceptionOfType(IamException.class)
				.isThrownBy(() -> iam.createPolicyVersion((request) -> request.policyArn(AuthorisingMoto.BOUNDARY_ARN)
					.policyDocument(everything.toJson())
					.setAsDefault(true)))
				.satisfies(PortalPolicyIntegrationTests::denied);
		}
	}

	private static void denied(IamException ex) {
		// moto's IAM error body is not one the SDK reads the code from
		assertThat(ex.statusCode()).as(ex.getMessage()).isEqualTo(403);
	}

	/** A run with both policies, less the statement {@code sid} of either. */
	private Run runWithout(String sid) throws Exception {
		return (holding(sid) == EXISTING_ROLES) ? run(POLICY, PortalPolicy.without(EXISTING_ROLES, sid))
				: run(PortalPolicy.without(POLICY, sid), EXISTING_ROLES);
	}

	/** The policy that holds the statement {@code sid}. */
	private static IamPolicy holding(String sid) {
		return EXISTING_ROLES.statements().stream().anyMatch((statement) -> sid.equals(statement.sid()))
				? EXISTING_ROLES : POLICY;
	}

	/**
	 * One run of every step under {@code policy}, on a server, bucket and key of its own;
	 * stops at the first step that fails.
	 */
	private Run run(IamPolicy... policies) throws Exception {
		this.recorder.reset();
		// the request form's lists are kept for a minute: each run reads them anew
		this.clock.advance(Duration.ofMinutes(2));
		moto().grantPortal(policies);
		Scenario scenario = new Scenario();
		List<Step> passed = new ArrayList<>();
		for (Step step : Step.values()) {
			String failure = scenario.perform(step);
			if (failure != null) {
				return new Run(passed, new Failure(step, failure), scenario.sweepCalls);
			}
			passed.add(step);
		}
		return new Run(passed, null, scenario.sweepCalls);
	}

	/**
	 * The SDK operations of a statement's actions: mostly the action's name, where S3
	 * names the permission apart from the call (GetBucketEncryption needs
	 * s3:GetEncryptionConfiguration).
	 */
	private static List<String> operations(String sid) {
		List<String> operations = new ArrayList<>();
		PortalPolicy.statement(holding(sid), sid).actions().forEach((action) -> {
			operations.add(action.value().substring(action.value().indexOf(':') + 1));
			PortalPolicyTests.ACTION_OF.forEach((operation, permission) -> {
				if (permission.equalsIgnoreCase(action.value())) {
					operations.add(operation.substring(operation.indexOf(':') + 1));
				}
			});
		});
		return operations;
	}

	/** The steps of a run, in order. */
	enum Step {

		/** The request form lists the account's servers, buckets and keys. */
		CHOICES,
		/** A batch of users is submitted: every item validated and planned. */
		SUBMIT,
		/** The batch is approved and every user becomes ACTIVE. */
		APPROVE,
		/** A user is verified on demand: every check OK. */
		VERIFY,
		/** A user's SSH keys, access level and tags are changed. */
		CHANGE,
		/** Drift made outside the portal is repaired. */
		REPAIR,
		/** A Transfer user made outside the portal is adopted. */
		ADOPT,
		/** The verification sweep finds every user OK. */
		SWEEP,
		/** A user is removed. */
		DEPROVISION

	}

	record Failure(Step step, String reason) {
	}

	record Run(List<Step> steps, @Nullable Failure failure, Calls sweepCalls) {
	}

	/**
	 * The AWS calls of a step.
	 *
	 * @param all every call
	 * @param aboutUsers the calls that name one of the run's users (or their dedicated
	 * roles, named after them)
	 */
	record Calls(List<String> all, List<String> aboutUsers) {
	}

	/** One run's resources and users, and its steps. */
	private final class Scenario {

		final String ticket = AwsFixtures.unique("IAM-");

		final String server;

		final String bucket;

		final String key;

		final List<String> users = new ArrayList<>();

		Calls sweepCalls = new Calls(List.of(), List.of());

		/** The batch that {@link #submit()} made. */
		long batchId;

		Scenario() {
			AwsFixtures admin = moto().admin().fixtures();
			this.server = admin.sftpServer();
			this.bucket = admin.bucket();
			// a key the portal has to patch (it does not delegate to the account), tagged
			// by the key's owner as one the portal may patch
			this.key = moto().admin()
				.kms()
				.createKey((request) -> request.policy(AwsFixtures.nonDelegatingPolicy().toJson())
					.tags(software.amazon.awssdk.services.kms.model.Tag.builder()
						.tagKey("transfer-portal:key-policy")
						.tagValue("portal-managed")
						.build()))
				.keyMetadata()
				.arn();
			for (int i = 0; i < BATCH; i++) {
				this.users.add("iam" + i + "-" + this.ticket.substring(4));
			}
		}

		/** The reason the step failed, or {@code null}. */
		@Nullable String perform(Step step) throws Exception {
			return switch (step) {
				case CHOICES -> choices();
				case SUBMIT -> submit();
				case APPROVE -> approve();
				case VERIFY -> verify(this.users.get(0));
				case CHANGE -> change();
				case REPAIR -> repair();
				case ADOPT -> adopt();
				case SWEEP -> sweep();
				case DEPROVISION -> deprovision();
			};
		}

		private @Nullable String choices() throws Exception {
			MvcResult page = PortalPolicyIntegrationTests.this.mvc
				.perform(get("/requests/new").with(user("alice").roles("REQUESTER")))
				.andReturn();
			if (page.getResponse().getStatus() != 200) {
				return "the request form answered " + page.getResponse().getStatus();
			}
			Map<String, Object> model = page.getModelAndView().getModel();
			if (model.get("serverError") != null) {
				return (String) model.get("serverError");
			}
			ResourceChoices.Choices<?> buckets = (ResourceChoices.Choices<?>) model.get("buckets");
			ResourceChoices.Choices<?> keys = (ResourceChoices.Choices<?>) model.get("keys");
			if (buckets.error() != null) {
				return buckets.error();
			}
			if (keys.error() != null) {
				return keys.error();
			}
			if (!buckets.items().contains(this.bucket)) {
				return "the form does not list bucket " + this.bucket;
			}
			return null;
		}

		private @Nullable String submit() throws Exception {
			List<Map<String, Object>> items = new ArrayList<>();
			for (String user : this.users) {
				Map<String, Object> item = new LinkedHashMap<>();
				item.put("serverId", this.server);
				item.put("userName", user);
				item.put("bucket", this.bucket);
				item.put("kmsKeyArn", this.key);
				item.put("sshPublicKeys", List.of(TestKeys.ED25519_A));
				item.put("tags", Map.of("team", "payments", "cost-centre", "42"));
				items.add(item);
			}
			Answer answer = call(post("/api/v1/request-batches"), Map.of("ticketRef", this.ticket, "requests", items));
			if (answer.status() != 201) {
				return answer.text();
			}
			this.batchId = PortalApi.id(answer.body());
			return null;
		}

		private @Nullable String approve() throws Exception {
			Answer approved = call(post("/api/v1/request-batches/" + this.batchId + "/approve"), PortalApi.BOB,
					Map.of("comment", "four eyes"));
			if (approved.status() != 200) {
				return approved.text();
			}
			String batch = await().atMost(Duration.ofMinutes(3))
				.pollInterval(Duration.ofMillis(300))
				.until(() -> call(get("/api/v1/request-batches/" + this.batchId), PortalApi.REPORTING, null).body(),
						(body) -> JsonPath.<List<String>>read(body, "$.items[*].status")
							.stream()
							.noneMatch(Set.of("PENDING_APPROVAL", "APPROVED", "PROVISIONING")::contains));
			List<String> failures = JsonPath.read(batch, "$.items[?(@.status != 'ACTIVE')].failureMessage");
			List<String> statuses = JsonPath.read(batch, "$.items[?(@.status != 'ACTIVE')].status");
			return statuses.isEmpty() ? null : statuses + ": " + failures;
		}

		private @Nullable String verify(String user) throws Exception {
			Answer verified = call(post("/api/v1/users/" + this.server + "/" + user + "/verify"), null);
			if (verified.status() != 200) {
				return verified.text();
			}
			List<String> notOk = JsonPath.read(verified.body(), "$.checks[?(@.status != 'OK')].detail");
			return notOk.isEmpty() ? null : "verification of " + user + ": " + notOk;
		}

		private @Nullable String change() throws Exception {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("ticketRef", this.ticket + "-CHANGE");
			body.put("sshPublicKeys", List.of(TestKeys.ED25519_B));
			body.put("accessLevel", "READ_ONLY");
			body.put("tags", Map.of("team", "treasury"));
			return approved(call(patch("/api/v1/users/" + this.server + "/" + this.users.get(1)), body), "ACTIVE");
		}

		private @Nullable String repair() throws Exception {
			String user = this.users.get(2);
			MotoClients admin = moto().admin();
			String role = admin.transfer()
				.describeUser((request) -> request.serverId(this.server).userName(user))
				.user()
				.role();
			String roleName = role.substring(role.lastIndexOf('/') + 1);
			// someone widens the trust, removes the boundary and the role's permissions
			admin.iam()
				.updateAssumeRolePolicy((request) -> request.roleName(roleName)
					.policyDocument(IamPolicy.builder()
						.addStatement((statement) -> statement.effect(IamEffect.ALLOW)
							.addPrincipal(IamPrincipalType.SERVICE, "transfer.amazonaws.com")
							.addAction("sts:AssumeRole"))
						.build()
						.toJson()));
			admin.iam().deleteRolePermissionsBoundary((request) -> request.roleName(roleName));
			admin.iam()
				.listRolePolicies((request) -> request.roleName(roleName))
				.policyNames()
				.forEach((name) -> admin.iam()
					.deleteRolePolicy((request) -> request.roleName(roleName).policyName(name)));
			String failure = approved(call(post("/api/v1/users/" + this.server + "/" + user + "/repair")
				.param("ticketRef", this.ticket + "-REPAIR"), null), "ACTIVE");
			return (failure != null) ? failure : verify(user);
		}

		private @Nullable String adopt() throws Exception {
			MotoClients admin = moto().admin();
			String user = "adopt-" + this.ticket.substring(4);
			String role = admin.fixtures().existingRole();
			// its owner lets the portal maintain its inline KMS policy
			admin.iam()
				.tagRole((request) -> request.roleName(role.substring(role.lastIndexOf('/') + 1))
					.tags((tag) -> tag.key("transfer-portal:role-policy").value("portal-managed")));
			admin.transfer()
				.createUser((request) -> request.serverId(this.server)
					.userName(user)
					.role(role)
					.homeDirectoryType(HomeDirectoryType.LOGICAL)
					.homeDirectoryMappings((mapping) -> mapping.entry("/").target("/" + this.bucket + "/" + user))
					.sshPublicKeyBody(TestKeys.ED25519_C));
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("ticketRef", this.ticket + "-ADOPT");
			body.put("bucket", this.bucket);
			body.put("kmsKeyArn", this.key);
			body.put("accessLevel", "READ_WRITE");
			String failure = approved(call(post("/api/v1/users/" + this.server + "/" + user + "/adopt"), body),
					"ACTIVE");
			if (failure == null) {
				this.users.add(user);
			}
			return failure;
		}

		private @Nullable String sweep() throws Exception {
			PortalPolicyIntegrationTests.this.recorder.reset();
			PortalPolicyIntegrationTests.this.register.verifyAll();
			AwsCallRecorder recorder = PortalPolicyIntegrationTests.this.recorder;
			this.sweepCalls = new Calls(recorder.calls(), recorder.callsAbout(this.users.toArray(String[]::new)));
			for (String user : this.users) {
				Answer read = call(get("/api/v1/users/" + this.server + "/" + user), PortalApi.REPORTING, null);
				List<String> notOk = JsonPath.read(read.body(), "$.checks[?(@.status != 'OK')].detail");
				if (!notOk.isEmpty()) {
					return "after the sweep, " + user + ": " + notOk;
				}
			}
			return null;
		}

		private @Nullable String deprovision() throws Exception {
			String user = this.users.get(3);
			String failure = approved(call(
					delete("/api/v1/users/" + this.server + "/" + user).param("ticketRef", this.ticket + "-REMOVE"),
					null), "DELETED");
			if (failure != null) {
				return failure;
			}
			try {
				moto().admin().transfer().describeUser((request) -> request.serverId(this.server).userName(user));
				return "the Transfer user " + user + " is still there";
			}
			catch (TransferException ex) {
				if (AwsErrors.isNotFound(ex)) {
					return null;
				}
				throw ex;
			}
		}

		/**
		 * A request the ticketing system made, approved by someone else, until it ends
		 * with {@code expected}; the reason otherwise.
		 */
		private @Nullable String approved(Answer created, String expected) throws Exception {
			if (created.status() != 202 && created.status() != 201) {
				return created.text();
			}
			long id = PortalApi.id(created.body());
			Answer approved = call(post("/api/v1/requests/" + id + "/approve"), PortalApi.BOB,
					Map.of("comment", "four eyes"));
			if (approved.status() != 200) {
				return approved.text();
			}
			String request = await().atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> call(get("/api/v1/requests/" + id), PortalApi.REPORTING, null).body(),
						(body) -> !Set.of("APPROVED", "PROVISIONING").contains(JsonPath.read(body, "$.status")));
			String status = JsonPath.read(request, "$.status");
			return status.equals(expected) ? null : status + ": " + JsonPath.read(request, "$.failure");
		}

		private Answer call(MockHttpServletRequestBuilder request, @Nullable Object body) throws Exception {
			return call(request, PortalApi.SERVICENOW, body);
		}

		private Answer call(MockHttpServletRequestBuilder request, String token, @Nullable Object body)
				throws Exception {
			MvcResult result = PortalPolicyIntegrationTests.this.api.call(request, token, body).andReturn();
			return new Answer(result.getResponse().getStatus(), result.getResponse().getContentAsString());
		}

	}

	record Answer(int status, String body) {

		String text() {
			return this.status + " " + this.body;
		}

	}

	/**
	 * The portal's AWS clients sign with the portal user's access key; the clock moves
	 * for the tests; the recorder sees the calls.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class PortalUnderThePolicy {

		@Bean
		@Primary
		AwsCredentialsProvider portalUserCredentials() {
			return moto().portalCredentialsProvider();
		}

		@Bean
		@Primary
		TestClock testClock() {
			return new TestClock();
		}

		@Bean
		AwsCallRecorder awsCallRecorder(JdbcClient jdbc) {
			return new AwsCallRecorder(jdbc);
		}

	}

}
