package io.transferportal.provisioning.core;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.transaction.PlatformTransactionManager;

import io.transferportal.provisioning.ProvisioningLocks;

@Configuration(proxyBeanMethods = false)
class ProvisioningConfiguration {

	/**
	 * The lease table (migration V10). A bean, so that the repository checks the table at
	 * start-up and deletes this instance's leases when it shuts down.
	 */
	@Bean
	DefaultLockRepository provisioningLockRepository(DataSource dataSource, PlatformTransactionManager transactions) {
		DefaultLockRepository repository = new DefaultLockRepository(dataSource);
		repository.setTransactionManager(transactions);
		repository.setRegion("transfer-portal");
		return repository;
	}

	/**
	 * Leases in the database, so every portal instance on the database is serialized, not
	 * only the threads of one JVM.
	 */
	@Bean
	ProvisioningLocks provisioningLocks(DefaultLockRepository provisioningLockRepository,
			ProvisioningProperties properties) {
		return new JdbcProvisioningLocks(provisioningLockRepository, properties.lock());
	}

}
