package io.transferportal.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * A Spring Boot test whose AWS clients talk to the JVM's moto_server (started on first
 * use).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest
@Import(MotoTestConfiguration.class)
@ContextConfiguration(initializers = MotoEndpointInitializer.class)
public @interface MotoIntegrationTest {

}
