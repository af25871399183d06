/**
 * Transfer Portal: AWS Transfer Family users on SSE-KMS buckets, planned, approved by a
 * second person, applied, audited and verified. One Spring Modulith module per
 * sub-package.
 */
package io.transferportal;
