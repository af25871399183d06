package io.transferportal.provisioning.core;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import io.transferportal.provisioning.ProvisioningLocks;

@Configuration(proxyBeanMethods = false)
class ProvisioningConfiguration {

	/**
	 * Database row locks when the portal has a database (always, in the application);
	 * in-JVM locks otherwise.
	 */
	@Bean
	ProvisioningLocks provisioningLocks(ObjectProvider<DataSource> dataSource,
			ObjectProvider<PlatformTransactionManager> transactions) {
		DataSource db = dataSource.getIfAvailable();
		PlatformTransactionManager tx = transactions.getIfAvailable();
		return (db != null && tx != null) ? new JdbcProvisioningLocks(new JdbcTemplate(db), tx)
				: new InProcessProvisioningLocks();
	}

}
