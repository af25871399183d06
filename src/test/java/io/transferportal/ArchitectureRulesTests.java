package io.transferportal;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.data.repository.Repository;
import org.springframework.security.core.Authentication;

import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.RequestNotAllowedException;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Rules that keep the adapters thin: the web UI and the REST API translate, the requests
 * module decides who may do what.
 */
class ArchitectureRulesTests {

	static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.transferportal");

	@Test
	void adaptersNeverDecideByRoles() {
		// role rules belong to the requests module's policy, read from the account store
		noClasses().that()
			.resideInAnyPackage("io.transferportal.web..", "io.transferportal.ticketing..")
			.should()
			.callMethod(Authentication.class, "getAuthorities")
			.because("who may do what is decided by the requests module (RequestAccessPolicy)")
			.check(CLASSES);
	}

	@Test
	void adaptersNeverThrowTheModulesRefusals() {
		noClasses().that()
			.resideInAnyPackage("io.transferportal.web..", "io.transferportal.ticketing..")
			.should()
			.callConstructor(RequestNotAllowedException.class, String.class)
			.because("refusals come from the requests module; the adapters only map them")
			.check(CLASSES);
	}

	@Test
	void adaptersNeverTouchAnotherModulesRepositories() {
		noClasses().that()
			.resideInAPackage("io.transferportal.web..")
			.should()
			.dependOnClassesThat(assignableTo(Repository.class))
			.check(CLASSES);
		// the API's own tables (clients, ticket submissions) are its business
		noClasses().that()
			.resideInAPackage("io.transferportal.ticketing..")
			.should()
			.dependOnClassesThat(assignableTo(Repository.class).and(resideInAPackage("io.transferportal.."))
				.and(not(resideInAPackage("io.transferportal.ticketing.."))))
			.check(CLASSES);
	}

	@Test
	void theRequestCommandsHaveOneEntryPoint() {
		// the register's verify is package-private; the adapters go through the command
		// API
		noClasses().that()
			.resideOutsideOfPackage("io.transferportal.requests..")
			.should()
			.callMethod("io.transferportal.requests.ManagedUserRegister", "verify", String.class.getName(),
					String.class.getName())
			.because("every command goes through " + AccessRequestManagement.class.getSimpleName())
			.check(CLASSES);
	}

}
