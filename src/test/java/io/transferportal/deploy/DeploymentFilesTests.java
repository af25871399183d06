package io.transferportal.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files against the code and the build, so that neither can change without
 * the other: the Dockerfile against the pom, the actuator and the chart; the compose
 * trial against the properties its variables set; the Grafana dashboard against the
 * metrics the code publishes; the Terraform module against the IAM policy templates it
 * renders.
 */
class DeploymentFilesTests {

	static final Path DOCKERFILE = Path.of("Dockerfile");

	static final Path COMPOSE = Path.of("deploy", "docker-compose.yml");

	static final Path DASHBOARD = Path.of("deploy", "grafana", "transfer-portal.json");

	static final Path TERRAFORM = Path.of("deploy", "terraform");

	static final Path VALUES = Path.of("deploy", "helm", "transfer-portal", "values.yaml");

	static final Path MAIN_CODE = Path.of("src", "main", "java");

	static final Path METRICS_TEST = Path.of("src", "test", "java", "io", "transferportal",
			"PrometheusMetricsIntegrationTests.java");

	/** Spring Boot's default server.port, which application.properties leaves alone. */
	static final int SERVER_PORT = 8080;

	static final String LIVENESS = "/actuator/health/liveness";

	// Dockerfile

	@Test
	void theDockerfileExtractsTheJarThePomBuilds() throws Exception {
		String dockerfile = DeployFiles.read(DOCKERFILE);
		Matcher jar = Pattern.compile("target/([\\w.-]+)-\\*\\.jar").matcher(dockerfile);
		assertThat(jar.find()).as("a target/<artifactId>-*.jar in the Dockerfile").isTrue();
		assertThat(jar.group(1)).isEqualTo(pom("artifactId"));
	}

	@Test
	void theDockerfilesBaseImagesRunThePomsJavaVersion() throws Exception {
		List<String> versions = Pattern.compile("(?m)^FROM eclipse-temurin:(\\d+)-")
			.matcher(DeployFiles.read(DOCKERFILE))
			.results()
			.map((from) -> from.group(1))
			.toList();
		assertThat(versions).as("the build and the run stage").hasSize(2).containsOnly(pom("properties/java.version"));
	}

	@Test
	void theDockerfilesHealthCheckProbesLivenessOnTheServerPort() {
		String dockerfile = DeployFiles.read(DOCKERFILE);
		Matcher check = Pattern.compile("HEALTHCHECK[^\\n]*\\\\\\n\\s*CMD [^\\n]*http://127\\.0\\.0\\.1:(\\d+)(/\\S+)")
			.matcher(dockerfile);
		assertThat(check.find()).as("HEALTHCHECK ... CMD curl http://127.0.0.1:<port><path>").isTrue();
		assertThat(Integer.parseInt(check.group(1))).isEqualTo(SERVER_PORT);
		assertThat(check.group(2)).isEqualTo(LIVENESS);
		assertThat(DeployFiles.applicationProperties().getProperty("management.endpoint.health.probes.enabled"))
			.isEqualTo("true");
		assertThat(DeployFiles.applicationProperties()).doesNotContainKeys("server.port", "management.server.port");
		assertThat(single(dockerfile, "(?m)^EXPOSE (\\d+)$")).isEqualTo(String.valueOf(SERVER_PORT));
	}

	@Test
	void theDockerfilesUserIsTheChartsRunAsUser() {
		String dockerfile = DeployFiles.read(DOCKERFILE);
		String user = single(dockerfile, "(?m)^USER (\\d+)$");
		assertThat(single(dockerfile, "useradd [^\\n]*--uid (\\d+)")).isEqualTo(user);
		Map<String, Object> values = DeployFiles.yaml(VALUES);
		assertThat(DeployFiles.at(values, "podSecurityContext", "runAsUser")).hasToString(user);
		assertThat(DeployFiles.at(values, "securityContext", "runAsUser")).hasToString(user);
	}

	// docker-compose.yml

	@Test
	void theComposeTrialRunsThePortalOnPostgresAndMoto() {
		Map<String, Object> services = DeployFiles.map(DeployFiles.yaml(COMPOSE).get("services"));
		assertThat(services).containsOnlyKeys("portal", "postgres", "moto");
		assertThat(DeployFiles.at(services, "postgres", "image")).isEqualTo("postgres:16");
		// the moto version the tests run (.ci/run), which transfer_extensions.py patches
		String moto = single(DeployFiles.read(Path.of(".ci", "run")), "moto\\[server]==([\\d.]+)");
		assertThat(DeployFiles.at(services, "moto", "image")).isEqualTo("motoserver/moto:" + moto);
		assertThat(DeployFiles.map(services.get("postgres"))).containsKey("healthcheck");
		assertThat(DeployFiles.map(services.get("moto"))).containsKey("healthcheck");
		assertThat(DeployFiles.at(services, "portal", "depends_on", "postgres", "condition"))
			.isEqualTo("service_healthy");
		assertThat(DeployFiles.at(services, "portal", "depends_on", "moto", "condition")).isEqualTo("service_healthy");
		// built from the top-level Dockerfile
		Path context = COMPOSE.getParent()
			.resolve(String.valueOf(DeployFiles.at(services, "portal", "build", "context")));
		assertThat(
				context.resolve(String.valueOf(DeployFiles.at(services, "portal", "build", "dockerfile"))).normalize())
			.isEqualTo(DOCKERFILE);
		// the script moto runs is the one in the code
		for (Object volume : DeployFiles.list(DeployFiles.at(services, "moto", "volumes"))) {
			assertThat(COMPOSE.getParent().resolve(String.valueOf(volume).split(":")[0])).isRegularFile();
		}
	}

	@Test
	void theComposeTrialIsReachableFromThisMachineOnly() {
		Map<String, Object> services = DeployFiles.map(DeployFiles.yaml(COMPOSE).get("services"));
		assertThat(DeployFiles.list(DeployFiles.at(services, "portal", "ports")))
			.containsExactly("127.0.0.1:" + SERVER_PORT + ":" + SERVER_PORT);
		// the demo accounts' well-known passwords: nothing else is published
		assertThat(DeployFiles.map(services.get("postgres"))).doesNotContainKey("ports");
		assertThat(DeployFiles.map(services.get("moto"))).doesNotContainKey("ports");
		assertThat(DeployFiles.at(services, "portal", "read_only")).isEqualTo(true);
		assertThat(DeployFiles.list(DeployFiles.at(services, "portal", "tmpfs"))).contains("/tmp");
	}

	@Test
	void theComposeTrialsVariablesBindToRealProperties() throws Exception {
		Map<String, Object> services = DeployFiles.map(DeployFiles.yaml(COMPOSE).get("services"));
		Map<String, Object> portal = DeployFiles.map(DeployFiles.at(services, "portal", "environment"));
		for (String variable : portal.keySet()) {
			assertThat(DeployFiles.propertyOf(variable)).as("the property %s binds to", variable).isNotNull();
		}
		assertThat(DeployFiles.propertyOf("PORTAL_AWS_ENDPOINT")).isEqualTo("portal.aws.endpoint");
		assertThat(portal.get("PORTAL_AWS_ENDPOINT")).isEqualTo("http://moto:5000");
		Map<String, Object> postgres = DeployFiles.map(DeployFiles.at(services, "postgres", "environment"));
		assertThat(portal.get("SPRING_DATASOURCE_URL"))
			.isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"));
		assertThat(portal.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(postgres.get("POSTGRES_USER"));
		assertThat(portal.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
		// the demo profile seeds moto, and what it sets for a lone laptop the environment
		// overrides
		assertThat(portal.get("SPRING_PROFILES_ACTIVE")).isEqualTo("demo");
		Properties demo = new Properties();
		try (InputStream in = Files
			.newInputStream(Path.of("src", "main", "resources", "application-demo.properties"))) {
			demo.load(in);
		}
		assertThat(demo.getProperty("portal.demo.emulator.enabled")).isEqualTo("true");
		assertThat(demo).containsKeys("spring.datasource.url", "portal.aws.endpoint");
		// the demo listens on loopback only; the container on all its interfaces, its
		// port published on 127.0.0.1 alone
		// (theComposeTrialIsReachableFromThisMachineOnly)
		assertThat(demo.getProperty("server.address")).isEqualTo("127.0.0.1");
		assertThat(portal.get("SERVER_ADDRESS")).isEqualTo("0.0.0.0");
	}

	// Grafana dashboard

	@Test
	void theDashboardQueriesOnlyMetricsTheCodePublishes() {
		Set<String> published = publishedSeries();
		Set<String> queried = new TreeSet<>();
		for (String expr : expressions()) {
			Set<String> names = metricNames(expr);
			assertThat(names).as("metrics in %s", expr).isNotEmpty();
			queried.addAll(names);
		}
		assertThat(published).as("series the code publishes").containsAll(queried);
		// and every metric of the portal's own is on the dashboard
		Set<String> shown = queried.stream().map(DeploymentFilesTests::baseName).collect(Collectors.toSet());
		assertThat(shown).containsAll(portalMeters().keySet().stream().map(DeploymentFilesTests::prometheus).toList());
	}

	@Test
	void thePublishedNamesAreTheOnesTheMetricsTestScrapes() {
		// the naming rules above against the names a real scrape has
		// (PrometheusMetricsIntegrationTests)
		Set<String> scraped = Pattern.compile("\"(portal_[a-z_]+)\"")
			.matcher(DeployFiles.read(METRICS_TEST))
			.results()
			.map((name) -> name.group(1))
			.collect(Collectors.toSet());
		assertThat(scraped).contains("portal_requests_approval_to_active_seconds_bucket",
				"portal_aws_calls_seconds_count", "portal_callbacks_attempts_total");
		assertThat(publishedSeries()).containsAll(scraped);
	}

	@Test
	void theDashboardsDataSourceIsATemplateVariable() {
		JsonNode dashboard = dashboard();
		List<String> datasources = new ArrayList<>();
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			if ("datasource".equals(variable.path("type").asString())) {
				assertThat(variable.path("query").asString()).isEqualTo("prometheus");
				datasources.add(variable.path("name").asString());
			}
		}
		assertThat(datasources).hasSize(1);
		String uid = "${" + datasources.get(0) + "}";
		assertThat(dashboard.path("panels")).isNotEmpty();
		for (JsonNode panel : dashboard.path("panels")) {
			assertThat(panel.path("datasource").path("uid").asString()).as(panel.path("title").asString())
				.isEqualTo(uid);
			for (JsonNode target : panel.path("targets")) {
				assertThat(target.path("datasource").path("uid").asString()).isEqualTo(uid);
			}
		}
		assertThat(dashboard.toString()).doesNotContain("DS_PROMETHEUS");
	}

	// Terraform

	@Test
	void terraformPassesEachTemplateExactlyTheVariablesItUses() {
		String main = DeployFiles.read(TERRAFORM.resolve("main.tf"));
		Matcher call = Pattern.compile("templatefile\\(\"\\$\\{path\\.module}/([^\"]+)\",\\s*\\{([^}]*)}\\)")
			.matcher(main);
		Set<Path> rendered = new LinkedHashSet<>();
		while (call.find()) {
			Path template = TERRAFORM.resolve(call.group(1)).normalize();
			Set<String> passed = Pattern.compile("(?m)^\\s*(\\w+)\\s*=")
				.matcher(call.group(2))
				.results()
				.map((name) -> name.group(1))
				.collect(Collectors.toSet());
			assertThat(passed).as("variables main.tf passes to %s", template)
				.containsExactlyInAnyOrderElementsOf(templateVariables(template));
			rendered.add(template);
		}
		assertThat(rendered).contains(PortalPolicy.FILE, PortalPolicy.EXISTING_ROLES_FILE,
				Path.of("deploy", "iam", "user-role-boundary.json"));
		assertThat(templateVariables(PortalPolicy.FILE)).containsExactlyInAnyOrderElementsOf(PortalPolicy.VARIABLES);
	}

	@Test
	void terraformTakesPartitionAccountAndRegionFromTheProvider() {
		String main = DeployFiles.read(TERRAFORM.resolve("main.tf"));
		assertThat(main).contains("data \"aws_partition\" \"current\"", "data \"aws_caller_identity\" \"current\"",
				"data \"aws_region\" \"current\"");
		assertThat(main).containsPattern("partition\\s*=\\s*data\\.aws_partition\\.current\\.partition")
			.containsPattern("account_id\\s*=\\s*data\\.aws_caller_identity\\.current\\.account_id")
			.containsPattern("region\\s*=\\s*data\\.aws_region\\.current\\.name");
		// one trust policy per way the portal gets its credentials
		assertThat(main).contains("pods.eks.amazonaws.com", "sts:TagSession", "sts:AssumeRoleWithWebIdentity",
				"system:serviceaccount:", "ec2.amazonaws.com", "resource \"aws_iam_instance_profile\"",
				"resource \"aws_iam_role_policy_attachment\"");
		for (String file : List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf")) {
			assertThat(TERRAFORM.resolve(file)).isRegularFile();
		}
	}

	@Test
	void theUsersBoundaryAllowsEveryActionTheRolesPoliciesGrant() {
		// a boundary narrower than the role policies the portal writes would break users
		// silently: IAM grants the intersection
		Set<String> granted = Pattern.compile("\"((?:s3|kms):[A-Z]\\w+)\"")
			.matcher(DeployFiles.read(MAIN_CODE
				.resolve(Path.of("io", "transferportal", "provisioning", "policy", "TransferPolicies.java"))))
			.results()
			.map((action) -> action.group(1))
			.filter((action) -> !action.endsWith("Account"))
			.collect(Collectors.toSet());
		assertThat(granted).contains("s3:GetObject", "s3:PutObject", "s3:ListBucket", "kms:Decrypt",
				"kms:GenerateDataKey");
		String boundary = DeployFiles.read(Path.of("deploy", "iam", "user-role-boundary.json"));
		assertThat(granted).allSatisfy((action) -> assertThat(boundary).contains("\"" + action + "\""));
	}

	// the metrics the code publishes

	/**
	 * The portal's meters in the main code ({@code Counter}, {@code Timer} or
	 * {@code Gauge} builders), by name, with their type and whether the builder publishes
	 * a histogram.
	 */
	static Map<String, String> portalMeters() {
		Pattern builder = Pattern.compile("\\b(Counter|Timer|Gauge)\\s*\\.builder\\(\\s*\"([a-z][a-z.]*)\"");
		Map<String, String> meters = new TreeMap<>();
		try (Stream<Path> files = Files.walk(MAIN_CODE)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				String code = DeployFiles.read(file);
				Matcher found = builder.matcher(code);
				while (found.find()) {
					int register = code.indexOf(".register(", found.end());
					String chain = code.substring(found.end(), (register < 0) ? code.length() : register);
					meters.put(found.group(2),
							found.group(1) + (chain.contains("publishPercentileHistogram") ? "+histogram" : ""));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		assertThat(meters).as("meters in the main code")
			.containsKeys("portal.requests", "portal.users", "portal.aws.calls", "portal.callbacks.attempts",
					"portal.requests.lease.takeovers", "portal.requests.approval.to.active");
		return meters;
	}

	/**
	 * The series Prometheus gets, after Micrometer's Prometheus naming: dots become
	 * underscores, a counter gets {@code _total}, a timer {@code _seconds_count},
	 * {@code _seconds_sum} and {@code _seconds_max}, and {@code _seconds_bucket} where it
	 * publishes a histogram (its builder or
	 * {@code management.metrics.distribution.percentiles-histogram.<name>} or
	 * {@code .slo.<name>} in application.properties). Besides the portal's own, the
	 * meters Spring Boot binds that the dashboard shows: Micrometer's JVM memory gauges
	 * (JvmMemoryMetrics) and the HTTP server observation.
	 */
	static Set<String> publishedSeries() {
		Map<String, String> meters = new TreeMap<>(portalMeters());
		meters.put("jvm.memory.used.bytes", "Gauge");
		meters.put("jvm.memory.max.bytes", "Gauge");
		meters.put("jvm.memory.committed.bytes", "Gauge");
		meters.put("http.server.requests", "Timer");
		Properties properties = DeployFiles.applicationProperties();
		Set<String> series = new TreeSet<>();
		meters.forEach((name, type) -> {
			String base = prometheus(name);
			if (type.startsWith("Counter")) {
				series.add(base + "_total");
			}
			else if (type.startsWith("Timer")) {
				List.of("_count", "_sum", "_max").forEach((suffix) -> series.add(base + "_seconds" + suffix));
				boolean histogram = type.endsWith("+histogram")
						|| "true".equals(
								properties.getProperty("management.metrics.distribution.percentiles-histogram." + name))
						|| properties.getProperty("management.metrics.distribution.slo." + name) != null;
				if (histogram) {
					series.add(base + "_seconds_bucket");
				}
			}
			else {
				series.add(base);
			}
		});
		return series;
	}

	static String prometheus(String name) {
		return name.replace('.', '_');
	}

	/** A series' meter: without the suffixes Prometheus naming adds. */
	static String baseName(String series) {
		return series.replaceFirst("(_seconds)?(_total|_count|_sum|_max|_bucket)?$", "");
	}

	static JsonNode dashboard() {
		return JsonMapper.builder().build().readTree(DeployFiles.read(DASHBOARD));
	}

	static List<String> expressions() {
		List<String> expressions = new ArrayList<>();
		for (JsonNode panel : dashboard().path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				expressions.add(target.path("expr").asString());
			}
		}
		assertThat(expressions).isNotEmpty().doesNotContain("");
		return expressions;
	}

	/**
	 * The metric names in a PromQL expression: the identifiers left once strings, label
	 * matchers, range selectors and grouping labels are taken out, that are neither a
	 * function (followed by a parenthesis) nor a keyword.
	 */
	static Set<String> metricNames(String expr) {
		String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
			.replaceAll("\\{[^}]*}", " ")
			.replaceAll("\\[[^]]*]", " ")
			.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
		Set<String> keywords = Set.of("and", "or", "unless", "bool", "offset", "by", "without");
		return Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()")
			.matcher(bare)
			.results()
			.map((name) -> name.group(1))
			.filter((name) -> !keywords.contains(name))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	static Set<String> templateVariables(Path template) {
		return Pattern.compile("\\$\\{([a-z_]+)}")
			.matcher(DeployFiles.read(template))
			.results()
			.map((name) -> name.group(1))
			.collect(Collectors.toSet());
	}

	private static String single(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		assertThat(matcher.find()).as(regex).isTrue();
		String found = matcher.group(1);
		assertThat(matcher.find()).as("only one match of " + regex).isFalse();
		return found;
	}

	private static String pom(String path) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		Document pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
		String expression = "/project/" + path;
		return XPathFactory.newInstance().newXPath().evaluate(expression, pom).trim();
	}

}
