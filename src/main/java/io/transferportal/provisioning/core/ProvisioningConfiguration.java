package io.transferportal.provisioning.core;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.transferportal.provisioning.ProvisioningLocks;

@Configuration(proxyBeanMethods = false)
class ProvisioningConfiguration {

	@Bean
	@ConditionalOnMissingBean(ProvisioningLocks.class)
	ProvisioningLocks inProcessProvisioningLocks() {
		return new InProcessProvisioningLocks();
	}

}
