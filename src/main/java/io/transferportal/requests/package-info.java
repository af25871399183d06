/**
 * Requests and approvals: a requester asks for a Transfer user (or its repair or
 * removal), the portal stores the exact plan, approvers approve it (four eyes), and the
 * approved plan is applied durably, once, and verified. Also keeps the register of
 * managed Transfer users and re-verifies them in the background.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "provisioning", "accounts" })
@org.jspecify.annotations.NullMarked
package io.transferportal.requests;
