package io.transferportal.ticketing;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import io.transferportal.accounts.BootstrapProperties;

/**
 * Creates the API clients declared in configuration, if missing
 * ({@code portal.bootstrap.api-clients[i]}, bound and validated with the start-up
 * accounts in {@link BootstrapProperties}).
 */
@Component
class ApiBootstrap implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(ApiBootstrap.class);

	private final ApiClientManagement clients;

	private final BootstrapProperties properties;

	ApiBootstrap(ApiClientManagement clients, BootstrapProperties properties) {
		this.clients = clients;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) {
		for (BootstrapProperties.ApiClient client : this.properties.apiClients()) {
			Set<String> scopes = Arrays.stream(client.scopes().split(","))
				.map(String::strip)
				.filter((s) -> !s.isEmpty())
				.collect(Collectors.toSet());
			this.clients.ensureExists(client.name(), client.token(), scopes, client.callbackSecret());
			logger.info("API client {} with scopes {} is configured", client.name(), scopes);
		}
	}

}
