package io.transferportal.support;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the AWS operation of a captured HTTP request, as the SDK sends it: the
 * {@code X-Amz-Target} header for JSON protocols (KMS, Transfer), the {@code Action}
 * parameter for the query protocol (IAM, STS), and method, path and sub-resource for S3's
 * REST protocol. The service is the signing name in the {@code Authorization} header's
 * credential scope, which every SigV4 request carries.
 */
final class AwsCallClassifier {

	private static final Pattern CREDENTIAL_SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/");

	/**
	 * S3 bucket sub-resources and the names of their GET, PUT and DELETE operations.
	 */
	private static final Map<String, String> S3_SUBRESOURCES = Map.ofEntries(
			Map.entry("encryption", "BucketEncryption"), Map.entry("policy", "BucketPolicy"),
			Map.entry("location", "BucketLocation"), Map.entry("tagging", "BucketTagging"),
			Map.entry("versioning", "BucketVersioning"), Map.entry("acl", "BucketAcl"),
			Map.entry("ownershipControls", "BucketOwnershipControls"),
			Map.entry("publicAccessBlock", "PublicAccessBlock"), Map.entry("lifecycle", "BucketLifecycleConfiguration"),
			Map.entry("cors", "BucketCors"), Map.entry("notification", "BucketNotificationConfiguration"),
			Map.entry("policyStatus", "BucketPolicyStatus"), Map.entry("logging", "BucketLogging"));

	private AwsCallClassifier() {
	}

	/**
	 * The operation of one request.
	 * @param method the HTTP method
	 * @param rawPath the request path, not decoded
	 * @param rawQuery the query string, not decoded, or {@code null}
	 * @param authorization the {@code Authorization} header, or {@code null}
	 * @param target the {@code X-Amz-Target} header, or {@code null}
	 * @param contentType the {@code Content-Type} header, or {@code null}
	 * @param body the request body
	 */
	static AwsCall classify(String method, String rawPath, String rawQuery, String authorization, String target,
			String contentType, byte[] body) {
		String service = service(authorization);
		if (target != null && !target.isBlank()) {
			// JSON protocols: "TrentService.CreateKey", "TransferService.CreateUser"
			return AwsCall.of(service, target.substring(target.lastIndexOf('.') + 1));
		}
		Map<String, String> query = parameters(rawQuery);
		String action = query.get("Action");
		if (action == null && contentType != null
				&& contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
			action = parameters(new String(body, StandardCharsets.UTF_8)).get("Action");
		}
		if (action != null) {
			return AwsCall.of(service, action);
		}
		if ("s3".equals(service)) {
			return AwsCall.of(service, s3Operation(method.toUpperCase(Locale.ROOT), rawPath, query));
		}
		return AwsCall.of(service, method.toUpperCase(Locale.ROOT) + " " + rawPath);
	}

	static String service(String authorization) {
		if (authorization == null) {
			return "unsigned";
		}
		Matcher matcher = CREDENTIAL_SCOPE.matcher(authorization);
		return matcher.find() ? matcher.group(1) : "unsigned";
	}

	/** S3's REST operations, path style ({@code /bucket/key}). */
	static String s3Operation(String method, String rawPath, Map<String, String> query) {
		String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
		int slash = path.indexOf('/');
		boolean hasBucket = !path.isEmpty();
		boolean hasKey = slash >= 0 && slash < path.length() - 1;
		if (!hasBucket) {
			return "GET".equals(method) ? "ListBuckets" : method + " /";
		}
		if (hasKey) {
			if (query.containsKey("tagging")) {
				return verb(method) + "ObjectTagging";
			}
			if (query.containsKey("uploads") || query.containsKey("uploadId")) {
				return method + " multipart upload";
			}
			return switch (method) {
				case "PUT" -> "PutObject";
				case "GET" -> "GetObject";
				case "HEAD" -> "HeadObject";
				case "DELETE" -> "DeleteObject";
				default -> method + " object";
			};
		}
		for (Map.Entry<String, String> subresource : S3_SUBRESOURCES.entrySet()) {
			if (query.containsKey(subresource.getKey())) {
				return verb(method) + subresource.getValue();
			}
		}
		if (query.containsKey("delete") && "POST".equals(method)) {
			return "DeleteObjects";
		}
		return switch (method) {
			case "PUT" -> "CreateBucket";
			case "HEAD" -> "HeadBucket";
			case "DELETE" -> "DeleteBucket";
			case "GET" -> "2".equals(query.get("list-type")) ? "ListObjectsV2" : "ListObjects";
			default -> method + " bucket";
		};
	}

	private static String verb(String method) {
		return switch (method) {
			case "GET" -> "Get";
			case "PUT" -> "Put";
			case "DELETE" -> "Delete";
			case "HEAD" -> "Head";
			default -> method;
		};
	}

	/** The parameters of a query string or form body, decoded; a bare name maps to "". */
	static Map<String, String> parameters(String encoded) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (encoded == null || encoded.isEmpty()) {
			return parameters;
		}
		for (String pair : encoded.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = (equals < 0) ? pair : pair.substring(0, equals);
			String value = (equals < 0) ? "" : pair.substring(equals + 1);
			parameters.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
					URLDecoder.decode(value, StandardCharsets.UTF_8));
		}
		return parameters;
	}

}
