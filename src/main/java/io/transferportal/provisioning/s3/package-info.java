/**
 * The bucket's default encryption.
 */
package io.transferportal.provisioning.s3;
