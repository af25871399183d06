package io.transferportal.provisioning.policy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import io.transferportal.provisioning.AccessLevel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link Policies} and the documents {@link TransferPolicies} builds.
 */
class PoliciesTests {

	private static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	private static final String USER_ARN = "arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/alice";

	private static final String POLICY = """
			{
			  "Version": "2012-10-17",
			  "Statement": [
			    {
			      "Sid": "Objects",
			      "Effect": "Allow",
			      "Action": ["s3:GetObject", "s3:PutObject"],
			      "Resource": ["arn:aws:s3:::payments-inbox/alice/*", "arn:aws:s3:::payments-inbox/alice"]
			    },
			    {
			      "Sid": "Kms",
			      "Effect": "Allow",
			      "Action": ["kms:Decrypt"],
			      "Resource": ["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
			    }
			  ]
			}""";

	@Test
	void sameMeaningIgnoresOrderWhitespaceAndScalarVersusListSpelling() {
		String reordered = """
				{"Statement": [{"Resource": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				"Action": "kms:Decrypt", "Effect": "Allow", "Sid": "Kms"}, {"Effect": "Allow", "Sid": "Objects",
				"Action": ["s3:PutObject", "s3:GetObject"],
				"Resource": ["arn:aws:s3:::payments-inbox/alice", "arn:aws:s3:::payments-inbox/alice/*"]}],
				"Version": "2012-10-17"}""";
		assertThat(Policies.sameMeaning(Policies.parse(POLICY), Policies.parse(reordered))).isTrue();
	}

	@Test
	void sameMeaningDetectsARemovedAction() {
		String withoutPut = POLICY.replace("[\"s3:GetObject\", \"s3:PutObject\"]", "[\"s3:GetObject\"]");
		assertThat(Policies.sameMeaning(Policies.parse(POLICY), Policies.parse(withoutPut))).isFalse();
	}

	@Test
	void sameMeaningDetectsAChangedResource() {
		String otherFolder = POLICY.replace("payments-inbox/alice/*", "payments-inbox/*");
		assertThat(Policies.sameMeaning(Policies.parse(POLICY), Policies.parse(otherFolder))).isFalse();
	}

	@Test
	void sameMeaningDetectsAChangedVersionAndTreatsTwoMissingPoliciesAsEqual() {
		String older = POLICY.replace("2012-10-17", "2008-10-17");
		assertThat(Policies.sameMeaning(Policies.parse(POLICY), Policies.parse(older))).isFalse();
		assertThat(Policies.sameMeaning(null, null)).isTrue();
		assertThat(Policies.sameMeaning(Policies.parse(POLICY), null)).isFalse();
	}

	@Test
	void parseUrlEncodedDecodesTheDocumentIamReturns() {
		String json = POLICY.replace("payments-inbox/alice", "payments-inbox/team a+b");
		// IAM percent-encodes per RFC 3986: a space is %20 and a literal '+' is %2B
		String rfc3986Encoded = URLEncoder.encode(json, StandardCharsets.UTF_8).replace("+", "%20");
		assertThat(rfc3986Encoded).doesNotContain("{").contains("%2B");
		assertThat(Policies.parseUrlEncoded(rfc3986Encoded)).isEqualTo(Policies.parse(json));
		assertThat(Policies.parseUrlEncoded(rfc3986Encoded).statements().get(0).resources())
			.extracting((resource) -> resource.value())
			.contains("arn:aws:s3:::payments-inbox/team a+b/*");
	}

	@Test
	void parseUrlEncodedAlsoAcceptsPlainJson() {
		assertThat(Policies.parseUrlEncoded("\n  " + POLICY)).isEqualTo(Policies.parse(POLICY));
	}

	@Test
	void nonWhitespaceLengthCountsWhatIamCounts() {
		assertThat(Policies.nonWhitespaceLength("{ \"a\" :\n\t\"b\" }")).isEqualTo(9);
		IamPolicy policy = Policies.parse(POLICY);
		assertThat(Policies.nonWhitespaceLength(Policies.pretty(policy))).isEqualTo(Policies.compact(policy).length());
	}

	@Test
	void describeDifferenceNamesTheActionsOfAMissingStatement() {
		IamPolicy readOnly = homeFolderPolicy(AccessLevel.READ_ONLY);
		IamPolicy readWrite = homeFolderPolicy(AccessLevel.READ_WRITE);
		String difference = Policies.describeDifference(readOnly, readWrite);
		assertThat(difference).startsWith("missing Allow s3:GetObject, s3:GetObjectVersion, s3:GetObjectTagging")
			.contains("on arn:aws:s3:::payments-inbox/alice/* (HomeFolderObjects)")
			.contains("unexpected Allow s3:GetObject, s3:GetObjectVersion, s3:GetObjectTagging")
			.contains("Allow kms:Decrypt, kms:GenerateDataKey on")
			.doesNotContain("ListHomeFolder", "BucketLocation");
		assertThat(Policies.describeDifference(readWrite, homeFolderPolicy(AccessLevel.READ_WRITE)))
			.isEqualTo("no difference");
	}

	@Test
	void readOnlyHomeFolderPolicyGrantsNoWrites() {
		IamStatement objects = statement(homeFolderPolicy(AccessLevel.READ_ONLY), "HomeFolderObjects");
		assertThat(objects.actions()).extracting((action) -> action.value())
			.containsExactly("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging",
					"s3:GetObjectVersionTagging");
		assertThat(objects.resources()).extracting((resource) -> resource.value())
			.containsExactly("arn:aws:s3:::payments-inbox/alice/*");
	}

	@Test
	void readWriteHomeFolderPolicyGrantsPutAndDelete() {
		IamStatement objects = statement(homeFolderPolicy(AccessLevel.READ_WRITE), "HomeFolderObjects");
		assertThat(objects.actions()).extracting((action) -> action.value())
			.containsExactly("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:GetObjectVersionTagging",
					"s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion");
	}

	@ParameterizedTest
	@EnumSource(AccessLevel.class)
	void everyS3StatementHoldsOnlyForBucketsOfTheAccount(AccessLevel accessLevel) {
		IamPolicy policy = homeFolderPolicy(accessLevel);
		assertThat(policy.statements()).filteredOn((statement) -> statement.sid().startsWith("KmsFor"))
			.singleElement()
			.satisfies((kms) -> assertThat(kms.conditions()).isEmpty());
		assertThat(policy.statements()).filteredOn((statement) -> !statement.sid().startsWith("KmsFor"))
			.hasSize(3)
			.allSatisfy((statement) -> assertThat(statement.conditions())
				.extracting((condition) -> condition.operator().value(), (condition) -> condition.key().value(),
						(condition) -> condition.value())
				.contains(tuple("StringEquals", "s3:ResourceAccount", "123456789012")));
	}

	@Test
	void bucketLocationIsGrantedOnTheBucketWithoutThePrefixCondition() {
		IamStatement location = statement(homeFolderPolicy(AccessLevel.READ_ONLY), "BucketLocation");
		assertThat(location.actions()).extracting((action) -> action.value()).containsExactly("s3:GetBucketLocation");
		assertThat(location.resources()).extracting((resource) -> resource.value())
			.containsExactly("arn:aws:s3:::payments-inbox");
		assertThat(location.conditions()).extracting((condition) -> condition.key().value())
			.containsExactly("s3:ResourceAccount");
	}

	@Test
	void listBucketIsLimitedToTheHomeFolder() {
		IamStatement list = statement(homeFolderPolicy(AccessLevel.READ_ONLY), "ListHomeFolder");
		assertThat(list.actions()).extracting((action) -> action.value()).containsExactly("s3:ListBucket");
		assertThat(list.resources()).extracting((resource) -> resource.value())
			.containsExactly("arn:aws:s3:::payments-inbox");
		assertThat(list.conditions()).filteredOn((condition) -> condition.key().value().equals("s3:prefix"))
			.allSatisfy((condition) -> assertThat(condition.operator().value()).isEqualTo("StringLike"))
			.extracting((condition) -> condition.value())
			.containsExactlyInAnyOrder("alice/*", "alice");
	}

	@Test
	void kmsStatementGrantsWhatTheAccessLevelNeedsOnTheKey() {
		IamStatement readOnly = statement(homeFolderPolicy(AccessLevel.READ_ONLY), "KmsForBucketEncryption");
		assertThat(readOnly.actions()).extracting((action) -> action.value()).containsExactly("kms:Decrypt");
		assertThat(readOnly.resources()).extracting((resource) -> resource.value()).containsExactly(KEY_ARN);
		IamStatement readWrite = statement(homeFolderPolicy(AccessLevel.READ_WRITE), "KmsForBucketEncryption");
		assertThat(readWrite.actions()).extracting((action) -> action.value())
			.containsExactly("kms:Decrypt", "kms:GenerateDataKey");
		// an existing role may carry users of both levels: its policy has the larger set
		assertThat(TransferPolicies.kmsOnlyPolicy(KEY_ARN).statements()).containsExactly(readWrite);
	}

	@Test
	void trustPolicyLetsOnlyTransferAssumeTheRoleForThisUser() {
		IamPolicy trust = TransferPolicies.trustPolicy("123456789012", USER_ARN);
		IamStatement statement = trust.statements().get(0);
		assertThat(trust.statements()).hasSize(1);
		assertThat(statement.principals()).singleElement().satisfies((principal) -> {
			assertThat(principal.type().value()).isEqualTo("Service");
			assertThat(principal.id()).isEqualTo("transfer.amazonaws.com");
		});
		assertThat(statement.actions()).extracting((action) -> action.value()).containsExactly("sts:AssumeRole");
		assertThat(statement.conditions())
			.extracting((condition) -> condition.operator().value(), (condition) -> condition.key().value(),
					(condition) -> condition.value())
			.containsExactlyInAnyOrder(tuple("StringEquals", "aws:SourceAccount", "123456789012"),
					tuple("ArnLike", "aws:SourceArn", USER_ARN));
		assertThat(trust.toJson()).contains("transfer.amazonaws.com", "sts:AssumeRole", "aws:SourceAccount",
				"aws:SourceArn");
	}

	private static IamPolicy homeFolderPolicy(AccessLevel accessLevel) {
		return TransferPolicies.homeFolderPolicy("aws", "123456789012", "payments-inbox", "alice", KEY_ARN,
				accessLevel);
	}

	private static IamStatement statement(IamPolicy policy, String sid) {
		return policy.statements()
			.stream()
			.filter((statement) -> sid.equals(statement.sid()))
			.findFirst()
			.orElseThrow();
	}

	@Test
	void actionNamesAreComparedWithoutRegardToCase() {
		IamPolicy upper = Policies
			.parse("""
					{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*"}]}""");
		IamPolicy lower = Policies
			.parse("""
					{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["KMS:generatedatakey","kms:decrypt"],"Resource":"*"}]}""");
		IamPolicy other = Policies
			.parse("""
					{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*"}]}""");

		assertThat(Policies.sameMeaning(upper, lower)).isTrue();
		assertThat(Policies.sameMeaning(upper, other)).isFalse();
	}

}
