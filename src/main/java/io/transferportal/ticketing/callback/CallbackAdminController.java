package io.transferportal.ticketing.callback;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.transferportal.ticketing.callback.CallbackDeliveries.DeliveryView;

/**
 * Every callback delivery with all its attempts, for administrators ({@code /admin/**}
 * needs ADMIN) finding out why a ticketing system did not hear about a change.
 */
@RestController
class CallbackAdminController {

	static final int MAX_RESULTS = 100;

	private final CallbackDeliveries deliveries;

	CallbackAdminController(CallbackDeliveries deliveries) {
		this.deliveries = deliveries;
	}

	/**
	 * The deliveries of one request, or without {@code requestId} the latest ones of all
	 * requests; newest first.
	 */
	@GetMapping("/admin/callbacks")
	List<DeliveryView> deliveries(@RequestParam(required = false) @Nullable Long requestId) {
		return this.deliveries.findViews(requestId, MAX_RESULTS);
	}

}
