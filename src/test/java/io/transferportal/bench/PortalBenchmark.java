package io.transferportal.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

import io.transferportal.provisioning.demo.EmulatorCommand;
import io.transferportal.support.CallCounter;
import io.transferportal.support.FaultProxy;
import io.transferportal.support.TestKeys;

/**
 * The portal's benchmark (issue 11): moto behind a latency-injecting, call-counting
 * proxy, the portal's jar in its own process, and in one run (a) users provisioned
 * through the REST API per second, (b) the same for a plain sequential SDK script, (c)
 * AWS calls per user, (d) one verification sweep, (e) the dashboard and the users API
 * with many managed users, (f) start-up time and resident memory. Prints a table and
 * writes {@code target/benchmark/results.json}. Run with
 * {@code ./mvnw -B -Pbenchmark verify
 * -DskipTests}; the settings are the {@code bench.*} system properties of
 * {@link Settings}.
 */
public final class PortalBenchmark {

	private static final String TICKETING_TOKEN = "bench-ticketing-token-0123456789abcdefghij";

	private static final String APPROVER_TOKEN = "bench-approver-token-0123456789abcdefghijk";

	private static final String APPROVER = "bench-approver";

	private static final String APPROVER_PASSWORD = "bench-approver-password";

	private static final String SSH_KEY = TestKeys.ED25519_A;

	private final Settings settings;

	private final Path out;

	private final Path work;

	private final Path jar;

	private final Results results = new Results();

	private final String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);

	private Process moto;

	private FaultProxy proxy;

	private BenchAws aws;

	private PortalProcess portal;

	private int portalStarts;

	/** The proxy's counts when the portal last reported ready. */
	private CallCounter.Snapshot startingCalls;

	private double peakRss;

	private PortalBenchmark(Settings settings) throws IOException {
		this.settings = settings;
		this.out = Path.of("target", "benchmark").toAbsolutePath();
		Files.createDirectories(this.out);
		this.work = Files.createTempDirectory("portal-benchmark-");
		this.jar = jar();
	}

	public static void main(String[] args) throws Exception {
		Settings settings = Settings.fromSystemProperties();
		PortalBenchmark benchmark = new PortalBenchmark(settings);
		int status = 0;
		try {
			benchmark.run();
		}
		catch (Exception ex) {
			System.err.println("Benchmark failed: " + ex);
			ex.printStackTrace();
			status = 1;
		}
		finally {
			benchmark.stop();
		}
		System.exit(status);
	}

	private void run() throws Exception {
		this.results.section("settings").putAll(this.settings.toMap());
		System.out.println("Benchmark settings: " + this.settings.toMap());
		System.out.println("Working directory (deleted at the end): " + this.work + "; logs in " + this.out);
		URI moto = startMoto();
		this.proxy = FaultProxy.start(moto);
		this.aws = new BenchAws(this.proxy.endpoint());
		String server = this.aws.sftpServer();
		startPortal("empty database", Map.of());
		PortalClient requester = new PortalClient(PortalClient.http(), this.portal.base(), TICKETING_TOKEN);
		PortalClient approver = new PortalClient(PortalClient.http(), this.portal.base(), APPROVER_TOKEN);
		ProvisioningDriver driver = new ProvisioningDriver(requester, approver);
		if (this.settings.runs("provisioning")) {
			String compliantUser = provisioning(server, driver);
			if (this.settings.runs("reapply")) {
				reapply(server, compliantUser, requester, approver);
			}
		}
		if (this.settings.runs("sweep")) {
			sweep(server, driver);
		}
		if (this.settings.runs("web")) {
			web(server, driver);
		}
		if (this.settings.runs("startup")) {
			startups();
		}
		this.results.section("memory").put("peakResidentMb", this.peakRss);
		this.results.row("(f) peak resident memory under load (VmHWM), MB", Results.number(this.peakRss), "");
		this.results.write(this.out.resolve("results.json"));
		System.out.println();
		System.out.println("Machine: " + this.results.section("machine"));
		System.out.println(this.results.table());
		this.results.notes().forEach(System.out::println);
		System.out.println("Every figure: " + this.out.resolve("results.json"));
	}

	/** (a), (b) and (c): the portal and the script at each latency, on both keys. */
	private String provisioning(String server, ProvisioningDriver driver) throws Exception {
		if (this.settings.warmUpUsers() > 0) {
			// the first requests load classes and compile: not what a running portal
			// costs
			System.out.println("Warming up with " + this.settings.warmUpUsers() + " users at 0 ms (not measured)");
			this.proxy.delay(Duration.ZERO);
			driver.provision(server, this.aws.target(this.runId + "-warm", true),
					names("warm", this.settings.warmUpUsers()), SSH_KEY, "BENCH-" + this.runId + "-WARM");
		}
		String compliantUser = null;
		for (int latency : this.settings.latenciesMs()) {
			for (boolean rootDelegating : List.of(true, false)) {
				String key = rootDelegating ? "root-delegating" : "needs-patching";
				String label = latency + " ms, " + key + " key";
				this.proxy.delay(Duration.ZERO);
				BenchAws.Target portalTarget = this.aws
					.target(this.runId + "-p" + latency + (rootDelegating ? "r" : "k"), rootDelegating);
				BenchAws.Target scriptTarget = this.aws
					.target(this.runId + "-s" + latency + (rootDelegating ? "r" : "k"), rootDelegating);
				List<String> portalUsers = names("p" + latency + (rootDelegating ? "r" : "k"), this.settings.users());
				List<String> scriptUsers = names("s" + latency + (rootDelegating ? "r" : "k"), this.settings.users());
				this.proxy.delay(Duration.ofMillis(latency));
				System.out.println("Provisioning " + this.settings.users() + " users through the portal at " + label);
				this.proxy.counter().reset();
				ProvisioningDriver.Timing portalTime = driver.provision(server, portalTarget, portalUsers, SSH_KEY,
						"BENCH-" + this.runId + "-" + latency + (rootDelegating ? "R" : "K"));
				CallCounter.Snapshot portalCalls = this.proxy.counter().snapshot();
				samplePeak();
				System.out.println("Provisioning " + this.settings.users() + " users with the SDK script at " + label);
				this.proxy.counter().reset();
				double scriptSeconds = new SdkScript(this.aws).run(server, scriptTarget, scriptUsers, SSH_KEY);
				CallCounter.Snapshot scriptCalls = this.proxy.counter().snapshot();
				this.proxy.delay(Duration.ZERO);

				int n = this.settings.users();
				double portalRate = n / portalTime.seconds();
				double scriptRate = n / scriptSeconds;
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("latencyMs", latency);
				entry.put("key", key);
				entry.put("users", n);
				Map<String, Object> portalEntry = new LinkedHashMap<>();
				portalEntry.put("api", driver.usedBatches() ? "batch" : "single requests");
				portalEntry.put("seconds", portalTime.seconds());
				portalEntry.put("submittedAndApprovedSeconds", portalTime.submittedSeconds());
				portalEntry.put("usersPerSecond", portalRate);
				portalEntry.put("awsCalls", calls(portalCalls, n));
				if (!rootDelegating) {
					portalEntry.put("rolesInPortalKeyStatement", rolesInPortalStatement(portalTarget.keyArn()));
				}
				entry.put("portal", portalEntry);
				Map<String, Object> scriptEntry = new LinkedHashMap<>();
				scriptEntry.put("seconds", scriptSeconds);
				scriptEntry.put("usersPerSecond", scriptRate);
				scriptEntry.put("awsCalls", calls(scriptCalls, n));
				entry.put("script", scriptEntry);
				entry.put("portalToScriptRatio", portalRate / scriptRate);
				this.results.list("provisioning").add(entry);

				this.results.row("(a) portal users/s, " + label + " (" + portalEntry.get("api") + ")",
						Results.number(portalRate) + " (submitted and approved after "
								+ Results.number(portalTime.submittedSeconds()) + " of "
								+ Results.number(portalTime.seconds()) + " s)",
						"");
				this.results.row("(b) script users/s, " + label, Results.number(scriptRate), "");
				this.results.row("(b) ratio portal/script, " + label, Results.number(portalRate / scriptRate) + "x",
						(latency >= 50) ? ">= 3x" : ">= 0.5x");
				this.results.row("(c) AWS calls per new user, " + label + " (reads/writes)",
						Results.number(portalCalls.total() / (double) n) + " ("
								+ Results.number(portalCalls.reads() / (double) n) + "/"
								+ Results.number(portalCalls.writes() / (double) n) + ")",
						rootDelegating ? "<= 9" : "");
				if (!rootDelegating) {
					this.results.row("(c) PutKeyPolicy calls, roles in the portal's statement, " + label,
							portalCalls.byName().getOrDefault("kms:PutKeyPolicy", 0L) + ", "
									+ portalEntry.get("rolesInPortalKeyStatement") + " of " + n,
							"1 per key per wave, 0 lost");
				}
				this.results.note("(c) AWS calls per new user by operation, " + label + ": " + perUser(portalCalls, n));
				if (rootDelegating && compliantUser == null) {
					compliantUser = portalUsers.get(0);
				}
			}
		}
		return compliantUser;
	}

	/** (c) A REPAIR of a user that is as approved: reads only. */
	private void reapply(String server, String user, PortalClient requester, PortalClient approver)
			throws InterruptedException {
		System.out.println("Re-applying compliant user " + user);
		this.proxy.delay(Duration.ZERO);
		this.proxy.counter().reset();
		long id = requester
			.post("/api/v1/users/" + server + "/" + user + "/repair?ticketRef=BENCH-" + this.runId + "-REPAIR", null)
			.expect(200, 201, 202)
			.json()
			.get("id")
			.asLong();
		approver.post("/api/v1/requests/" + id + "/approve", Map.of("comment", "benchmark")).expect(200);
		String status = "";
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
		while (!status.equals("ACTIVE") && System.nanoTime() < deadline) {
			Thread.sleep(100);
			status = requester.get("/api/v1/requests/" + id).expect(200).json().get("status").asString();
			if (status.equals("FAILED") || status.equals("NEEDS_REAPPROVAL")) {
				throw new IllegalStateException("The repair of " + user + " is " + status);
			}
		}
		CallCounter.Snapshot calls = this.proxy.counter().snapshot();
		Map<String, Object> reapply = this.results.section("reapply");
		reapply.put("user", user);
		reapply.put("status", status);
		reapply.put("awsCalls", calls(calls, 1));
		this.results.note("(c) re-apply of a compliant user by operation: " + calls.byName());
		this.results.row("(c) re-apply of a compliant user: AWS calls (reads/writes)",
				calls.total() + " (" + calls.reads() + "/" + calls.writes() + ")", "0 writes");
	}

	/** (d) One verification sweep, triggered by a restart with a short interval. */
	private void sweep(String server, ProvisioningDriver driver) throws Exception {
		PortalClient requester = new PortalClient(PortalClient.http(), this.portal.base(), TICKETING_TOKEN);
		int managed = (int) requester.get("/api/v1/users?size=1").expect(200).json().get("totalItems").asLong();
		int missing = this.settings.sweepUsers() - managed;
		if (missing > 0) {
			System.out.println("Provisioning " + missing + " more users for the sweep at 0 ms");
			this.proxy.delay(Duration.ZERO);
			BenchAws.Target target = this.aws.target(this.runId + "-sweep", true);
			driver.provision(server, target, names("w", missing), SSH_KEY, "BENCH-" + this.runId + "-SWEEP");
			samplePeak();
		}
		int users = (int) requester.get("/api/v1/users?size=1").expect(200).json().get("totalItems").asLong();
		stopPortal();
		System.out
			.println("Restarting the portal with a short verification interval for one sweep of " + users + " users");
		Duration interval = Duration.ofSeconds(15);
		Instant restarted = Instant.now();
		// counted from before the start, so that a sweep that begins before the portal
		// reports ready is counted whole; the calls made until then are reported beside
		this.proxy.counter().reset();
		startPortal("sweep restart (" + users + " users)",
				Map.of("portal.requests.verification-interval", interval.toSeconds() + "s"));
		CallCounter.Snapshot starting = this.startingCalls;
		requester = new PortalClient(PortalClient.http(), this.portal.base(), TICKETING_TOKEN);
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
		while (!allVerifiedSince(requester, restarted)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The sweep did not finish within 20 minutes");
			}
			Thread.sleep(500);
		}
		long done = System.nanoTime();
		CallCounter.Snapshot calls = this.proxy.counter().snapshot();
		samplePeak();
		if (starting.total() > 0) {
			System.out.println("AWS calls while the portal started: " + starting.byName());
		}
		double seconds = (calls.firstNanos() == Long.MIN_VALUE) ? Double.NaN : (done - calls.firstNanos()) / 1e9;
		Map<String, Object> sweep = this.results.section("sweep");
		sweep.put("users", users);
		sweep.put("seconds", seconds);
		sweep.put("awsSeconds", calls.seconds());
		sweep.put("awsCalls", calls(calls, users));
		sweep.put("awsCallsWhileStarting", starting.byName());
		this.results.note("(d) sweep AWS calls per user by operation: " + perUser(calls, users));
		this.results.row("(d) verification sweep of " + users + " users: AWS calls per user",
				Results.number(calls.total() / (double) users), "<= 2.1");
		this.results.row("(d) verification sweep of " + users + " users: seconds", Results.number(seconds), "");
	}

	private static boolean allVerifiedSince(PortalClient client, Instant since) {
		for (int page = 0;; page++) {
			JsonNode result = client.get("/api/v1/users?size=100&page=" + page).expect(200).json();
			for (JsonNode user : result.get("items")) {
				JsonNode verified = user.get("verifiedAt");
				if (verified == null || verified.isNull() || Instant.parse(verified.asString()).isBefore(since)) {
					return false;
				}
			}
			if (page + 1 >= result.get("totalPages").asInt()) {
				return true;
			}
		}
	}

	/** (e) The dashboard and the users API with many managed users in the database. */
	private void web(String server, ProvisioningDriver driver) throws Exception {
		PortalClient requester = new PortalClient(PortalClient.http(), this.portal.base(), TICKETING_TOKEN);
		if (requester.get("/api/v1/users?size=1").expect(200).json().get("totalItems").asLong() == 0) {
			// the seeded users are copies of a provisioned one
			System.out.println("Provisioning one user to copy at 0 ms");
			this.proxy.delay(Duration.ZERO);
			driver.provision(server, this.aws.target(this.runId + "-web", true), names("template", 1), SSH_KEY,
					"BENCH-" + this.runId + "-WEB");
		}
		stopPortal();
		String jdbc = jdbcUrl();
		int present = ManagedUserSeeder.count(jdbc);
		int seeded = Math.max(0, this.settings.managedUsers() - present);
		System.out.println("Seeding " + seeded + " managed users into the database (" + present + " there)");
		long start = System.nanoTime();
		ManagedUserSeeder.seed(jdbc, seeded, "seed-" + this.runId + "-");
		double seedSeconds = (System.nanoTime() - start) / 1e9;
		int managed = ManagedUserSeeder.count(jdbc);
		startPortal(managed + " managed users", Map.of());
		URI base = this.portal.base();
		Map<String, Object> web = this.results.section("web");
		web.put("managedUsers", managed);
		web.put("seedSeconds", seedSeconds);
		web.put("clients", ProvisioningDriver.THREADS);

		List<HttpClient> sessions = new ArrayList<>();
		for (int i = 0; i < ProvisioningDriver.THREADS; i++) {
			sessions.add(WebSession.signIn(base, APPROVER, APPROVER_PASSWORD));
		}
		int dashboardPages = Math.max(1, managed / 50);
		System.out.println("Loading the dashboard with " + sessions.size() + " signed-in clients");
		LoadRun.Result dashboard = LoadRun.run(sessions,
				(n) -> HttpRequest.newBuilder(base.resolve("/dashboard?page=" + (1 + n % dashboardPages)))
					.timeout(Duration.ofSeconds(60))
					.build(),
				this.settings.warmUpSeconds(), this.settings.loadSeconds());
		web.put("dashboard", dashboard.toMap());
		samplePeak();

		List<HttpClient> clients = Stream.generate(PortalClient::http).limit(ProvisioningDriver.THREADS).toList();
		int apiPages = Math.max(1, managed / 50);
		String[] kinds = { "paged", "q", "health" };
		System.out.println("Loading GET /api/v1/users with " + clients.size() + " clients");
		LoadRun.Result api = LoadRun.run(clients, (n) -> HttpRequest.newBuilder(base.resolve(switch (n % 3) {
			case 0 -> "/api/v1/users?size=50&page=" + ((n / 3) % apiPages);
			case 1 -> "/api/v1/users?size=50&q=seed-&page=" + ((n / 3) % 20);
			default -> "/api/v1/users?size=50&health=DRIFT&page=" + ((n / 3) % Math.max(1, apiPages / 10));
		}))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Bearer " + TICKETING_TOKEN)
			.header("Accept", "application/json")
			.build(), this.settings.warmUpSeconds(), this.settings.loadSeconds());
		web.put("usersApi", api.toMap());
		web.put("usersApiMix", Arrays.asList(kinds));
		samplePeak();

		String percentiles = "p50 %s, p95 %s, p99 %s ms; %s req/s";
		this.results.row("(e) dashboard, " + managed + " users, 8 clients",
				String.format(percentiles, Results.number(dashboard.p50()), Results.number(dashboard.p95()),
						Results.number(dashboard.p99()), Results.number(dashboard.requestsPerSecond()))
						+ errors(dashboard),
				"p95 <= 50 ms");
		this.results.row("(e) GET /api/v1/users (paged, q=, health=), 8 clients",
				String.format(percentiles, Results.number(api.p50()), Results.number(api.p95()),
						Results.number(api.p99()), Results.number(api.requestsPerSecond())) + errors(api),
				">= 2,000 req/s");
	}

	private static String errors(LoadRun.Result result) {
		return (result.errors() > 0) ? "; " + result.errors() + " errors" : "";
	}

	/**
	 * (f) Start-up to ready and idle memory: the median over the last starts, on the
	 * final database.
	 */
	private void startups() throws Exception {
		for (int i = 1; i < this.settings.starts(); i++) {
			stopPortal();
			startPortal("restart " + i, Map.of());
		}
		List<Object> starts = this.results.list("startups");
		int counted = Math.min(this.settings.starts(), starts.size());
		List<Object> last = starts.subList(starts.size() - counted, starts.size());
		double seconds = median(last.stream().mapToDouble((s) -> (double) ((Map<?, ?>) s).get("seconds")).toArray());
		double idle = median(
				last.stream().mapToDouble((s) -> (double) ((Map<?, ?>) s).get("idleResidentMb")).toArray());
		Map<String, Object> startup = this.results.section("startup");
		startup.put("counted", counted);
		startup.put("medianSeconds", seconds);
		startup.put("medianIdleResidentMb", idle);
		this.results.row("(f) start-up to ready, median of " + counted + ", s", Results.number(seconds), "<= 8 s");
		this.results.row("(f) idle resident memory (VmRSS), median of " + counted + ", MB", Results.number(idle),
				"<= 400 MB");
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	private Map<String, Object> calls(CallCounter.Snapshot snapshot, int users) {
		Map<String, Object> calls = new LinkedHashMap<>();
		calls.put("total", snapshot.total());
		calls.put("reads", snapshot.reads());
		calls.put("writes", snapshot.writes());
		calls.put("perUser", snapshot.total() / (double) users);
		calls.put("readsPerUser", snapshot.reads() / (double) users);
		calls.put("writesPerUser", snapshot.writes() / (double) users);
		calls.put("byOperation", snapshot.byName());
		Map<String, Double> perUser = new LinkedHashMap<>();
		snapshot.byName().forEach((name, count) -> perUser.put(name, count / (double) users));
		calls.put("byOperationPerUser", perUser);
		return calls;
	}

	private static String perUser(CallCounter.Snapshot snapshot, int users) {
		StringBuilder text = new StringBuilder();
		snapshot.byName()
			.forEach((name, count) -> text.append((text.length() > 0) ? ", " : "")
				.append(name)
				.append(' ')
				.append(Results.number(count / (double) users)));
		return text.toString();
	}

	/** Principals in the portal's own key-policy statement: every role it added. */
	private int rolesInPortalStatement(String keyArn) {
		String policy = this.aws.kms.getKeyPolicy((request) -> request.keyId(keyArn).policyName("default")).policy();
		for (JsonNode statement : PortalClient.JSON.readTree(policy).get("Statement")) {
			JsonNode sid = statement.get("Sid");
			if (sid != null && sid.asString().startsWith("TransferPortal")) {
				JsonNode principal = statement.path("Principal").path("AWS");
				return principal.isArray() ? principal.size() : (principal.isMissingNode() ? 0 : 1);
			}
		}
		return 0;
	}

	private List<String> names(String prefix, int count) {
		return IntStream.range(0, count)
			.mapToObj((i) -> "b" + this.runId + prefix + "-" + String.format("%05d", i))
			.toList();
	}

	private void startPortal(String label, Map<String, String> extra) throws Exception {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", String.valueOf(freePort()));
		properties.put("spring.datasource.url", jdbcUrl() + ";LOCK_TIMEOUT=60000;DB_CLOSE_ON_EXIT=FALSE");
		// named, so that the seeder signs in to the same database as the portal
		properties.put("spring.datasource.username", ManagedUserSeeder.USER);
		properties.put("spring.datasource.password", ManagedUserSeeder.PASSWORD);
		properties.put("portal.aws.endpoint", this.proxy.endpoint().toString());
		properties.put("portal.aws.region", BenchAws.REGION);
		// moto shows a new role at once: no IAM propagation to wait for
		properties.put("portal.provisioning.iam-propagation.delay", "10ms");
		properties.put("portal.provisioning.iam-propagation.max-delay", "50ms");
		// the benchmark measures provisioning, not the per-token rate limit
		properties.put("portal.api.requests-per-minute", "1000000");
		properties.put("portal.requests.verification-interval", "1000d");
		properties.put("portal.bootstrap.accounts[0].username", APPROVER);
		properties.put("portal.bootstrap.accounts[0].password", APPROVER_PASSWORD);
		properties.put("portal.bootstrap.accounts[0].roles", "APPROVER");
		properties.put("portal.bootstrap.accounts[0].api-token", APPROVER_TOKEN);
		properties.put("portal.bootstrap.api-clients[0].name", "bench-ticketing");
		properties.put("portal.bootstrap.api-clients[0].token", TICKETING_TOKEN);
		properties.put("portal.bootstrap.api-clients[0].scopes", "requests:read,requests:write");
		properties.putAll(this.settings.portalProperties());
		properties.putAll(extra);
		this.portalStarts++;
		Path log = this.out.resolve("portal-" + this.portalStarts + ".log");
		Files.deleteIfExists(log);
		System.out.println("Starting the portal (" + label + ")");
		this.portal = PortalProcess.start(this.jar, this.settings.portalJvmArgs(), properties, log);
		this.startingCalls = this.proxy.counter().snapshot();
		Thread.sleep((long) (this.settings.idleSeconds() * 1000));
		double idle = this.portal.residentMegabytes();
		Map<String, Object> start = new LinkedHashMap<>();
		start.put("label", label);
		start.put("seconds", this.portal.startSeconds());
		start.put("idleResidentMb", idle);
		this.results.list("startups").add(start);
		this.results.row("(f) start-up to ready (" + label + "), s; idle RSS MB",
				Results.number(this.portal.startSeconds()) + "; " + Results.number(idle), "");
	}

	private void stopPortal() throws InterruptedException {
		if (this.portal != null) {
			samplePeak();
			this.portal.close();
			this.portal = null;
		}
	}

	private void samplePeak() {
		if (this.portal != null) {
			double peak = this.portal.peakResidentMegabytes();
			if (!Double.isNaN(peak)) {
				this.peakRss = Math.max(this.peakRss, peak);
			}
		}
	}

	private String jdbcUrl() {
		return "jdbc:h2:file:" + this.work.resolve("portal").toAbsolutePath();
	}

	private void stop() {
		try {
			stopPortal();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.aws != null) {
			this.aws.close();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.moto != null) {
			this.moto.destroy();
			try {
				this.moto.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		// the database and the emulator's script; the logs stay in target/benchmark
		try (Stream<Path> files = Files.walk(this.work)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			System.err.println("Could not delete " + this.work + ": " + ex.getMessage());
		}
	}

	private URI startMoto() throws IOException, InterruptedException {
		int port = freePort();
		this.moto = new ProcessBuilder(EmulatorCommand.of(this.work.resolve("moto"), "127.0.0.1", port))
			.redirectErrorStream(true)
			.redirectOutput(this.out.resolve("moto.log").toFile())
			.start();
		URI uri = URI.create("http://127.0.0.1:" + port);
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (System.nanoTime() < deadline) {
			if (!this.moto.isAlive()) {
				throw new IllegalStateException("moto_server exited; see " + this.out.resolve("moto.log"));
			}
			try {
				HttpURLConnection connection = (HttpURLConnection) uri.resolve("/moto-api/").toURL().openConnection();
				connection.setConnectTimeout(500);
				if (connection.getResponseCode() == 200) {
					return uri;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("moto_server did not answer within 2 minutes");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static Path jar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter((file) -> file.getFileName().toString().matches("transfer-portal-.*\\.jar"))
				.findFirst()
				.map(Path::toAbsolutePath)
				.orElseThrow(() -> new IllegalStateException(
						"No target/transfer-portal-*.jar: build it first (./mvnw -B -Pbenchmark verify -DskipTests)"));
		}
	}

}
