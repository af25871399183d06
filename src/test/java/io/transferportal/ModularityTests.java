package io.transferportal;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module structure: package by feature, and the AWS SDK only inside the provisioning
 * module.
 */
class ModularityTests {

	ApplicationModules modules = ApplicationModules.of(PortalApplication.class);

	@Test
	void verifiesModuleStructure() {
		this.modules.verify();
	}

	@Test
	void onlyTheProvisioningModuleUsesTheAwsSdk() {
		JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.transferportal");
		noClasses().that()
			.resideOutsideOfPackage("io.transferportal.provisioning..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("software.amazon.awssdk..")
			.check(classes);
	}

	@Test
	void writesModuleDocumentation() throws Exception {
		new Documenter(this.modules, Documenter.Options.defaults().withOutputFolder("target/modulith-docs"))
			.writeDocumentation();
		try (var files = java.nio.file.Files.list(java.nio.file.Path.of("target/modulith-docs"))) {
			assertThat(files.map((file) -> file.getFileName().toString())).contains("components.puml",
					"module-provisioning.puml", "module-requests.puml");
		}
	}

}
