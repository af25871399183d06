package io.transferportal.ticketing;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.Adoption;

/**
 * {@code POST /api/v1/users/{serverId}/{userName}/adopt}: where the portal's rules put a
 * Transfer user that exists outside it. Its role and SSH keys are kept. Part of the
 * public contract of API v1, like {@link ApiResources}.
 */
record AdoptRequest(
		@NotBlank @Size(max = 100) @Pattern(regexp = ApiResources.TICKET_REF,
				message = ApiResources.TICKET_REF_MESSAGE) String ticketRef,
		@Size(max = 100) @Pattern(regexp = ApiResources.PRINTABLE) String bucket,
		@Size(max = 600) @Pattern(regexp = ApiResources.PRINTABLE) @Nullable String homePrefix,
		@Size(max = 300) @Pattern(regexp = ApiResources.PRINTABLE) String kmsKeyArn, @Nullable AccessLevel accessLevel,
		@Size(max = 2048) @Pattern(regexp = ApiResources.PRINTABLE) @Nullable String callbackUrl) {

	Adoption toAdoption(String serverId, String userName) {
		return new Adoption(serverId, userName, (this.bucket != null) ? this.bucket : "", this.homePrefix,
				(this.kmsKeyArn != null) ? this.kmsKeyArn : "", this.accessLevel);
	}

}
