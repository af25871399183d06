/**
 * The Transfer user with its session policy and SSH keys, and the servers users can be
 * requested on.
 */
package io.transferportal.provisioning.transfer;
