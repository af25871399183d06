/**
 * Signed status callbacks: every status change of a request that came in through the API
 * with a callback URL is stored as a delivery and POSTed, signed, to an allowed host,
 * with retries and every attempt kept for admins.
 */
@org.jspecify.annotations.NullMarked
package io.transferportal.ticketing.callback;
