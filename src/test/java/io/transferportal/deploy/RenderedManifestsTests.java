package io.transferportal.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What the chart renders is made of Kubernetes API objects, field for field: each
 * document binds to the API's model of its kind and version (the Kubernetes object model
 * of the fabric8 client, generated from the API's OpenAPI schema), no field is left over
 * that the API does not know (a misspelt {@code readOnlyRootFileSystem} would otherwise
 * be dropped by the API server without a word), and every value has the field's type. The
 * ServiceMonitor is the Prometheus Operator's custom resource: its schema is the
 * operator's, so only its apiVersion is checked.
 */
class RenderedManifestsTests {

	/**
	 * The kinds the chart renders, at the API versions Kubernetes 1.25 and later serve.
	 */
	static final Map<String, Class<? extends HasMetadata>> MODEL = Map.of("apps/v1 Deployment", Deployment.class,
			"v1 Service", Service.class, "v1 ServiceAccount", ServiceAccount.class, "v1 ConfigMap", ConfigMap.class,
			"policy/v1 PodDisruptionBudget", PodDisruptionBudget.class, "networking.k8s.io/v1 NetworkPolicy",
			NetworkPolicy.class, "networking.k8s.io/v1 Ingress", Ingress.class);

	static final String SERVICE_MONITOR = "monitoring.coreos.com/v1 ServiceMonitor";

	/** Wrong types fail; unknown fields are collected by the model and checked below. */
	static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "default values", "production values" })
	void everyRenderedObjectIsAKubernetesObjectOfAServedVersion(String values) {
		List<Map<String, Object>> documents = HelmChartTests
			.render(values.startsWith("production") ? HelmChartTests.PRODUCTION_VALUES : null);
		assertThat(documents).isNotEmpty();
		for (Map<String, Object> document : documents) {
			String type = document.get("apiVersion") + " " + document.get("kind");
			if (type.equals(SERVICE_MONITOR)) {
				continue;
			}
			assertThat(MODEL).as("a kind and version the chart may render").containsKey(type);
			HasMetadata object = MAPPER.convertValue(document, MODEL.get(type));
			assertThat(object.getMetadata().getName()).as(type).isNotBlank();
			assertThat(unknownFields(object, type)).as("fields the Kubernetes API does not have").isEmpty();
		}
	}

	@Test
	void theCheckFindsAMisspeltFieldAndAValueOfTheWrongType() {
		Map<String, Object> container = Map.of("name", "portal", "image", "portal:1", "securityContext",
				Map.of("readOnlyRootFileSystem", true));
		Map<String, Object> deployment = Map.of("apiVersion", "apps/v1", "kind", "Deployment", "metadata",
				Map.of("name", "portal"), "spec",
				Map.of("template", Map.of("spec", Map.of("containers", List.of(container)))));
		assertThat(unknownFields(MAPPER.convertValue(deployment, Deployment.class), "Deployment"))
			.containsExactly("Deployment.Spec.Template.Spec.Containers[0].SecurityContext.readOnlyRootFileSystem");
		Map<String, Object> wrongType = Map.of("apiVersion", "apps/v1", "kind", "Deployment", "metadata",
				Map.of("name", "portal"), "spec", Map.of("replicas", "two"));
		assertThatIllegalArgumentException().isThrownBy(() -> MAPPER.convertValue(wrongType, Deployment.class));
	}

	/**
	 * The paths of the fields the model kept aside as unknown, anywhere in the object.
	 */
	static List<String> unknownFields(Object object, String path) {
		List<String> unknown = new ArrayList<>();
		collect(object, path, unknown);
		return unknown;
	}

	private static void collect(Object value, String path, List<String> unknown) {
		if (value instanceof Collection<?> items) {
			int i = 0;
			for (Object item : items) {
				collect(item, path + "[" + i++ + "]", unknown);
			}
			return;
		}
		if (value instanceof Map<?, ?> entries) {
			entries.forEach((key, item) -> collect(item, path + "." + key, unknown));
			return;
		}
		if (!(value instanceof KubernetesResource)) {
			return;
		}
		for (Method getter : value.getClass().getMethods()) {
			if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
					|| !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
				continue;
			}
			Object field = invoke(getter, value);
			if (getter.getName().equals("getAdditionalProperties")) {
				((Map<?, ?>) field).keySet().forEach((name) -> unknown.add(path + "." + name));
			}
			else if (field != null) {
				collect(field, path + "." + getter.getName().substring(3), unknown);
			}
		}
	}

	private static Object invoke(Method getter, Object target) {
		try {
			return getter.invoke(target);
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			throw new IllegalStateException(getter.toString(), ex);
		}
	}

}
