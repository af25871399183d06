package io.transferportal.support;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/** Points every AWS client at moto_server, with short IAM-propagation retries. */
public class MotoEndpointInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("moto",
					Map.of("portal.aws.endpoint", MotoServer.endpoint().toString(), "portal.aws.region", "us-east-1",
							"portal.provisioning.iam-propagation.delay", "10ms",
							"portal.provisioning.iam-propagation.max-delay", "50ms")));
	}

}
