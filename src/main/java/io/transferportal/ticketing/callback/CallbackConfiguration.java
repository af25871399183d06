package io.transferportal.ticketing.callback;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Callbacks are sent by a scheduled job on every instance (the requests module enables
 * scheduling too).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class CallbackConfiguration {

}
