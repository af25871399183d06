package io.transferportal.requests;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionPoolSizingTests {

	@Test
	void isRegisteredWithSpringBoot() {
		// Boot's own post-processors need constructor arguments; only ours matters here
		FailureHandler ignoreOthers = (type, name, failure) -> {
		};
		assertThat(
				SpringFactoriesLoader.forDefaultResourceLocation().load(EnvironmentPostProcessor.class, ignoreOthers))
			.hasAtLeastOneElementOfType(ConnectionPoolSizing.class);
	}

	@Test
	void unsetPoolIsTheDefaultConcurrencyPlusHeadroom() {
		StandardEnvironment environment = postProcess(Map.of());
		assertThat(environment.getProperty(ConnectionPoolSizing.POOL_SIZE, Integer.class)).isEqualTo(16 + 10);
	}

	@Test
	void unsetPoolFollowsTheConfiguredConcurrency() {
		StandardEnvironment environment = postProcess(Map.of("portal.provisioning.concurrency", "2"));
		assertThat(environment.getProperty(ConnectionPoolSizing.POOL_SIZE, Integer.class)).isEqualTo(2 + 10);
	}

	@Test
	void anExplicitPoolSizeWins() {
		StandardEnvironment environment = postProcess(
				Map.of("portal.provisioning.concurrency", "40", ConnectionPoolSizing.POOL_SIZE, "5"));
		assertThat(environment.getProperty(ConnectionPoolSizing.POOL_SIZE, Integer.class)).isEqualTo(5);
		assertThat(environment.getPropertySources().contains(ConnectionPoolSizing.SOURCE)).isFalse();
	}

	@Test
	void anExplicitPoolSizeUnderARelaxedNameWins() {
		StandardEnvironment environment = postProcess(Map.of("spring.datasource.hikari.maximumPoolSize", "5"));
		assertThat(environment.getPropertySources().contains(ConnectionPoolSizing.SOURCE)).isFalse();
	}

	@Test
	void anExplicitPoolSizeFromAnEnvironmentVariableWins() {
		StandardEnvironment environment = new StandardEnvironment();
		// under the name Boot maps relaxed names for
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE", "7", "PORTAL_PROVISIONING_CONCURRENCY", "3")));
		new ConnectionPoolSizing().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().contains(ConnectionPoolSizing.SOURCE)).isFalse();
	}

	@Test
	void concurrencyFromAnEnvironmentVariableSizesTheUnsetPool() {
		StandardEnvironment environment = new StandardEnvironment();
		// under the name Boot maps relaxed names for
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("PORTAL_PROVISIONING_CONCURRENCY", "3")));
		new ConnectionPoolSizing().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(ConnectionPoolSizing.POOL_SIZE, Integer.class)).isEqualTo(3 + 10);
	}

	@Test
	void anInvalidConcurrencyLeavesThePoolAlone() {
		for (String invalid : new String[] { "0", "65", "many" }) {
			StandardEnvironment environment = postProcess(Map.of("portal.provisioning.concurrency", invalid));
			assertThat(environment.getPropertySources().contains(ConnectionPoolSizing.SOURCE)).as(invalid).isFalse();
		}
	}

	private static StandardEnvironment postProcess(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		new ConnectionPoolSizing().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

}
