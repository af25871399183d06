package io.transferportal.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the tests of {@code deploy/} read: YAML documents, the portal's
 * {@code application.properties}, and the Spring properties an environment variable binds
 * to.
 */
final class DeployFiles {

	static final Path APPLICATION_PROPERTIES = Path.of("src", "main", "resources", "application.properties");

	/**
	 * Variables the AWS SDK reads itself
	 * (https://docs.aws.amazon.com/sdkref/latest/guide/settings-reference.html#EVarSettings):
	 * no Spring property, but as real as one. {@code AWS_REGION} is also read by
	 * {@code portal.aws.region=${AWS_REGION:...}}.
	 */
	static final Set<String> AWS_SDK_VARIABLES = Set.of("AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

	private static Map<String, String> propertyOfVariable;

	private DeployFiles() {
	}

	static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Every YAML document in the text, empty documents left out. */
	static List<Map<String, Object>> documents(String yaml) {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
			if (document != null) {
				documents.add(map(document));
			}
		}
		return documents;
	}

	static Map<String, Object> yaml(Path file) {
		return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(read(file)));
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		if (!(value instanceof Map)) {
			throw new IllegalArgumentException("Not a mapping: " + value);
		}
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		if (!(value instanceof List)) {
			throw new IllegalArgumentException("Not a list: " + value);
		}
		return (List<Object>) value;
	}

	/** The value at a path of mapping keys and list indexes, e.g. {@code "spec", 0}. */
	static Object at(Object root, Object... path) {
		Object value = root;
		for (Object step : path) {
			value = (step instanceof Integer index) ? list(value).get(index) : map(value).get(step);
			if (value == null) {
				throw new IllegalArgumentException("Nothing at " + List.of(path) + " (" + step + ")");
			}
		}
		return value;
	}

	static Properties applicationProperties() {
		Properties properties = new Properties();
		try (InputStream in = Files.newInputStream(APPLICATION_PROPERTIES)) {
			properties.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties;
	}

	/**
	 * The property an environment variable binds to, or {@code null}. Spring Boot maps a
	 * property to its variable by replacing dots with underscores, dropping dashes and
	 * upper-casing
	 * (https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.typesafe-configuration-properties.relaxed-binding.environment-variables);
	 * the properties are the ones declared in the configuration metadata on the class
	 * path: Spring Boot's and the portal's own (generated from its
	 * {@code @ConfigurationProperties}). A variable the SDK reads, or that
	 * {@code application.properties} names in a placeholder, stands for itself.
	 */
	static String propertyOf(String variable) {
		if (AWS_SDK_VARIABLES.contains(variable) || placeholders().contains(variable)) {
			return variable;
		}
		return propertiesByVariable().get(variable);
	}

	static Set<String> placeholders() {
		Set<String> names = new TreeSet<>();
		Matcher matcher = PLACEHOLDER.matcher(read(APPLICATION_PROPERTIES));
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	static String variableOf(String property) {
		return property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
	}

	private static synchronized Map<String, String> propertiesByVariable() {
		if (propertyOfVariable == null) {
			Map<String, String> byVariable = new TreeMap<>();
			JsonMapper json = JsonMapper.builder().build();
			try {
				for (String resource : List.of("META-INF/spring-configuration-metadata.json",
						"META-INF/additional-spring-configuration-metadata.json")) {
					Enumeration<URL> urls = DeployFiles.class.getClassLoader().getResources(resource);
					for (URL url : Collections.list(urls)) {
						try (InputStream in = url.openStream()) {
							for (JsonNode property : json.readTree(in).path("properties")) {
								String name = property.path("name").asString();
								byVariable.putIfAbsent(variableOf(name), name);
							}
						}
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			propertyOfVariable = byVariable;
		}
		return propertyOfVariable;
	}

}
