/**
 * Accounts: who may sign in to the portal, with which roles, and the login rules (hashed
 * passwords, throttled guessing, the web security configuration).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {})
@org.jspecify.annotations.NullMarked
package io.transferportal.accounts;
