package io.transferportal.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/**
 * The full portal (as {@link PortalIntegrationTest}) with the lifecycle settings on and a
 * {@link TestClock}: the one context of every test of expiry, rotation and review, so
 * they share a start-up. Review interval 90 days (unreviewed users are suspended), expiry
 * warning 14 days, rotation overlap 7 days, key rotation due after 180 days: a test that
 * moves the clock further than 90 days finds every user of the context overdue.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@PortalIntegrationTest
@Import(LifecycleIntegrationTest.ClockConfiguration.class)
@TestPropertySource(properties = { "portal.lifecycle.review-interval=P90D", "portal.lifecycle.suspend-unreviewed=true",
		"portal.lifecycle.expiry-warning=P14D", "portal.lifecycle.rotation-overlap=P7D",
		"portal.lifecycle.max-ssh-key-age=P180D" })
public @interface LifecycleIntegrationTest {

	@TestConfiguration(proxyBeanMethods = false)
	class ClockConfiguration {

		// primary (and named apart): the application's own clock may be registered too
		@Bean
		@Primary
		TestClock testClock() {
			return new TestClock();
		}

	}

}
