package io.transferportal.support;

/**
 * One AWS API operation as the proxy saw it: the service (from the signature's credential
 * scope), the operation's name and whether it only reads.
 *
 * @param service the signing name, such as {@code iam}, {@code kms}, {@code s3}
 * @param operation the API operation, such as {@code CreateRole}
 * @param read whether it is a read (Get, Describe, List or Head)
 */
public record AwsCall(String service, String operation, boolean read) {

	public static AwsCall of(String service, String operation) {
		return new AwsCall(service, operation, isRead(operation));
	}

	public static boolean isRead(String operation) {
		return operation.startsWith("Get") || operation.startsWith("Describe") || operation.startsWith("List")
				|| operation.startsWith("Head");
	}

	/** {@code service:Operation}, as the results name it. */
	public String name() {
		return this.service + ":" + this.operation;
	}

}
