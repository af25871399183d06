package io.transferportal.ticketing;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Creates the API clients declared in configuration, if missing
 * ({@code portal.bootstrap.api-clients[i]}).
 */
@Component
class ApiBootstrap implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(ApiBootstrap.class);

	private final ApiClientManagement clients;

	private final Properties properties;

	ApiBootstrap(ApiClientManagement clients, Properties properties) {
		this.clients = clients;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) {
		for (Properties.Client client : this.properties.apiClients()) {
			Set<String> scopes = Arrays.stream(client.scopes().split(","))
				.map(String::strip)
				.filter((s) -> !s.isEmpty())
				.collect(Collectors.toSet());
			this.clients.ensureExists(client.name(), client.token(), scopes, client.callbackSecret());
			logger.info("API client {} with scopes {} is configured", client.name(), scopes);
		}
	}

	/**
	 * API clients to create at first start.
	 *
	 * @param apiClients name, token, comma-separated scopes and callback secret of each
	 */
	@ConfigurationProperties("portal.bootstrap")
	record Properties(@DefaultValue List<Client> apiClients) {

		record Client(String name, String token, @DefaultValue("requests:read,requests:write") String scopes,
				@Nullable String callbackSecret) {

			@Override
			public String toString() {
				return "Client[name=" + this.name + ", scopes=" + this.scopes + "]"; // never
																						// the
																						// token
																						// or
																						// secret
			}

		}

	}

}
