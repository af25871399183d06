package io.transferportal.web;

import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

import io.transferportal.provisioning.ProvisioningEngine;
import io.transferportal.provisioning.ProvisioningException;
import io.transferportal.provisioning.ResourceChoices;

/**
 * What the request and adoption forms offer to pick from: the Transfer servers (a
 * drop-down), the buckets and the keys by alias (suggestions under fields that take any
 * value). A list AWS does not give leaves its field to be typed, with the reason beside
 * it.
 */
@Component
class FormChoices {

	private final ProvisioningEngine engine;

	private final ResourceChoices choices;

	FormChoices(ProvisioningEngine engine, ResourceChoices choices) {
		this.engine = engine;
		this.choices = choices;
	}

	void addTo(Model model) {
		try {
			model.addAttribute("servers", this.engine.transferServers());
		}
		catch (ProvisioningException ex) {
			model.addAttribute("servers", List.of());
			model.addAttribute("serverError", "The list of Transfer servers is not available: " + ex.getMessage());
		}
		model.addAttribute("buckets", this.choices.buckets());
		model.addAttribute("keys", this.choices.keys());
	}

}
