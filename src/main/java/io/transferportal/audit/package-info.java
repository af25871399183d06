/**
 * The append-only audit trail: who did what and when (submissions, decisions, status
 * changes, every AWS change with its documents before and after, and verification results
 * that changed), filterable and exportable.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "requests", "provisioning" })
@org.jspecify.annotations.NullMarked
package io.transferportal.audit;
