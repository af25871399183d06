package io.transferportal.requests;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Approval rules.
 *
 * @param required how many different people (never the requester) must approve the same
 * plan
 */
@Validated
@ConfigurationProperties("portal.approvals")
public record ApprovalProperties(@DefaultValue("1") @Min(1) int required) {
}
