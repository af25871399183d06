package io.transferportal.requests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.transfer.TransferClient;
import software.amazon.awssdk.services.transfer.model.DescribedUser;

import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.AwsReadBack;
import io.transferportal.support.FaultProxy;
import io.transferportal.support.FaultProxy.Fault;
import io.transferportal.support.FaultProxy.Faults;
import io.transferportal.support.LongTests;
import io.transferportal.support.MotoServer;
import io.transferportal.support.PortalInstance;
import io.transferportal.support.Postgres;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fifty requests approved together while a fifth of the portal's AWS calls fail (500,
 * 503, throttling, a connection dropped before or after AWS applied the call): every
 * request ends ACTIVE or FAILED with a message a person can act on, a retry brings every
 * FAILED one to ACTIVE, and read back from AWS nothing exists twice: one role per user
 * with its one inline policy, each SSH key once, each role once in the key policy, and no
 * role missing from it (no lost key-policy update). Then the same on two instances
 * sharing one PostgreSQL.
 */
@Tag(LongTests.TAG)
class FaultInjectionIntegrationTests {

	static final int REQUESTS = 50;

	static final double FAULT_SHARE = 0.2;

	/** A Java class name, as an exception's toString would leak it. */
	static final Pattern CLASS_NAME = Pattern.compile("\\b[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)+\\.[A-Z]\\w+");

	static FaultProxy proxy;

	@BeforeAll
	static void startProxy() throws Exception {
		proxy = FaultProxy.start(MotoServer.endpoint());
	}

	@AfterAll
	static void stopProxy() {
		proxy.close();
	}

	@Test
	void fiftyRequestsUnderTwentyPercentFaultsEndActiveOrClearlyFailedAndARetryFinishesThem() {
		Map<String, Object> properties = new HashMap<>(PortalInstance.sharedH2());
		properties.putAll(throughTheProxy());
		try (ConfigurableApplicationContext portal = PortalInstance.start(properties)) {
			Outcome outcome = run(List.of(portal));
			System.out.println("Fault run, one instance: " + outcome);
		}
	}

	@Test
	@EnabledIfEnvironmentVariable(named = Postgres.URL_VARIABLE, matches = ".+")
	void twoInstancesOnOnePostgresUnderFaultsLoseNoKeyPolicyUpdate() {
		Map<String, Object> properties = new HashMap<>(Postgres.freshSchema());
		properties.putAll(throughTheProxy());
		try (ConfigurableApplicationContext a = PortalInstance.start(properties);
				ConfigurableApplicationContext b = PortalInstance.start(properties)) {
			Outcome outcome = run(List.of(a, b));
			System.out.println("Fault run, two instances on PostgreSQL: " + outcome);
		}
	}

	/**
	 * Submits {@link #REQUESTS} users on one bucket and one key that needs patching
	 * (spread over the instances), approves them all with faults on, waits for the
	 * outcome, retries what failed with faults off, and reads AWS back.
	 */
	private Outcome run(List<ConfigurableApplicationContext> instances) {
		proxy.faults(Faults.none());
		AwsFixtures aws = instances.get(0).getBean(AwsFixtures.class);
		String server = aws.sftpServer();
		String bucket = aws.bucket();
		String key = aws.keyWithoutRootDelegation();
		String prefix = AwsFixtures.unique("flt");
		List<Long> ids = new ArrayList<>();
		Map<String, List<String>> keysByUser = new HashMap<>();
		for (int i = 0; i < REQUESTS; i++) {
			String user = prefix + "-" + i;
			// every fifth user has a second key, which the portal imports after
			// CreateUser
			List<String> keys = (i % 5 == 0) ? List.of(TestKeys.newEcdsaKey(user), TestKeys.newEcdsaKey(user + "-2"))
					: List.of(TestKeys.newEcdsaKey(user));
			keysByUser.put(user, keys);
			ids.add(requests(instances, i)
				.submitProvision(AwsFixtures.spec(server, user, bucket, key, keys.toArray(String[]::new)), null,
						Actor.person("alice"))
				.id());
		}

		proxy.resetInjected();
		long callsBefore = proxy.counter().snapshot().total();
		proxy.faults(Faults.of(FAULT_SHARE, Fault.values()));
		for (int i = 0; i < ids.size(); i++) {
			requests(instances, i + 1).approve(ids.get(i), Actor.person("bob"), null);
		}
		AccessRequestManagement requests = requests(instances, 0);
		await().atMost(Duration.ofMinutes(5))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(ids.stream().map((id) -> requests.find(id).orElseThrow()))
				.as("requests still under way")
				.allSatisfy((request) -> assertThat(settled(request.status()))
					.as("%d %s %s", request.id(), request.status(), requests.steps(request.id()))
					.isTrue()));
		proxy.faults(Faults.none());
		long faultyCalls = proxy.counter().snapshot().total() - callsBefore;
		Map<Fault, Long> injected = proxy.injected();

		List<RequestView> failed = ids.stream()
			.map((id) -> requests.find(id).orElseThrow())
			.filter((request) -> request.status() == RequestStatus.FAILED)
			.toList();
		Set<String> messages = new HashSet<>();
		for (RequestView request : failed) {
			assertThat(request.failure()).as("request %d", request.id()).isNotBlank();
			assertThat(request.failure()).as("request %d", request.id())
				.doesNotContainPattern(CLASS_NAME)
				.doesNotContain("SdkClientException", "\tat ");
			messages.add(request.failure());
		}

		for (RequestView request : failed) {
			requests.retry(request.id(), Actor.person("alice"));
		}
		await().atMost(Duration.ofMinutes(5))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(ids).allSatisfy((id) -> assertThat(requests.find(id).orElseThrow())
				.satisfies((r) -> assertThat(r.status()).as(r.failure() + "").isEqualTo(RequestStatus.ACTIVE))));

		int duplicates = readBack(instances.get(0), server, key, ids, keysByUser);
		assertThat(duplicates).isZero();
		assertThat(injected.values().stream().mapToLong(Long::longValue).sum()).as("faults injected").isPositive();
		return new Outcome(REQUESTS, faultyCalls, injected, failed.size(), messages, duplicates);
	}

	static boolean settled(RequestStatus status) {
		return status == RequestStatus.ACTIVE || status == RequestStatus.FAILED;
	}

	/**
	 * What AWS holds for the users: each user's role once (and no other role for the
	 * user), with exactly the portal's inline policy; each SSH key once; the key policy
	 * with unique statement ids, each role once, and every role present; every managed
	 * user's checks OK and each request's progress table with each resource once.
	 * @return the duplicates found (the assertions fail on anything else)
	 */
	static int readBack(ConfigurableApplicationContext portal, String server, String key, List<Long> ids,
			Map<String, List<String>> keysByUser) {
		AccessRequestManagement requests = portal.getBean(AccessRequestManagement.class);
		IamClient iam = portal.getBean(IamClient.class);
		TransferClient transfer = portal.getBean(TransferClient.class);
		IamPolicy keyPolicy = Policies.parse(portal.getBean(AwsFixtures.class).keyPolicy(key));
		int duplicates = 0;

		List<String> sids = keyPolicy.statements()
			.stream()
			.map(IamStatement::sid)
			.filter((sid) -> sid != null)
			.toList();
		duplicates += sids.size() - new HashSet<>(sids).size();
		List<String> principals = AwsReadBack.portalPrincipals(keyPolicy);
		duplicates += principals.size() - new HashSet<>(principals).size();

		List<Role> roles = iam.listRolesPaginator((request) -> request.pathPrefix("/"))
			.roles()
			.stream()
			.filter((role) -> keysByUser.keySet().stream().anyMatch((user) -> role.roleName().contains(user + "-")))
			.toList();
		for (long id : ids) {
			RequestView request = requests.find(id).orElseThrow();
			String user = request.userName();
			String roleArn = request.plan().change(ResourceKind.ROLE).orElseThrow().resourceArn();
			String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
			// the dedicated role's name is prefix, user name, '-' and a hash
			String ofUser = roleName.substring(0, roleName.lastIndexOf('-') + 1);
			long rolesOfUser = roles.stream().filter((role) -> role.roleName().startsWith(ofUser)).count();
			assertThat(rolesOfUser).as("roles of %s", user).isEqualTo(1);
			assertThat(iam.listRolePolicies((r) -> r.roleName(roleName)).policyNames())
				.as("inline policies of %s", user)
				.containsExactly("transfer-portal-access");
			assertThat(KeyPolicies.allowsRole(keyPolicy, roleArn, key)).as("%s in the key policy", user).isTrue();

			DescribedUser described = transfer.describeUser((r) -> r.serverId(server).userName(user)).user();
			List<String> material = AwsReadBack.keyMaterial(described);
			duplicates += material.size() - new HashSet<>(material).size();
			assertThat(new HashSet<>(material)).as("keys of %s", user).hasSize(keysByUser.get(user).size());

			assertThat(requests.steps(id)).extracting(RequestStepView::resource)
				.as("progress of %s", user)
				.doesNotHaveDuplicates();
			assertThat(requests.verify(server, user, Actor.person("bob")).checks())
				.allSatisfy((check) -> assertThat(check.status().name()).as(user + " " + check).isEqualTo("OK"));
		}
		assertThat(roles).as("roles for these users").hasSize(ids.size());
		return duplicates;
	}

	private static AccessRequestManagement requests(List<ConfigurableApplicationContext> instances, int i) {
		return instances.get(i % instances.size()).getBean(AccessRequestManagement.class);
	}

	private static Map<String, Object> throughTheProxy() {
		return Map.of("portal.aws.endpoint", proxy.endpoint().toString(), "portal.requests.resume-interval", "500ms");
	}

	/**
	 * What a fault run saw.
	 *
	 * @param requests requests approved together
	 * @param calls AWS calls made while faults were on (retries included)
	 * @param injected faults injected, by kind
	 * @param failedFirst requests that ended FAILED before the retry
	 * @param messages their distinct failure messages
	 * @param duplicates resources found twice in AWS afterwards
	 */
	record Outcome(int requests, long calls, Map<Fault, Long> injected, int failedFirst, Set<String> messages,
			int duplicates) {
	}

}
