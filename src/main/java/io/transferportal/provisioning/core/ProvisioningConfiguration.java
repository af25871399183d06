package io.transferportal.provisioning.core;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import io.transferportal.provisioning.ProvisioningLocks;

@Configuration(proxyBeanMethods = false)
class ProvisioningConfiguration {

	/**
	 * Database row locks, so every portal instance on the database is serialized, not
	 * only the threads of one JVM.
	 */
	@Bean
	ProvisioningLocks provisioningLocks(DataSource dataSource, PlatformTransactionManager transactions) {
		return new JdbcProvisioningLocks(new JdbcTemplate(dataSource), transactions);
	}

}
