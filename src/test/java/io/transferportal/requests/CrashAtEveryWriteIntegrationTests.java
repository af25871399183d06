package io.transferportal.requests;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.transfer.model.DescribedUser;
import software.amazon.awssdk.services.transfer.model.TransferException;

import io.transferportal.provisioning.aws.AwsErrors;
import io.transferportal.provisioning.policy.KeyPolicies;
import io.transferportal.provisioning.policy.Policies;
import io.transferportal.support.AwsCall;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.AwsReadBack;
import io.transferportal.support.FaultProxy;
import io.transferportal.support.LongTests;
import io.transferportal.support.MotoClients;
import io.transferportal.support.MotoServer;
import io.transferportal.support.PortalApi;
import io.transferportal.support.PortalJvm;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The portal as a real process, killed with SIGKILL at every boundary between two AWS
 * writes of a provision and of a deprovision: request k is killed when its write k + 1
 * reaches AWS (write k done, k + 1 not), or once AWS applied write k but before its
 * answer reaches the portal ({@link KillPoint}), and each time a portal restarted on the
 * same database (an H2 file, as the default installation has) finishes the request. The
 * restarted portal is then the one killed at the next boundary, of the next request.
 * Afterwards AWS holds nothing twice and every request's progress table has each resource
 * once, done.
 */
@Tag(LongTests.TAG)
class CrashAtEveryWriteIntegrationTests {

	/**
	 * More than any provision or deprovision writes: the loop ends when one is not
	 * killed.
	 */
	static final int MAX_BOUNDARIES = 12;

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@ParameterizedTest
	@EnumSource(KillPoint.class)
	void aPortalKilledBetweenAnyTwoAwsWritesIsFinishedByTheRestartedOne(KillPoint point) throws Exception {
		Path dir = Files.createDirectories(Path.of("target", AwsFixtures.unique("crash")).toAbsolutePath());
		String database = "jdbc:h2:file:" + dir.resolve("portal") + ";LOCK_TIMEOUT=60000;WRITE_DELAY=0";
		try (FaultProxy proxy = FaultProxy.start(MotoServer.endpoint()); MotoClients aws = MotoClients.create()) {
			AwsFixtures fixtures = aws.fixtures();
			String server = fixtures.sftpServer();
			String key = fixtures.keyWithoutRootDelegation();
			Chain chain = new Chain(proxy, point, settings(database, proxy), dir.resolve("portal.log"));
			try {
				String prefix = AwsFixtures.unique("kill");
				Map<String, Long> provisioned = new LinkedHashMap<>();
				Map<String, List<String>> keysByUser = new HashMap<>();
				int provisionBoundaries = 0;
				for (int boundary = 1; boundary <= MAX_BOUNDARIES; boundary++) {
					String user = prefix + "-" + boundary;
					// a bucket without encryption and two keys: every write a provision
					// has
					List<String> keys = List.of(TestKeys.newEcdsaKey(user), TestKeys.newEcdsaKey(user + "-2"));
					keysByUser.put(user, keys);
					long id = chain.submitProvision(server, user, fixtures.bucket(), key, keys);
					boolean killed = chain.approveAndKillAt(id, boundary);
					chain.awaitStatus(id, "ACTIVE");
					provisioned.put(user, id);
					if (!killed) {
						break;
					}
					provisionBoundaries = boundary;
				}
				assertThat(provisionBoundaries).as("boundaries between provision writes").isGreaterThanOrEqualTo(5);

				List<String> users = new ArrayList<>(provisioned.keySet());
				Map<String, Long> deprovisioned = new LinkedHashMap<>();
				int deprovisionBoundaries = 0;
				for (int boundary = 1; boundary <= users.size(); boundary++) {
					String user = users.get(boundary - 1);
					long id = chain.submitDeprovision(server, user);
					boolean killed = chain.approveAndKillAt(id, boundary);
					chain.awaitStatus(id, "DELETED");
					deprovisioned.put(user, id);
					if (!killed) {
						break;
					}
					deprovisionBoundaries = boundary;
				}
				assertThat(deprovisionBoundaries).as("boundaries between deprovision writes").isGreaterThanOrEqualTo(2);
				System.out.println("Crash run (" + point + "): " + chain.kills() + " SIGKILLs, " + provisionBoundaries
						+ " provision and " + deprovisionBoundaries + " deprovision boundaries, " + (chain.kills() + 1)
						+ " portal processes");

				IamPolicy keyPolicy = Policies.parse(fixtures.keyPolicy(key));
				List<String> principals = AwsReadBack.portalPrincipals(keyPolicy);
				assertThat(principals).as("roles in the key policy").doesNotHaveDuplicates();
				for (String user : users) {
					String roleArn = chain.roleArn(provisioned.get(user));
					String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
					if (deprovisioned.containsKey(user)) {
						assertThatExceptionOfType(TransferException.class)
							.isThrownBy(() -> aws.transfer().describeUser((r) -> r.serverId(server).userName(user)))
							.satisfies((ex) -> assertThat(AwsErrors.isNotFound(ex)).isTrue());
						assertThatExceptionOfType(NoSuchEntityException.class)
							.isThrownBy(() -> aws.iam().getRole((r) -> r.roleName(roleName)));
						assertThat(KeyPolicies.allowsRole(keyPolicy, roleArn, key)).as(user).isFalse();
					}
					else {
						DescribedUser described = aws.transfer()
							.describeUser((r) -> r.serverId(server).userName(user))
							.user();
						List<String> material = AwsReadBack.keyMaterial(described);
						assertThat(material).as("keys of %s", user).doesNotHaveDuplicates().hasSize(2);
						assertThat(aws.iam().listRolePolicies((r) -> r.roleName(roleName)).policyNames())
							.containsExactly("transfer-portal-access");
						assertThat(KeyPolicies.allowsRole(keyPolicy, roleArn, key)).as(user).isTrue();
					}
				}
			}
			finally {
				chain.close();
			}
			// the progress tables, read from the database the dead and the restarted
			// portals shared
			List<Long> ids = new ArrayList<>(chain.requests());
			try (Connection connection = DriverManager.getConnection(database, "sa", "")) {
				for (long id : ids) {
					List<String> resources = new ArrayList<>();
					try (PreparedStatement query = connection
						.prepareStatement("select resource, status from request_step where request_id = ?")) {
						query.setLong(1, id);
						try (ResultSet rows = query.executeQuery()) {
							while (rows.next()) {
								resources.add(rows.getString(1));
								assertThat(rows.getString(2)).as("request %d, %s", id, rows.getString(1))
									.isEqualTo("DONE");
							}
						}
					}
					assertThat(resources).as("progress of request %d", id).isNotEmpty().doesNotHaveDuplicates();
				}
			}
		}
	}

	private static Map<String, String> settings(String database, FaultProxy proxy) throws IOException {
		Map<String, String> settings = new LinkedHashMap<>();
		try (ServerSocket socket = new ServerSocket(0)) {
			settings.put("server.port", String.valueOf(socket.getLocalPort()));
		}
		settings.put("spring.datasource.url", database);
		settings.put("spring.datasource.username", "sa");
		settings.put("spring.datasource.password", "");
		settings.put("portal.aws.endpoint", proxy.endpoint().toString());
		settings.put("portal.aws.region", "us-east-1");
		settings.putAll(Map.of("portal.provisioning.iam-propagation.delay", "10ms",
				"portal.provisioning.iam-propagation.max-delay", "50ms"));
		// a dead instance's run is taken over after its lease
		settings.put("portal.requests.lease", "3s");
		settings.put("portal.requests.resume-interval", "500ms");
		return settings;
	}

	/** Where between two writes the portal dies. */
	enum KillPoint {

		/** Write k answered, write k + 1 not sent yet: killed as it reaches AWS. */
		BEFORE_NEXT_WRITE,

		/**
		 * Write k applied by AWS, its answer on the way: killed before it arrives, so the
		 * restarted portal finds a write done that its progress table shows as running.
		 */
		BEFORE_THE_ANSWER

	}

	/**
	 * One portal process at a time: the one killed at a boundary is replaced by a new one
	 * on the same database and port.
	 */
	static final class Chain implements AutoCloseable {

		private final FaultProxy proxy;

		private final KillPoint point;

		private final Map<String, String> settings;

		private final Path log;

		private final List<Long> requests = new ArrayList<>();

		private PortalJvm portal;

		private int kills;

		Chain(FaultProxy proxy, KillPoint point, Map<String, String> settings, Path log) throws Exception {
			this.proxy = proxy;
			this.point = point;
			this.settings = settings;
			this.log = log;
			this.portal = PortalJvm.start(settings, log);
		}

		long submitProvision(String server, String user, String bucket, String key, List<String> keys)
				throws Exception {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("ticketRef", "CRASH-" + user);
			body.put("serverId", server);
			body.put("userName", user);
			body.put("bucket", bucket);
			body.put("kmsKeyArn", key);
			body.put("sshPublicKeys", keys);
			return created(send("POST", "/api/v1/requests", PortalApi.SERVICENOW, body));
		}

		long submitDeprovision(String server, String user) throws Exception {
			return created(send("DELETE", "/api/v1/users/" + server + "/" + user + "?ticketRef=CRASH-DEL-" + user,
					PortalApi.SERVICENOW, null));
		}

		private long created(HttpResponse<String> response) {
			assertThat(response.statusCode()).as(response.body()).isBetween(200, 202);
			long id = PortalApi.id(response.body());
			this.requests.add(id);
			return id;
		}

		/**
		 * Approves, and kills the portal at the boundary after the run's write
		 * {@code boundary}: when write {@code boundary + 1} reaches AWS (dropped unsent),
		 * or once AWS applied write {@code boundary} (its answer dropped); then starts a
		 * new portal.
		 * @return whether the portal was killed (the run had that many writes)
		 */
		boolean approveAndKillAt(long id, int boundary) throws Exception {
			AtomicInteger writes = new AtomicInteger();
			AtomicBoolean killed = new AtomicBoolean();
			AtomicReference<AwsCall> last = new AtomicReference<>();
			PortalJvm victim = this.portal;
			int fatal = (this.point == KillPoint.BEFORE_NEXT_WRITE) ? boundary + 1 : boundary;
			Predicate<AwsCall> kill = (call) -> {
				victim.kill();
				killed.set(true);
				return true;
			};
			this.proxy.interceptor((call) -> {
				if (call.read() || killed.get() || writes.incrementAndGet() != fatal) {
					return false;
				}
				if (this.point == KillPoint.BEFORE_THE_ANSWER) {
					last.set(call);
					return false;
				}
				return kill.test(call);
			});
			this.proxy.afterApplied((call) -> call == last.get() && kill.test(call));
			try {
				HttpResponse<String> approved = send("POST", "/api/v1/requests/" + id + "/approve", PortalApi.BOB,
						Map.of());
				assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
				await().atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofMillis(200))
					.ignoreExceptions()
					.until(() -> killed.get() || settled(status(id)));
			}
			finally {
				this.proxy.interceptor(null);
				this.proxy.afterApplied(null);
			}
			if (killed.get()) {
				this.kills++;
				this.portal = PortalJvm.start(this.settings, this.log);
			}
			return killed.get();
		}

		void awaitStatus(long id, String expected) {
			await().atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofMillis(200))
				.untilAsserted(() -> assertThat(status(id)).as("request %d", id).isEqualTo(expected));
		}

		String roleArn(long id) throws Exception {
			String body = send("GET", "/api/v1/requests/" + id, PortalApi.REPORTING, null).body();
			List<String> arns = JsonPath.read(body, "$.plan.changes[?(@.resource == 'ROLE')].resourceArn");
			return arns.get(0);
		}

		private String status(long id) throws Exception {
			return JsonPath.read(send("GET", "/api/v1/requests/" + id, PortalApi.REPORTING, null).body(), "$.status");
		}

		private static boolean settled(String status) {
			return List.of("ACTIVE", "DELETED", "FAILED", "NEEDS_REAPPROVAL").contains(status);
		}

		private HttpResponse<String> send(String method, String path, String token, Object body) throws Exception {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.portal.base() + path))
				.timeout(Duration.ofSeconds(30))
				.header("Authorization", "Bearer " + token);
			if (body != null) {
				request.header("Content-Type", "application/json")
					.method(method, HttpRequest.BodyPublishers.ofString(PortalApi.JSON.writeValueAsString(body)));
			}
			else {
				request.method(method, HttpRequest.BodyPublishers.noBody());
			}
			return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

		int kills() {
			return this.kills;
		}

		List<Long> requests() {
			return new ArrayList<>(new HashSet<>(this.requests));
		}

		@Override
		public void close() throws InterruptedException {
			this.portal.close();
		}

	}

}
