package io.transferportal.provisioning.s3;

import java.util.List;

import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.aws.AwsErrors;

/**
 * The account's buckets, for the request form's picker: ListBuckets, paged ("Returns a
 * list of all buckets owned by the authenticated sender of the request", at most
 * {@code MaxBuckets} per page:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html). Needs
 * {@code s3:ListAllMyBuckets}.
 */
@Component
public class BucketList {

	/** More than a person scrolls through; the field still takes any name typed. */
	static final int MAX_SHOWN = 1000;

	private final S3Client s3;

	BucketList(S3Client s3) {
		this.s3 = s3;
	}

	/** Bucket names, sorted, at most {@value #MAX_SHOWN}. */
	public List<String> names() {
		return AwsErrors.call(ResourceKind.BUCKET_ENCRYPTION, "ListBuckets",
				() -> this.s3.listBucketsPaginator((request) -> request.maxBuckets(MAX_SHOWN))
					.buckets()
					.stream()
					.limit(MAX_SHOWN)
					.map(Bucket::name)
					.sorted()
					.toList());
	}

}
