package io.transferportal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.JavaPackage;
import org.springframework.modulith.docs.Documenter;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module structure: package by feature, and the AWS SDK only inside the provisioning
 * module. The classes are imported once for all tests (the import is the expensive part),
 * and the AWS SDK rule reads the dependencies of the classes Modulith has imported
 * instead of importing the tree a second time.
 */
class ModularityTests {

	static final ApplicationModules modules = ApplicationModules.of(PortalApplication.class);

	@Test
	void verifiesModuleStructure() {
		modules.verify();
	}

	@Test
	void onlyTheProvisioningModuleUsesTheAwsSdk() {
		ApplicationModule provisioning = modules.getModuleByName("provisioning").orElseThrow();
		assertThat(awsSdkDependencies(provisioning.getBasePackage().stream()))
			.as("the check sees the SDK where it is used")
			.isNotEmpty();
		List<JavaClass> outside = Stream
			.concat(modules.getRootPackages().stream(),
					modules.stream()
						.filter((module) -> !module.equals(provisioning))
						.map(ApplicationModule::getBasePackage))
			.flatMap(JavaPackage::stream)
			.filter((type) -> !provisioning.contains(type))
			.toList();
		assertThat(outside).as("the check covers the other modules")
			.anyMatch((type) -> type.getPackageName().equals("io.transferportal.web"))
			.anyMatch((type) -> type.getPackageName().equals("io.transferportal.ticketing.callback"));
		assertThat(awsSdkDependencies(outside.stream())).isEmpty();
	}

	@Test
	void onlyTheApplicationSwitchesOnAsyncAndScheduling() {
		assertThat(Stream
			.concat(modules.getRootPackages().stream(), modules.stream().map(ApplicationModule::getBasePackage))
			.flatMap(JavaPackage::stream)
			.filter((type) -> type.isAnnotatedWith(EnableAsync.class) || type.isAnnotatedWith(EnableScheduling.class))
			.map(JavaClass::getName)).containsOnly(PortalApplication.class.getName());
	}

	@Test
	void writesModuleDocumentation() throws Exception {
		new Documenter(modules, Documenter.Options.defaults().withOutputFolder("target/modulith-docs"))
			.writeDocumentation();
		try (Stream<Path> files = Files.list(Path.of("target/modulith-docs"))) {
			assertThat(files.map((file) -> file.getFileName().toString())).contains("components.puml",
					"module-provisioning.puml", "module-requests.puml");
		}
	}

	private static List<String> awsSdkDependencies(Stream<JavaClass> types) {
		return types.flatMap((type) -> type.getDirectDependenciesFromSelf().stream())
			.filter((dependency) -> dependency.getTargetClass().getPackageName().startsWith("software.amazon.awssdk"))
			.map(Dependency::getDescription)
			.toList();
	}

}
