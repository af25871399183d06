/**
 * Checks of a request that need no AWS call: names, prefixes, ARNs, SSH keys, tags.
 */
package io.transferportal.provisioning.validation;
