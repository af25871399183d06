/**
 * The one place that builds AWS clients, and the one table from AWS error codes to what
 * the portal does about them.
 */
package io.transferportal.provisioning.aws;
