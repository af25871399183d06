package io.transferportal.requests;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ProvisioningConcurrencyPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(ConcurrencyOnly.class);

	@Test
	void defaultsToSixteen() {
		this.runner.run((context) -> assertThat(context.getBean(ProvisioningConcurrencyProperties.class).concurrency())
			.isEqualTo(16));
	}

	@Test
	void acceptsOneToSixtyFour() {
		for (int concurrency : new int[] { 1, 64 }) {
			this.runner.withPropertyValues("portal.provisioning.concurrency=" + concurrency)
				.run((context) -> assertThat(context.getBean(ProvisioningConcurrencyProperties.class).concurrency())
					.isEqualTo(concurrency));
		}
	}

	@Test
	void refusesValuesOutsideOneToSixtyFour() {
		for (String concurrency : new String[] { "0", "65", "-1" }) {
			this.runner.withPropertyValues("portal.provisioning.concurrency=" + concurrency)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("portal.provisioning.concurrency"));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ProvisioningConcurrencyProperties.class)
	static class ConcurrencyOnly {

	}

}
