package io.transferportal.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The one full-context test configuration: the whole portal on a random port (for the
 * browser and plain HTTP) with MockMvc, its AWS clients pointed at the JVM's moto_server,
 * and the shared fixtures. Every class with exactly this configuration shares one cached
 * Spring context, so a class that adds properties, mocks or initializers of its own pays
 * a full start-up; prefer per-test data (unique names, the test's own ids) instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@Import(MotoTestConfiguration.class)
@ContextConfiguration(initializers = MotoEndpointInitializer.class)
public @interface PortalIntegrationTest {

}
