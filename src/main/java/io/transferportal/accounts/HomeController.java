package io.transferportal.accounts;

import java.util.Arrays;
import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
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

	// only the portal roles: Spring Security also grants factor authorities such as
	// FACTOR_PASSWORD
	private static List<PortalRole> roles(Authentication authentication) {
		List<String> authorities = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.toList();
		return Arrays.stream(PortalRole.values()).filter((role) -> authorities.contains(role.authority())).toList();
	}

}
