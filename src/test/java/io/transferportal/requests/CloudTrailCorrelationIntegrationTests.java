package io.transferportal.requests;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import software.amazon.awssdk.services.iam.IamClient;

import io.transferportal.audit.AuditFilter;
import io.transferportal.audit.AuditRecord;
import io.transferportal.audit.AuditTrail;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsCallRecorder.Answer;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * An auditor can join a portal record to the CloudTrail events it caused: every applied
 * AWS change and every failed AWS call carries the request ids AWS answered with, in the
 * audit trail and its exports, and every call names the portal in its user agent.
 */
@PortalIntegrationTest
class CloudTrailCorrelationIntegrationTests {

	static final List<String> S3_CHANGES = List.of("BUCKET_ENCRYPTION", "HOME_FOLDER");

	/**
	 * What the portal appends to the SDK's user agent; the version depends on the build.
	 */
	private static final String USER_AGENT_SUFFIX = ".* transfer-portal/[0-9A-Za-z.+_-]+";

	private static final Set<RequestStatus> RUN_ENDED = EnumSet.of(RequestStatus.ACTIVE, RequestStatus.DELETED,
			RequestStatus.FAILED, RequestStatus.NEEDS_REAPPROVAL);

	@Autowired
	AccessRequestManagement requests;

	@Autowired
	AuditTrail audit;

	@Autowired
	AwsFixtures aws;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	IamClient iam;

	@Autowired
	MockMvc mvc;

	String server;

	String bucket;

	String key;

	@BeforeEach
	void setUp() {
		this.server = this.aws.sftpServer();
		this.bucket = this.aws.bucket();
		this.key = this.aws.keyWithoutRootDelegation();
	}

	@Test
	void eachAppliedChangeRecordsTheRequestIdsOfItsCallsInTheTrailAndTheExports() throws Exception {
		UserSpec spec = AwsFixtures.spec(this.server, "ivan", this.bucket, this.key, TestKeys.ED25519_A,
				TestKeys.ED25519_B);
		RequestView submitted = this.requests.submitProvision(spec, null, Actor.person("alice"));
		this.recorder.reset();

		this.requests.approve(submitted.id(), Actor.person("bob"), null);
		awaitStatus(submitted.id(), RequestStatus.ACTIVE);

		// what moto answered, as the HTTP headers of the run's calls show it
		List<Answer> answers = this.recorder.answers();
		List<Answer> writes = answers.stream().filter(Answer::isWrite).toList();
		assertThat(writes).extracting(Answer::name)
			.contains("S3:PutBucketEncryption", "Iam:CreateRole", "Iam:PutRolePolicy", "Kms:PutKeyPolicy",
					"Transfer:CreateUser", "Transfer:ImportSshPublicKey");
		assertThat(writes).allSatisfy((write) -> assertThat(write.requestId()).as(write.name()).isNotBlank());
		assertThat(answers)
			.allSatisfy((answer) -> assertThat(answer.userAgent()).as(answer.name()).matches(USER_AGENT_SUFFIX));

		List<AuditRecord> changes = this.audit.search(AuditFilter.forRequest(submitted.id()), 1000)
			.stream()
			.filter((r) -> r.action().equals("AWS_CHANGE"))
			.toList();
		// moto's S3 sends its request id as x-amzn-RequestId; S3 itself sends
		// x-amz-request-id, the header the SDK reads for S3. So under moto the S3
		// changes (bucket encryption, home folder marker) have no id, and the other
		// services' changes have all of theirs.
		assertThat(changes).filteredOn((r) -> S3_CHANGES.contains(r.resource()))
			.extracting(AuditRecord::resource)
			.containsExactlyInAnyOrderElementsOf(S3_CHANGES);
		assertThat(changes).filteredOn((r) -> S3_CHANGES.contains(r.resource()))
			.allSatisfy((r) -> assertThat(r.awsRequestId()).isNull());
		List<AuditRecord> withIds = changes.stream().filter((r) -> !S3_CHANGES.contains(r.resource())).toList();
		assertThat(withIds).extracting(AuditRecord::resource)
			.containsExactlyInAnyOrder("ROLE", "ROLE_POLICY", "KEY_POLICY", "SESSION_POLICY", "TRANSFER_USER");
		assertThat(withIds).allSatisfy((r) -> assertThat(r.awsRequestId()).as(r.resource()).isNotBlank());
		// every other write of the run is in the record of the change it made, and
		// nothing else is
		assertThat(withIds.stream()
			.map(AuditRecord::awsRequestId)
			.flatMap((ids) -> Arrays.stream(ids.split(" ")))
			.distinct()).containsExactlyInAnyOrderElementsOf(
					writes.stream().filter((w) -> !w.name().startsWith("S3:")).map(Answer::requestId).toList());
		// one resource, several calls: the user with its session policy and first key,
		// then the second key
		List<String> userCalls = writes.stream()
			.filter((w) -> w.name().startsWith("Transfer:"))
			.map(Answer::requestId)
			.toList();
		assertThat(userCalls).hasSize(2);
		assertThat(changes).filteredOn((r) -> "TRANSFER_USER".equals(r.resource()))
			.singleElement()
			.satisfies((r) -> assertThat(r.awsRequestId()).isEqualTo(String.join(" ", userCalls)));
		assertThat(changes).filteredOn((r) -> "KEY_POLICY".equals(r.resource()))
			.singleElement()
			.satisfies((r) -> assertThat(r.awsRequestId()).isEqualTo(requestIdOf(writes, "Kms:PutKeyPolicy")));

		String transferUserIds = changes.stream()
			.filter((r) -> "TRANSFER_USER".equals(r.resource()))
			.findFirst()
			.map(AuditRecord::awsRequestId)
			.orElseThrow();
		this.mvc
			.perform(get("/admin/audit/export").param("format", "json")
				.param("requestId", String.valueOf(submitted.id()))
				.with(user("admin").roles("ADMIN")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[?(@.resource == 'TRANSFER_USER')].awsRequestId").value(transferUserIds));
		this.mvc
			.perform(get("/admin/audit/export").param("format", "csv")
				.param("requestId", String.valueOf(submitted.id()))
				.with(user("admin").roles("ADMIN")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(",detail,awsRequestId\r\n")))
			.andExpect(content().string(containsString("," + transferUserIds + "\r\n")));
		this.mvc
			.perform(get("/admin/audit").param("requestId", String.valueOf(submitted.id()))
				.with(user("admin").roles("ADMIN")))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(transferUserIds)));
	}

	@Test
	void aRemovalRecordsTheRequestIdsOfItsDeletions() {
		UserSpec spec = AwsFixtures.spec(this.server, "kurt", this.bucket, this.key, TestKeys.ED25519_A);
		RequestView provision = this.requests.submitProvision(spec, null, Actor.person("alice"));
		this.requests.approve(provision.id(), Actor.person("bob"), null);
		awaitStatus(provision.id(), RequestStatus.ACTIVE);
		RequestView removal = this.requests.submitDeprovision(this.server, "kurt", null, Actor.person("admin"));
		this.recorder.reset();

		this.requests.approve(removal.id(), Actor.person("bob"), null);
		awaitStatus(removal.id(), RequestStatus.DELETED);

		List<Answer> writes = this.recorder.answers().stream().filter(Answer::isWrite).toList();
		assertThat(writes).extracting(Answer::name)
			.contains("Transfer:DeleteUser", "Iam:DeleteRolePolicy", "Iam:DeleteRole", "Kms:PutKeyPolicy");
		List<AuditRecord> changes = this.audit.search(AuditFilter.forRequest(removal.id()), 1000)
			.stream()
			.filter((r) -> r.action().equals("AWS_CHANGE"))
			.toList();
		assertThat(changes).filteredOn((r) -> "ROLE".equals(r.resource()))
			.singleElement()
			.satisfies((r) -> assertThat(r.awsRequestId()).isEqualTo(requestIdOf(writes, "Iam:DeleteRole")));
		assertThat(changes.stream()
			.map(AuditRecord::awsRequestId)
			.flatMap((ids) -> Arrays.stream(ids.split(" ")))
			.distinct()).containsExactlyInAnyOrderElementsOf(writes.stream().map(Answer::requestId).toList());
	}

	@Test
	void aFailedWriteIsAuditedWithTheRequestIdOfTheFailedCall() {
		UserSpec spec = AwsFixtures.spec(this.server, "judy", this.bucket, this.key, TestKeys.ED25519_A);
		RequestView submitted = this.requests.submitProvision(spec, null, Actor.person("alice"));
		String roleArn = submitted.plan().change(ResourceKind.ROLE).orElseThrow().resourceArn();
		String role = roleArn.substring(roleArn.lastIndexOf('/') + 1);
		this.recorder.reset();
		// the role the run has just created is gone when it writes the role's policy
		this.recorder.beforeNext("PutRolePolicy", () -> this.iam.deleteRole((request) -> request.roleName(role)));

		this.requests.approve(submitted.id(), Actor.person("bob"), null);
		RequestView failed = awaitStatus(submitted.id(), RequestStatus.FAILED);

		// IAM may not show a role created a moment ago, so NoSuchEntity is retried: the
		// failure is the last attempt's
		String failedCall = lastRequestIdOf(this.recorder.answersAbout(role), "Iam:PutRolePolicy");
		assertThat(failedCall).isNotBlank();
		assertThat(this.audit.search(AuditFilter.forRequest(submitted.id()), 1000))
			.filteredOn((r) -> r.action().equals("AWS_CALL_FAILED"))
			.singleElement()
			.satisfies((r) -> {
				assertThat(r.resource()).isEqualTo("ROLE_POLICY");
				assertThat(r.outcome()).isEqualTo("FAILED");
				assertThat(r.awsRequestId()).isEqualTo(failedCall);
				assertThat(r.detail()).contains("PutRolePolicy").contains("NoSuchEntity");
			});
		// the id is in the audit trail, not in the message the requester sees
		assertThat(failed.failure()).contains("PutRolePolicy").doesNotContain(failedCall);
	}

	private static String lastRequestIdOf(List<Answer> answers, String call) {
		List<String> ids = answers.stream()
			.filter((answer) -> answer.name().equals(call))
			.map(Answer::requestId)
			.filter(Objects::nonNull)
			.toList();
		assertThat(ids).as("answered " + call).isNotEmpty();
		return ids.get(ids.size() - 1);
	}

	private static String requestIdOf(List<Answer> answers, String call) {
		return answers.stream()
			.filter((answer) -> answer.name().equals(call))
			.map(Answer::requestId)
			.filter(Objects::nonNull)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no answered " + call + " in " + answers));
	}

	/** Waits until the run has ended, then requires the status. */
	private RequestView awaitStatus(long id, RequestStatus status) {
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.requests.find(id).orElseThrow().status(), RUN_ENDED::contains);
		RequestView request = this.requests.find(id).orElseThrow();
		assertThat(request.status()).as("request %d (failure: %s)", id, request.failure()).isEqualTo(status);
		return request;
	}

}
