/**
 * The demo profile's local AWS emulator, started and seeded at start-up.
 */
package io.transferportal.provisioning.demo;
