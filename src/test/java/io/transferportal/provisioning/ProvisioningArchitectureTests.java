package io.transferportal.provisioning;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.core.UserResource;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;

/**
 * The shape of the provisioning engine: decisions are pure (no AWS client, no read
 * cache), and every AWS error goes through the one error table.
 */
class ProvisioningArchitectureTests {

	static final JavaClasses PROVISIONING = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.transferportal.provisioning");

	/**
	 * Reads no field holding an AWS client and calls no client, read cache or lock:
	 * everything a decision needs arrives as its arguments.
	 */
	static final ArchCondition<JavaMethod> BE_PURE = new ArchCondition<>("touch no AWS client, read cache or lock") {

		@Override
		public void check(JavaMethod method, ConditionEvents events) {
			for (JavaFieldAccess access : method.getFieldAccesses()) {
				if (isClient(access.getTarget().getRawType().getName())) {
					events.add(SimpleConditionEvent.violated(method, access.getDescription()));
				}
			}
			for (JavaMethodCall call : method.getMethodCallsFromSelf()) {
				String owner = call.getTargetOwner().getName();
				if (isClient(owner) || owner.endsWith(".ReadCache") || owner.endsWith(".ProvisioningLocks")) {
					events.add(SimpleConditionEvent.violated(method, call.getDescription()));
				}
			}
		}

	};

	@Test
	void decisionsNeverTouchAnAwsClient() {
		methods().that()
			.haveNameMatching("decide.*")
			.and()
			.areDeclaredInClassesThat()
			.implement(UserResource.class)
			.should(BE_PURE)
			.check(PROVISIONING);
	}

	@Test
	void onlyTheErrorTableCatchesSdkExceptions() {
		noClasses().that()
			.resideOutsideOfPackage("..provisioning.aws..")
			.and()
			.doNotHaveSimpleName("KeyPolicy") // the propagation retry unwraps its cause
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("software.amazon.awssdk.core.exception.SdkException")
			.check(PROVISIONING);
	}

	private static boolean isClient(String className) {
		return className.startsWith("software.amazon.awssdk.services.") && className.endsWith("Client");
	}

}
