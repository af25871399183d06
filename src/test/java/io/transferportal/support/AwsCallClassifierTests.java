package io.transferportal.support;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark proxy's names for captured requests, as the SDK sends them, and its
 * counts.
 */
class AwsCallClassifierTests {

	private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";

	private static String authorization(String service) {
		return "AWS4-HMAC-SHA256 Credential=bench/20260301/us-east-1/" + service
				+ "/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";
	}

	private static AwsCall classify(String method, String path, String query, String service, String target,
			String contentType, String body) {
		return AwsCallClassifier.classify(method, path, query, authorization(service), target, contentType,
				body.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void jsonProtocolsAreNamedByTheirTarget() {
		assertThat(classify("POST", "/", null, "kms", "TrentService.PutKeyPolicy", "application/x-amz-json-1.1", "{}"))
			.isEqualTo(new AwsCall("kms", "PutKeyPolicy", false));
		assertThat(classify("POST", "/", null, "kms", "TrentService.GetKeyPolicy", "application/x-amz-json-1.1", "{}"))
			.isEqualTo(new AwsCall("kms", "GetKeyPolicy", true));
		assertThat(classify("POST", "/", null, "transfer", "TransferService.DescribeUser", "application/x-amz-json-1.1",
				"{}"))
			.isEqualTo(new AwsCall("transfer", "DescribeUser", true));
	}

	@Test
	void queryProtocolsAreNamedByTheirActionInTheFormOrTheQuery() {
		assertThat(classify("POST", "/", null, "iam", null, FORM, "Action=CreateRole&Version=2010-05-08&RoleName=r"))
			.isEqualTo(new AwsCall("iam", "CreateRole", false));
		assertThat(classify("POST", "/", null, "sts", null, FORM, "Version=2011-06-15&Action=GetCallerIdentity"))
			.isEqualTo(new AwsCall("sts", "GetCallerIdentity", true));
		assertThat(classify("GET", "/", "Action=ListRoles&Version=2010-05-08", "iam", null, null, ""))
			.isEqualTo(new AwsCall("iam", "ListRoles", true));
	}

	@Test
	void s3IsNamedByMethodPathAndSubresource() {
		assertThat(classify("GET", "/inbox", "encryption", "s3", null, null, ""))
			.isEqualTo(new AwsCall("s3", "GetBucketEncryption", true));
		assertThat(classify("PUT", "/inbox", "encryption", "s3", null, "application/xml", "<x/>"))
			.isEqualTo(new AwsCall("s3", "PutBucketEncryption", false));
		assertThat(classify("GET", "/inbox", "policy", "s3", null, null, ""))
			.isEqualTo(new AwsCall("s3", "GetBucketPolicy", true));
		assertThat(classify("GET", "/inbox", "location", "s3", null, null, ""))
			.isEqualTo(new AwsCall("s3", "GetBucketLocation", true));
		assertThat(classify("PUT", "/inbox/partner-acme/", null, "s3", null, null, ""))
			.isEqualTo(new AwsCall("s3", "PutObject", false));
		assertThat(classify("HEAD", "/inbox/partner-acme/", null, "s3", null, null, ""))
			.isEqualTo(new AwsCall("s3", "HeadObject", true));
		assertThat(classify("PUT", "/inbox", null, "s3", null, null, ""))
			.isEqualTo(new AwsCall("s3", "CreateBucket", false));
		assertThat(classify("HEAD", "/inbox", null, "s3", null, null, ""))
			.isEqualTo(new AwsCall("s3", "HeadBucket", true));
		assertThat(classify("GET", "/inbox", "list-type=2&prefix=a%2F", "s3", null, null, ""))
			.isEqualTo(new AwsCall("s3", "ListObjectsV2", true));
		assertThat(classify("GET", "/", null, "s3", null, null, "")).isEqualTo(new AwsCall("s3", "ListBuckets", true));
	}

	@Test
	void aRequestWithoutASignatureIsCountedAsUnsigned() {
		assertThat(AwsCallClassifier.classify("GET", "/moto-api/", null, null, null, null, new byte[0]).service())
			.isEqualTo("unsigned");
	}

	@Test
	void countsSplitIntoReadsAndWritesPerOperation() {
		CallCounter counter = new CallCounter();
		counter.record(AwsCall.of("iam", "GetRole"), 1_000_000_000L);
		counter.record(AwsCall.of("iam", "GetRole"), 2_000_000_000L);
		counter.record(AwsCall.of("iam", "CreateRole"), 3_500_000_000L);
		CallCounter.Snapshot snapshot = counter.snapshot();
		assertThat(snapshot.byName()).containsExactly(Map.entry("iam:CreateRole", 1L), Map.entry("iam:GetRole", 2L));
		assertThat(snapshot.reads()).isEqualTo(2);
		assertThat(snapshot.writes()).isEqualTo(1);
		assertThat(snapshot.seconds()).isEqualTo(2.5);
		assertThat(counter.reset().total()).isEqualTo(3);
		assertThat(counter.snapshot().total()).isZero();
		assertThat(counter.snapshot().seconds()).isZero();
	}

}
