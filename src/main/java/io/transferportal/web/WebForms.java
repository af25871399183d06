package io.transferportal.web;

import org.springframework.beans.propertyeditors.StringTrimmerEditor;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Form fields and request parameters arrive trimmed, and blank ones as {@code null}, so
 * "not filled in" means one thing everywhere. Not for the account administration pages: a
 * password keeps every character it was typed with.
 */
@ControllerAdvice(assignableTypes = { RequestController.class, UserController.class, AdoptionController.class,
		DashboardController.class, AuditPageController.class })
class WebForms {

	@InitBinder
	void trimStrings(WebDataBinder binder) {
		binder.registerCustomEditor(String.class, new StringTrimmerEditor(true));
	}

}
