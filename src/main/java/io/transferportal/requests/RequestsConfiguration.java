package io.transferportal.requests;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Runs approved requests asynchronously and the resume and verification jobs on a
 * schedule.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
@EnableScheduling
class RequestsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

}
