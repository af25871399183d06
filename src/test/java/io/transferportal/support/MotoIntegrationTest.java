package io.transferportal.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The shared full context of {@link PortalIntegrationTest} (AWS clients against the JVM's
 * moto_server), under the name the tests against AWS have always used.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@PortalIntegrationTest
public @interface MotoIntegrationTest {

}
