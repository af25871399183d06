package io.transferportal.ticketing;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/**
 * What the OpenAPI document ({@code /v3/api-docs}) and its Swagger UI say about the REST
 * API as a whole: its name and version (the {@code v1} of its paths), and that every call
 * carries an API client's bearer token.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
		info = @Info(title = "Transfer Portal API", version = "v1",
				description = "Ask for AWS Transfer Family users on KMS-encrypted buckets, follow the requests "
						+ "through approval, and read the users' health. Errors are RFC 9457 problem documents."),
		security = @SecurityRequirement(name = ApiDocumentation.BEARER))
@SecurityScheme(name = ApiDocumentation.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
		description = "An API client's token, created by an administrator under Admin, API clients")
class ApiDocumentation {

	static final String BEARER = "api-token";

}
