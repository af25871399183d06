package io.transferportal.accounts;

import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page and the start page a user lands on after signing in. */
@Controller
class HomeController {

	@GetMapping("/login")
	String login() {
		return "login";
	}

	@GetMapping("/")
	String home(Authentication authentication, Model model) {
		model.addAttribute("username", authentication.getName());
		model.addAttribute("roles", roles(authentication));
		return "home";
	}

	private static List<PortalRole> roles(Authentication authentication) {
		return List.copyOf(PortalRole.of(authentication));
	}

}
