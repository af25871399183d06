package io.transferportal.requests;

import java.util.Set;

import io.transferportal.accounts.PortalRole;

/**
 * Who asks the requests module to do something. The module decides what the actor may do
 * ({@link RequestAccessPolicy}); the adapters only say who is acting.
 * <p>
 * A {@link Person} is named only: the roles and the enabled state are read from the
 * account store at every command, so an administrator's change takes effect on the very
 * next command. An {@link SsoPerson} has no account in the store; the roles are what the
 * identity provider's groups gave at sign-in. An {@link Integration} is an API client
 * with its scopes and never a person, so it can never approve.
 */
public sealed interface Actor permits Actor.Person, Actor.SsoPerson, Actor.Integration {

	/** The scope an integration needs to change anything. */
	String WRITE_SCOPE = "requests:write";

	/** The name recorded as requester, approver or canceller. */
	String name();

	static Actor person(String userName) {
		return new Person(userName);
	}

	static Actor ssoPerson(String name, Set<PortalRole> roles) {
		return new SsoPerson(name, roles);
	}

	static Actor integration(String name, Set<String> scopes) {
		return new Integration(name, scopes);
	}

	/** A person with a portal account; roles and enabled state are looked up. */
	record Person(String name) implements Actor {
	}

	/**
	 * A person signed in with single sign-on ({@code sso:<name>}), with the roles their
	 * groups gave them.
	 */
	record SsoPerson(String name, Set<PortalRole> roles) implements Actor {

		public SsoPerson {
			roles = Set.copyOf(roles);
		}

	}

	/** An API client ({@code api:<client>}) with its scopes. */
	record Integration(String name, Set<String> scopes) implements Actor {

		public Integration {
			scopes = Set.copyOf(scopes);
		}

	}

}
