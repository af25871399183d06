package io.transferportal.provisioning;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.TryCatchBlock;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import io.transferportal.provisioning.core.UserResource;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
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

	/** Catches no AWS SDK exception: that is the error table's job. */
	static final ArchCondition<JavaClass> CATCH_NO_SDK_EXCEPTION = new ArchCondition<>("catch no AWS SDK exception") {

		@Override
		public void check(JavaClass type, ConditionEvents events) {
			for (JavaCodeUnit code : type.getCodeUnits()) {
				for (TryCatchBlock block : code.getTryCatchBlocks()) {
					for (JavaClass caught : block.getCaughtThrowables()) {
						if (caught.getPackageName().startsWith("software.amazon.awssdk")) {
							events.add(SimpleConditionEvent.violated(type, code.getFullName() + " catches "
									+ caught.getName() + " in " + block.getSourceCodeLocation()));
						}
					}
				}
			}
		}

	};

	@Test
	void everyAwsErrorGoesThroughTheOneErrorTable() {
		classes().that()
			.resideOutsideOfPackages("..provisioning.aws..", "..provisioning.demo..")
			.should(CATCH_NO_SDK_EXCEPTION)
			.check(PROVISIONING);
	}

	private static boolean isClient(String className) {
		return className.startsWith("software.amazon.awssdk.services.") && className.endsWith("Client");
	}

}
