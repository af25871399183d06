package io.transferportal.accounts;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.util.StringUtils;

/**
 * Turns the groups an OpenID Connect provider sends into portal roles
 * ({@link SsoProperties#groupRoles()}). Only the configured groups count, so a group
 * created at the provider gives nobody a portal role by accident. Role names are checked
 * at start-up, so a typo fails fast instead of silently granting nothing.
 */
final class GroupRoleMapper {

	private final String groupsClaim;

	private final Map<String, Set<PortalRole>> groupRoles;

	GroupRoleMapper(SsoProperties properties) {
		this.groupsClaim = properties.groupsClaim();
		Map<String, Set<PortalRole>> groupRoles = new HashMap<>();
		properties.groupRoles().forEach((group, roles) -> groupRoles.put(group, parse(group, roles)));
		this.groupRoles = Map.copyOf(groupRoles);
	}

	/**
	 * The roles of the groups in the claims; none when the groups claim is missing or
	 * names no configured group.
	 */
	Set<PortalRole> roles(Map<String, Object> claims) {
		Set<PortalRole> roles = EnumSet.noneOf(PortalRole.class);
		groups(claims.get(this.groupsClaim))
			.forEach((group) -> roles.addAll(this.groupRoles.getOrDefault(group, Set.of())));
		return roles;
	}

	// a JSON array is the usual form; some providers send a user's only group as a plain
	// string
	private static List<String> groups(@Nullable Object claim) {
		if (claim instanceof String group) {
			return List.of(group);
		}
		if (claim instanceof Collection<?> groups) {
			return groups.stream().filter(String.class::isInstance).map(String.class::cast).toList();
		}
		return List.of();
	}

	private static Set<PortalRole> parse(String group, String roles) {
		Set<PortalRole> parsed = EnumSet.noneOf(PortalRole.class);
		for (String role : StringUtils.commaDelimitedListToSet(roles)) {
			String name = role.trim();
			if (name.isEmpty()) {
				continue;
			}
			try {
				parsed.add(PortalRole.valueOf(name));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("portal.sso.group-roles: group '" + group + "' has unknown role '"
						+ name + "', expected one of " + Arrays.toString(PortalRole.values()), ex);
			}
		}
		return parsed;
	}

}
