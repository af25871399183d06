/**
 * The role the Transfer user assumes and the portal's inline policy on it.
 */
package io.transferportal.provisioning.iam;
