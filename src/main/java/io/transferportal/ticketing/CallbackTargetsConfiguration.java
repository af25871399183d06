package io.transferportal.ticketing;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.transferportal.ticketing.callback.CallbackUrls;

/** Lets the API check callback URLs with the callback sub-package's rules before storing anything. */
@Configuration(proxyBeanMethods = false)
class CallbackTargetsConfiguration {

	@Bean
	ApiRequests.CallbackTargets callbackTargets(CallbackUrls urls) {
		return urls::problem;
	}

}
