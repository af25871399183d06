/**
 * The web UI: server-rendered pages (templates in {@code frontend-templates/}) over the
 * other modules' APIs, with htmx for live updates. Controllers only bind input, call one
 * module method and pick a view.
 */
@org.springframework.modulith.ApplicationModule(
		allowedDependencies = { "requests", "provisioning", "audit", "accounts", "ticketing" })
@org.jspecify.annotations.NullMarked
package io.transferportal.web;
