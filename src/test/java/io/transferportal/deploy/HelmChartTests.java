package io.transferportal.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The Helm chart in {@code deploy/helm/transfer-portal}: {@code helm lint --strict}
 * passes, and {@code helm template}, with the default values and with a production-like
 * variant ({@code src/test/resources/deploy/values-production.yaml}), renders what the
 * portal needs to run: PostgreSQL from a secret, probes on the paths the actuator serves,
 * a read-only root file system with a writable {@code /tmp}, a disruption budget, a
 * network policy with the portal's ports only, and the IRSA annotation when asked for.
 * Helm runs in process (helm-java), so CI needs no helm binary.
 */
class HelmChartTests {

	static final Path CHART = Path.of("deploy", "helm", "transfer-portal").toAbsolutePath();

	static final Path PRODUCTION_VALUES = Path.of("src", "test", "resources", "deploy", "values-production.yaml")
		.toAbsolutePath();

	static final String RELEASE = "portal";

	static final String NAMESPACE = "transfer";

	/**
	 * A cluster version the chart supports: helm template without a cluster assumes
	 * v1.20, older than the chart's kubeVersion.
	 */
	static final String KUBERNETES = "1.30.0";

	static List<Map<String, Object>> defaults;

	static List<Map<String, Object>> production;

	@BeforeAll
	static void renderBoth() {
		defaults = render(null);
		production = render(PRODUCTION_VALUES);
	}

	/**
	 * What {@code helm template} renders, with the chart's values or those of
	 * {@code values} on top.
	 */
	static List<Map<String, Object>> render(@Nullable Path values) {
		TemplateCommand template = new Helm(CHART).template()
			.withName(RELEASE)
			.withKubeVersion(KUBERNETES)
			.withNamespace(NAMESPACE);
		return DeployFiles.documents(((values != null) ? template.withValuesFile(values) : template).call());
	}

	@Test
	void lintsCleanInStrictMode() {
		LintResult lint = new Helm(CHART).lint().strict().call();
		assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
		assertThat(lint.getMessages()).as("lint messages")
			.noneMatch((message) -> message.contains("[ERROR]") || message.contains("[WARNING]"));
	}

	@Test
	void rendersTheKindsAPortalNeeds() {
		assertThat(kinds(defaults)).containsExactlyInAnyOrder("Deployment", "Service", "ServiceAccount",
				"PodDisruptionBudget", "NetworkPolicy");
		assertThat(kinds(production)).containsExactlyInAnyOrder("Deployment", "Service", "ServiceAccount",
				"PodDisruptionBudget", "NetworkPolicy", "Ingress", "ConfigMap", "ServiceMonitor");
	}

	@Test
	void runsTwoReplicasByDefaultAndAsManyAsAsked() {
		assertThat(DeployFiles.at(one(defaults, "Deployment"), "spec", "replicas")).isEqualTo(2);
		assertThat(DeployFiles.at(one(production, "Deployment"), "spec", "replicas")).isEqualTo(3);
	}

	@Test
	void probesTheHealthGroupsTheActuatorServes() {
		// the paths exist only with the probe groups on, on the application's own port,
		// under the default base path
		Properties properties = DeployFiles.applicationProperties();
		assertThat(properties.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
		assertThat(properties.getProperty("management.endpoints.web.exposure.include")).contains("health");
		assertThat(properties).doesNotContainKeys("management.server.port", "management.endpoints.web.base-path",
				"server.port", "server.servlet.context-path");
		Map<String, Object> container = container(defaults);
		assertThat(DeployFiles.at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		assertThat(DeployFiles.at(container, "livenessProbe", "httpGet", "path"))
			.isEqualTo("/actuator/health/liveness");
		assertThat(DeployFiles.at(container, "readinessProbe", "httpGet", "path"))
			.isEqualTo("/actuator/health/readiness");
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			assertThat(containerPort(container, DeployFiles.at(container, probe, "httpGet", "port"))).as(probe)
				.isEqualTo(8080);
		}
	}

	@Test
	void runsUnprivilegedOnAReadOnlyRootFileSystem() {
		Map<String, Object> pod = podSpec(defaults);
		assertThat(DeployFiles.at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
		assertThat(DeployFiles.at(pod, "securityContext", "runAsUser")).isEqualTo(10001);
		assertThat(DeployFiles.at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
		Map<String, Object> container = container(defaults);
		assertThat(DeployFiles.at(container, "securityContext", "runAsNonRoot")).isEqualTo(true);
		assertThat(DeployFiles.at(container, "securityContext", "runAsUser")).isEqualTo(10001);
		assertThat(DeployFiles.at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
		assertThat(DeployFiles.at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
		assertThat(DeployFiles.at(container, "securityContext", "capabilities", "drop")).isEqualTo(List.of("ALL"));
		assertThat(DeployFiles.at(container, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
		// java.io.tmpdir (Tomcat's work directory, the JVM's perf data) on an emptyDir
		Map<String, Object> tmp = DeployFiles.list(DeployFiles.at(container, "volumeMounts"))
			.stream()
			.map(DeployFiles::map)
			.filter((mount) -> "/tmp".equals(mount.get("mountPath")))
			.findFirst()
			.orElseThrow();
		Map<String, Object> volume = DeployFiles.list(DeployFiles.at(pod, "volumes"))
			.stream()
			.map(DeployFiles::map)
			.filter((candidate) -> tmp.get("name").equals(candidate.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(volume).containsKey("emptyDir");
		assertThat(DeployFiles.at(pod, "automountServiceAccountToken")).isEqualTo(false);
	}

	@Test
	void limitsMemoryToWhatTheImageIsTunedFor() {
		Map<String, Object> container = container(defaults);
		assertThat(DeployFiles.at(container, "resources", "limits", "memory")).isEqualTo("512Mi");
		assertThat(DeployFiles.at(container, "resources", "requests", "memory")).isEqualTo("512Mi");
		assertThat(DeployFiles.map(DeployFiles.at(container, "resources", "requests"))).containsKey("cpu");
	}

	@Test
	void readsTheDatabaseFromASecretIntoSpringsDatasourceProperties() {
		Map<String, Object> env = env(container(defaults));
		for (String variable : List.of("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
				"SPRING_DATASOURCE_PASSWORD")) {
			assertThat(DeployFiles.map(env.get(variable))).as(variable).containsKey("valueFrom");
			assertThat(DeployFiles.at(env.get(variable), "valueFrom", "secretKeyRef", "name"))
				.isEqualTo("transfer-portal-database");
		}
		assertThat(DeployFiles.at(env.get("SPRING_DATASOURCE_URL"), "valueFrom", "secretKeyRef", "key"))
			.isEqualTo("url");
		assertThat(DeployFiles.at(env.get("AWS_REGION"), "value")).isEqualTo("eu-west-1");
	}

	@Test
	void everyVariableBindsToARealProperty() {
		for (List<Map<String, Object>> rendered : List.of(defaults, production)) {
			for (String variable : env(container(rendered)).keySet()) {
				assertThat(DeployFiles.propertyOf(variable)).as("the property %s binds to", variable).isNotNull();
			}
		}
		assertThat(DeployFiles.propertyOf("SPRING_DATASOURCE_URL")).isEqualTo("spring.datasource.url");
		assertThat(DeployFiles.propertyOf("SERVER_FORWARDHEADERSSTRATEGY"))
			.isEqualTo("server.forward-headers-strategy");
		assertThat(DeployFiles.propertyOf("PORTAL_PROVISIONING_CONCURRENCY"))
			.isEqualTo("portal.provisioning.concurrency");
		assertThat(DeployFiles.propertyOf("PORTAL_NO_SUCH_SETTING")).isNull();
	}

	@Test
	void productionValuesAnnotateTheServiceAccountForIrsaAndExposeAnIngress() {
		assertThat(DeployFiles.map(DeployFiles.at(one(defaults, "ServiceAccount"), "metadata")).get("annotations"))
			.isNull();
		assertThat(DeployFiles.at(one(production, "ServiceAccount"), "metadata", "annotations",
				"eks.amazonaws.com/role-arn"))
			.isEqualTo("arn:aws:iam::123456789012:role/transfer-portal");
		assertThat(DeployFiles.at(podSpec(production), "serviceAccountName"))
			.isEqualTo(DeployFiles.at(one(production, "ServiceAccount"), "metadata", "name"));

		Map<String, Object> ingress = one(production, "Ingress");
		Map<String, Object> backend = DeployFiles
			.map(DeployFiles.at(ingress, "spec", "rules", 0, "http", "paths", 0, "backend", "service"));
		Map<String, Object> service = one(production, "Service");
		assertThat(backend.get("name")).isEqualTo(DeployFiles.at(service, "metadata", "name"));
		assertThat(DeployFiles.at(backend, "port", "name"))
			.isEqualTo(DeployFiles.at(service, "spec", "ports", 0, "name"));
		assertThat(DeployFiles.at(ingress, "spec", "tls", 0, "secretName")).isEqualTo("transfer-portal-tls");
		// behind the Ingress the client's address and scheme come from X-Forwarded-*
		assertThat(DeployFiles.at(env(container(production)).get("SERVER_FORWARDHEADERSSTRATEGY"), "value"))
			.isEqualTo("native");
		assertThat(env(container(defaults))).doesNotContainKey("SERVER_FORWARDHEADERSSTRATEGY");
	}

	@Test
	void theServiceReachesThePortalsPortAndKeepsABrowserOnOnePod() {
		Map<String, Object> service = one(defaults, "Service");
		assertThat(containerPort(container(defaults), DeployFiles.at(service, "spec", "ports", 0, "targetPort")))
			.isEqualTo(8080);
		assertThat(DeployFiles.at(service, "spec", "selector")).isEqualTo(podLabels(defaults));
		// web sessions live in each instance's memory
		assertThat(DeployFiles.at(service, "spec", "sessionAffinity")).isEqualTo("ClientIP");
	}

	@Test
	void aDisruptionBudgetLetsOnePodGoAtATime() {
		Map<String, Object> budget = one(defaults, "PodDisruptionBudget");
		assertThat(DeployFiles.at(budget, "apiVersion")).isEqualTo("policy/v1");
		assertThat(DeployFiles.at(budget, "spec", "maxUnavailable")).isEqualTo(1);
		assertThat(DeployFiles.map(DeployFiles.at(budget, "spec"))).doesNotContainKey("minAvailable");
		assertThat(DeployFiles.at(budget, "spec", "selector", "matchLabels")).isEqualTo(podLabels(defaults));
	}

	@Test
	void theReplicasSpreadOverZonesAndNodes() {
		List<Map<String, Object>> constraints = DeployFiles
			.list(DeployFiles.at(podSpec(production), "topologySpreadConstraints"))
			.stream()
			.map(DeployFiles::map)
			.toList();
		assertThat(constraints).extracting((constraint) -> constraint.get("topologyKey"))
			.containsExactlyInAnyOrder("topology.kubernetes.io/zone", "kubernetes.io/hostname");
		assertThat(constraints)
			.allSatisfy((constraint) -> assertThat(DeployFiles.at(constraint, "labelSelector", "matchLabels"))
				.isEqualTo(podLabels(production)));
	}

	@Test
	void theNetworkPolicyLetsInPort8080AndOutOnlyDnsPostgresAndHttps() {
		Map<String, Object> policy = one(defaults, "NetworkPolicy");
		assertThat(DeployFiles.at(policy, "spec", "podSelector", "matchLabels")).isEqualTo(podLabels(defaults));
		assertThat(DeployFiles.list(DeployFiles.at(policy, "spec", "policyTypes"))).containsExactlyInAnyOrder("Ingress",
				"Egress");
		assertThat(ports(DeployFiles.list(DeployFiles.at(policy, "spec", "ingress")))).containsExactly("TCP/8080");
		assertThat(ports(DeployFiles.list(DeployFiles.at(policy, "spec", "egress"))))
			.containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/5432", "TCP/443", "TCP/80");
		// port 80 only to the EKS Pod Identity agent
		Map<String, Object> agent = DeployFiles.list(DeployFiles.at(policy, "spec", "egress"))
			.stream()
			.map(DeployFiles::map)
			.filter((rule) -> ports(List.of(rule)).contains("TCP/80"))
			.findFirst()
			.orElseThrow();
		assertThat(DeployFiles.at(agent, "to", 0, "ipBlock", "cidr")).isEqualTo("169.254.170.23/32");
		assertThat(DeployFiles.map(DeployFiles.at(one(production, "NetworkPolicy"), "spec", "ingress", 0)))
			.containsKey("from");
	}

	@Test
	void metricsAreScrapedFromTheActuatorOnlyWhenAsked() {
		assertThat(DeployFiles.map(DeployFiles.at(podTemplate(defaults), "metadata", "annotations")))
			.doesNotContainKey("prometheus.io/scrape");
		assertThat(DeployFiles.at(podTemplate(production), "metadata", "annotations", "prometheus.io/path"))
			.isEqualTo("/actuator/prometheus");
		assertThat(DeployFiles.applicationProperties().getProperty("management.endpoints.web.exposure.include"))
			.contains("prometheus");
		Map<String, Object> monitor = one(production, "ServiceMonitor");
		assertThat(DeployFiles.at(monitor, "spec", "endpoints", 0, "path")).isEqualTo("/actuator/prometheus");
		assertThat(DeployFiles.at(monitor, "spec", "endpoints", 0, "port"))
			.isEqualTo(DeployFiles.at(one(production, "Service"), "spec", "ports", 0, "name"));
	}

	@Test
	void extraConfigIsMountedWhereSpringReadsIt() {
		Map<String, Object> config = one(production, "ConfigMap");
		assertThat(String.valueOf(DeployFiles.at(config, "data", "application.properties")))
			.contains("portal.callbacks.allowed-hosts=hooks.example.com");
		Map<String, Object> container = container(production);
		String location = String
			.valueOf(DeployFiles.at(env(container).get("SPRING_CONFIG_ADDITIONALLOCATION"), "value"));
		assertThat(DeployFiles.list(DeployFiles.at(container, "volumeMounts"))).map(DeployFiles::map)
			.anySatisfy((mount) -> assertThat(location).isEqualTo("optional:file:" + mount.get("mountPath") + "/"));
		assertThat(DeployFiles.at(env(container).get("PORTAL_PROVISIONING_CONCURRENCY"), "value")).isEqualTo("4");
	}

	@Test
	void theImageTagIsAVersionNeverLatest() {
		Map<String, Object> values = DeployFiles.yaml(CHART.resolve("values.yaml"));
		Map<String, Object> chart = DeployFiles.yaml(CHART.resolve("Chart.yaml"));
		assertThat(DeployFiles.at(values, "image", "tag")).isEqualTo("");
		assertThat(String.valueOf(chart.get("appVersion"))).matches("\\d+\\.\\d+\\.\\d+.*");
		assertThat(DeployFiles.at(container(defaults), "image")).asString().endsWith(":" + chart.get("appVersion"));
		assertThatException()
			.isThrownBy(() -> new Helm(CHART).template().withKubeVersion(KUBERNETES).set("image.tag", "latest").call())
			.withMessageContaining("never latest");
	}

	private static Set<String> kinds(List<Map<String, Object>> documents) {
		return documents.stream().map((document) -> String.valueOf(document.get("kind"))).collect(Collectors.toSet());
	}

	private static Map<String, Object> one(List<Map<String, Object>> documents, String kind) {
		List<Map<String, Object>> found = documents.stream()
			.filter((document) -> kind.equals(document.get("kind")))
			.toList();
		assertThat(found).as("rendered %s", kind).hasSize(1);
		return found.get(0);
	}

	private static Map<String, Object> podTemplate(List<Map<String, Object>> documents) {
		return DeployFiles.map(DeployFiles.at(one(documents, "Deployment"), "spec", "template"));
	}

	private static Map<String, Object> podSpec(List<Map<String, Object>> documents) {
		return DeployFiles.map(DeployFiles.at(podTemplate(documents), "spec"));
	}

	private static Object podLabels(List<Map<String, Object>> documents) {
		Map<String, Object> labels = DeployFiles.map(DeployFiles.at(podTemplate(documents), "metadata", "labels"));
		assertThat(DeployFiles.at(one(documents, "Deployment"), "spec", "selector", "matchLabels")).isEqualTo(labels);
		return labels;
	}

	private static Map<String, Object> container(List<Map<String, Object>> documents) {
		List<Object> containers = DeployFiles.list(DeployFiles.at(podSpec(documents), "containers"));
		assertThat(containers).hasSize(1);
		return DeployFiles.map(containers.get(0));
	}

	/** The container's variables by name. */
	private static Map<String, Object> env(Map<String, Object> container) {
		return DeployFiles.list(DeployFiles.at(container, "env"))
			.stream()
			.map(DeployFiles::map)
			.collect(Collectors.toMap((variable) -> String.valueOf(variable.get("name")), (variable) -> variable));
	}

	/** A port by number or by the name of a container port. */
	private static Object containerPort(Map<String, Object> container, Object port) {
		if (port instanceof Integer) {
			return port;
		}
		return DeployFiles.list(DeployFiles.at(container, "ports"))
			.stream()
			.map(DeployFiles::map)
			.filter((candidate) -> port.equals(candidate.get("name")))
			.map((candidate) -> candidate.get("containerPort"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No container port named " + port));
	}

	/** Every {@code protocol/port} the rules allow. */
	private static List<String> ports(List<Object> rules) {
		return rules.stream()
			.map(DeployFiles::map)
			.flatMap((rule) -> DeployFiles.list(rule.get("ports")).stream())
			.map(DeployFiles::map)
			.map((port) -> port.get("protocol") + "/" + port.get("port"))
			.toList();
	}

}
