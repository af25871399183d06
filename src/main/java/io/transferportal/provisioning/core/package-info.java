/**
 * What every resource shares: the target derived from a request, the
 * {@link io.transferportal.provisioning.core.UserResource} contract and its decisions,
 * and the locks.
 */
package io.transferportal.provisioning.core;
