package io.transferportal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.json.JsonMapper;

import io.transferportal.accounts.AccountManagement;
import io.transferportal.accounts.PortalRole;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Actor;
import io.transferportal.requests.RequestStatus;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;
import io.transferportal.ticketing.ApiClientManagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Every command, for every kind of caller, through both doors: the web UI (a real form
 * sign-in, its session and CSRF token) and the REST API (bearer tokens). Both doors must
 * give the same answer, and it must be the one written in {@link #EXPECTED} (the access
 * matrix of the requests module). The disabled account and the removed role got their
 * session and token before the administrator's change, as a person who is signed in
 * would.
 * <p>
 * The fixtures make each command possible for an actor who may do it: pending requests of
 * another requester to approve, reject or cancel, one of the actor's own to cancel, a
 * failed request to retry, a pending request of another requester to close, and an active
 * managed user to verify, repair, change and deprovision (a repair, change or removal an
 * actor submitted is cancelled again, so the next cell can ask too).
 * <p>
 * Two commands are refused for the state even for an actor who may do them, which is
 * enough to tell the access rules' answer apart ({@link #stateRefusal}): the adoption
 * names the managed user, so an allowed actor is told it is already managed (a user
 * outside the portal would be adopted by the first allowed cell and could not be asked
 * for by the next); and periodic reviews are off in this context, so an allowed reviewer
 * is told that. Either comes only after the access rules let the actor through.
 */
@PortalIntegrationTest
class AccessMatrixIntegrationTests {

	enum Who {

		ANONYMOUS, REQUESTER, APPROVER, ADMIN, READ_CLIENT, WRITE_CLIENT, READ_WRITE_CLIENT, DISABLED, ROLE_REMOVED;

		boolean isClient() {
			return this == READ_CLIENT || this == WRITE_CLIENT || this == READ_WRITE_CLIENT;
		}

	}

	enum Command {

		SUBMIT, CANCEL_OWN, CANCEL_OTHERS, APPROVE, REJECT, RETRY, VERIFY, REPAIR, DEPROVISION, CHANGE, ADOPT, REVIEW,
		CLOSE

	}

	/**
	 * What the caller gets past the access rules: done, or refused for the state only.
	 */
	enum Access {

		ALLOWED, FORBIDDEN, UNAUTHENTICATED

	}

	static final Access A = Access.ALLOWED;

	static final Access F = Access.FORBIDDEN;

	static final Access U = Access.UNAUTHENTICATED;

	/**
	 * The specification, one row per caller, columns in {@link Command} order;
	 * {@code null} where the cell does not exist (someone who cannot submit has no own
	 * request).
	 */
	static final Map<Who, Access[]> EXPECTED = new EnumMap<>(Who.class);

	static {
		// SUBMIT CANCEL_OWN CANCEL_OTHERS APPROVE REJECT RETRY VERIFY REPAIR DEPROVISION
		// CHANGE ADOPT REVIEW CLOSE
		EXPECTED.put(Who.ANONYMOUS, new Access[] { U, null, U, U, U, U, U, U, U, U, U, U, U });
		EXPECTED.put(Who.REQUESTER, new Access[] { A, A, F, F, F, F, A, F, F, A, A, F, F });
		EXPECTED.put(Who.APPROVER, new Access[] { F, null, F, A, A, A, A, F, F, F, F, A, F });
		EXPECTED.put(Who.ADMIN, new Access[] { A, A, F, F, F, A, A, A, A, A, A, F, A });
		EXPECTED.put(Who.READ_CLIENT, new Access[] { F, null, F, F, F, F, F, F, F, F, F, F, F });
		EXPECTED.put(Who.WRITE_CLIENT, new Access[] { A, A, F, F, F, A, A, A, A, A, A, F, F });
		EXPECTED.put(Who.READ_WRITE_CLIENT, new Access[] { A, A, F, F, F, A, A, A, A, A, A, F, F });
		// had every role when signing in; disabled since
		EXPECTED.put(Who.DISABLED, new Access[] { U, U, U, U, U, U, U, U, U, U, U, U, U });
		// had every role when signing in; only REQUESTER since
		EXPECTED.put(Who.ROLE_REMOVED, new Access[] { A, A, F, F, F, F, A, F, F, A, A, F, F });
	}

	static final String PASSWORD = "matrix-password-1";

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final AtomicInteger names = new AtomicInteger();

	@Autowired
	MockMvc mvc;

	@Autowired
	AwsFixtures aws;

	@Autowired
	S3Client s3;

	@Autowired
	AccountManagement accounts;

	@Autowired
	ApiClientManagement clients;

	@Autowired
	AccessRequestManagement requests;

	String server;

	String bucket;

	String key;

	Actor requester;

	Actor approver;

	@ParameterizedTest
	@EnumSource(Who.class)
	void bothDoorsGiveTheAnswerOfTheMatrix(Who who) throws Exception {
		this.server = this.aws.sftpServer();
		this.bucket = this.aws.bucket();
		this.key = this.aws.rootDelegatingKey();
		this.requester = Actor.person(account(Set.of(PortalRole.REQUESTER)).name());
		this.approver = Actor.person(account(Set.of(PortalRole.APPROVER)).name());
		Caller caller = caller(who);

		// fixtures first, while the caller still has the account and roles it signed in
		// with
		Map<Door, Map<Command, Long>> pending = new EnumMap<>(Door.class);
		for (Door door : Door.values()) {
			Map<Command, Long> ids = new EnumMap<>(Command.class);
			for (Command command : List.of(Command.CANCEL_OTHERS, Command.APPROVE, Command.REJECT, Command.CLOSE)) {
				ids.put(command, submit(this.requester));
			}
			if (caller.actor != null && EXPECTED.get(who)[Command.CANCEL_OWN.ordinal()] != null) {
				ids.put(Command.CANCEL_OWN, submit(caller.actor));
			}
			pending.put(door, ids);
		}
		long failed = failedRequest();
		String active = activeUser();

		List<MockHttpSession> uiSessions = new ArrayList<>();
		if (caller.password != null) {
			// one session per command: signing a disabled account out ends its session
			for (int i = 0; i < Command.values().length; i++) {
				uiSessions.add(signIn(caller.name));
			}
		}
		if (who == Who.DISABLED) {
			this.accounts.setEnabled(caller.name, false);
		}
		if (who == Who.ROLE_REMOVED) {
			this.accounts.setRoles(caller.name, Set.of(PortalRole.REQUESTER));
		}

		List<String> report = new ArrayList<>();
		for (Command command : Command.values()) {
			Access expected = EXPECTED.get(who)[command.ordinal()];
			if (expected == null) {
				continue;
			}
			Map<Door, Access> answers = new EnumMap<>(Door.class);
			for (Door door : Door.values()) {
				if (door == Door.UI && who.isClient()) {
					continue; // an integration has no browser
				}
				MockHttpSession session = (door == Door.UI && !uiSessions.isEmpty()) ? uiSessions.get(command.ordinal())
						: null;
				if (command == Command.RETRY) {
					awaitStatus(failed, RequestStatus.FAILED);
				}
				Long id = (command == Command.RETRY) ? Long.valueOf(failed) : pending.get(door).get(command);
				Answer answer = call(door, command, caller, session, id, active);
				answers.put(door, answer.access());
				report.add(who + " " + command + " via " + door + ": " + answer);
				String refusal = stateRefusal(command);
				if (answer.access() == Access.ALLOWED && refusal != null) {
					assertThat(answer.detail())
						.as("%s %s via %s is refused for the state only: %s", who, command, door, answer)
						.contains(refusal);
				}
				else if (answer.access() == Access.ALLOWED && command != Command.RETRY) {
					assertThat(answer.done())
						.as("%s %s via %s is possible for an allowed caller: %s", who, command, door, answer)
						.isTrue();
				}
				if (answer.access() == Access.ALLOWED
						&& (command == Command.REPAIR || command == Command.DEPROVISION || command == Command.CHANGE)) {
					// frees the user for the next cell
					this.requests.cancel(answer.requestId(), caller.actor);
				}
			}
			assertThat(answers.values()).as("%s %s: %s", who, command, report).containsOnly(expected);
		}
	}

	@Test
	void anUnknownRequestOrUserIsNotFoundThroughBothDoors() throws Exception {
		this.server = this.aws.sftpServer();
		Caller admin = account(EnumSet.allOf(PortalRole.class));
		MockHttpSession session = signIn(admin.name());
		String nobody = "/users/" + this.server + "/nobody";
		for (MockHttpServletRequestBuilder request : List.of(post("/requests/987654321/approve"),
				post("/requests/987654321/reject"), post("/requests/987654321/cancel"),
				post("/requests/987654321/retry"), post(nobody + "/verify"), post(nobody + "/repair"),
				post(nobody + "/deprovision"))) {
			assertThat(this.mvc.perform(request.session(session).with(csrf())).andReturn().getResponse().getStatus())
				.isEqualTo(404);
		}
		for (MockHttpServletRequestBuilder request : List.of(json(post("/api/v1/requests/987654321/approve"), Map.of()),
				json(post("/api/v1/requests/987654321/reject"), Map.of("reason", "no")),
				post("/api/v1/requests/987654321/cancel"), post("/api/v1/requests/987654321/retry"),
				post("/api/v1" + nobody + "/verify"), post("/api/v1" + nobody + "/repair").param("ticketRef", "MX-1"),
				delete("/api/v1" + nobody).param("ticketRef", "MX-2"))) {
			MvcResult result = this.mvc.perform(request.header("Authorization", "Bearer " + admin.token())).andReturn();
			assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(404);
		}
	}

	/**
	 * What an allowed actor is told when the fixtures make the command impossible for
	 * everyone; {@code null} when the command is done.
	 */
	static @Nullable String stateRefusal(Command command) {
		return switch (command) {
			case ADOPT -> "already managed";
			case REVIEW -> "reviews are off";
			default -> null;
		};
	}

	Caller caller(Who who) {
		return switch (who) {
			case ANONYMOUS -> new Caller("anonymous", null, null, null);
			case REQUESTER -> account(Set.of(PortalRole.REQUESTER));
			case APPROVER -> account(Set.of(PortalRole.APPROVER));
			case ADMIN -> account(Set.of(PortalRole.ADMIN));
			case DISABLED, ROLE_REMOVED -> account(EnumSet.allOf(PortalRole.class));
			case READ_CLIENT -> client(Set.of("requests:read"));
			case WRITE_CLIENT -> client(Set.of("requests:write"));
			case READ_WRITE_CLIENT -> client(Set.of("requests:read", "requests:write"));
		};
	}

	Caller account(Set<PortalRole> roles) {
		String name = "mx" + names.incrementAndGet() + "-" + hex();
		String token = "tok-" + hex() + hex() + hex() + hex() + hex();
		this.accounts.ensureExists(name, PASSWORD, roles, token);
		return new Caller(name, Actor.person(name), PASSWORD, token);
	}

	Caller client(Set<String> scopes) {
		String name = "client" + names.incrementAndGet() + "-" + hex();
		String token = this.clients.create(name, scopes, null);
		return new Caller("api:" + name, Actor.integration("api:" + name, scopes), null, token);
	}

	MockHttpSession signIn(String name) throws Exception {
		MvcResult result = this.mvc
			.perform(post("/login").param("username", name).param("password", PASSWORD).with(csrf()))
			.andReturn();
		assertThat(result.getResponse().getRedirectedUrl()).as("signed in").isEqualTo("/");
		return (MockHttpSession) result.getRequest().getSession(false);
	}

	Answer call(Door door, Command command, Caller caller, @Nullable MockHttpSession session, @Nullable Long id,
			String active) throws Exception {
		String user = "/users/" + this.server + "/" + active;
		String ticket = "MX-" + hex();
		UserSpec approved = this.requests.managedUser(this.server, active).orElseThrow().spec();
		if (door == Door.UI) {
			MockHttpServletRequestBuilder request = switch (command) {
				case SUBMIT -> form(newUserName());
				case CANCEL_OWN, CANCEL_OTHERS -> post("/requests/" + id + "/cancel");
				case APPROVE -> post("/requests/" + id + "/approve").param("comment", "fine");
				case REJECT -> post("/requests/" + id + "/reject").param("reason", "not needed");
				case RETRY -> post("/requests/" + id + "/retry");
				case VERIFY -> post(user + "/verify");
				case REPAIR -> post(user + "/repair").param("ticketRef", ticket);
				case DEPROVISION -> post(user + "/deprovision").param("ticketRef", ticket);
				// the change page sends every field, filled with the approved settings
				case CHANGE ->
					post(user + "/change").param("sshPublicKeys", String.join("\n", approved.sshPublicKeys()))
						.param("accessLevel", "READ_ONLY")
						.param("tags", tagLines(approved.tags()))
						.param("ticketRef", ticket);
				case ADOPT -> post("/users/adopt").param("serverId", this.server)
					.param("userName", active)
					.param("bucket", this.bucket)
					.param("kmsKeyArn", this.key)
					.param("accessLevel", "READ_WRITE")
					.param("ticketRef", ticket);
				case REVIEW -> post("/reviews").param("users", this.server + "/" + active)
					.param("decision", "CONFIRM")
					.param("comment", "still needed");
				case CLOSE -> post("/requests/" + id + "/close").param("reason", "nobody decides it");
			};
			if (session != null) {
				request.session(session);
			}
			return ui(this.mvc.perform(request.with(csrf())).andReturn());
		}
		MockHttpServletRequestBuilder request = switch (command) {
			case SUBMIT -> json(post("/api/v1/requests"), body(newUserName(), ticket));
			case CANCEL_OWN, CANCEL_OTHERS -> post("/api/v1/requests/" + id + "/cancel");
			case APPROVE -> json(post("/api/v1/requests/" + id + "/approve"), Map.of("comment", "fine"));
			case REJECT -> json(post("/api/v1/requests/" + id + "/reject"), Map.of("reason", "not needed"));
			case RETRY -> post("/api/v1/requests/" + id + "/retry");
			case VERIFY -> post("/api/v1" + user + "/verify");
			case REPAIR -> post("/api/v1" + user + "/repair").param("ticketRef", ticket);
			case DEPROVISION -> delete("/api/v1" + user).param("ticketRef", ticket);
			case CHANGE -> json(patch("/api/v1" + user), Map.of("ticketRef", ticket, "accessLevel", "READ_ONLY"));
			case ADOPT -> json(post("/api/v1" + user + "/adopt"),
					Map.of("ticketRef", ticket, "bucket", this.bucket, "kmsKeyArn", this.key));
			case REVIEW ->
				json(post("/api/v1" + user + "/review"), Map.of("decision", "CONFIRM", "comment", "still needed"));
			case CLOSE -> json(post("/api/v1/requests/" + id + "/close"), Map.of("reason", "nobody decides it"));
		};
		if (caller.token != null) {
			request.header("Authorization", "Bearer " + caller.token);
		}
		return api(this.mvc.perform(request).andReturn());
	}

	static Answer ui(MvcResult result) {
		int status = result.getResponse().getStatus();
		assertThat(status).as("never a server error").isLessThan(500);
		String location = result.getResponse().getRedirectedUrl();
		// what the page said: flash messages after a redirect, a form's error otherwise
		// (none when the security filters answered before any controller)
		List<Object> said = new ArrayList<>();
		if (result.getFlashMap() != null) {
			said.addAll(result.getFlashMap().values());
		}
		if (result.getModelAndView() != null && result.getModelAndView().getModel().get("error") != null) {
			said.add(result.getModelAndView().getModel().get("error"));
		}
		String detail = said.toString();
		if (status == 403) {
			return new Answer(Access.FORBIDDEN, false, status, null, detail);
		}
		if (status == 401 || (location != null && location.endsWith("/login"))) {
			return new Answer(Access.UNAUTHENTICATED, false, status, null, detail);
		}
		if (refusedByTheReviewRules(result)) {
			return new Answer(Access.FORBIDDEN, false, status, null, detail);
		}
		boolean done = status == 302 && result.getFlashMap().get("message") != null
				&& result.getFlashMap().get("error") == null;
		Long id = (location != null && location.matches("/requests/\\d+"))
				? Long.valueOf(location.substring("/requests/".length())) : null;
		return new Answer(Access.ALLOWED, done, status, id, detail);
	}

	/**
	 * The reviews page decides each selected user on its own and lists what was refused
	 * on the page it redirects to, so the access rules' refusal is a line there rather
	 * than a 403 (the message of {@code RequestAccessPolicy.mayReview}).
	 */
	static boolean refusedByTheReviewRules(MvcResult result) {
		return result.getFlashMap() != null && result.getFlashMap().get("refused") instanceof List<?> refused
				&& refused.stream().anyMatch((line) -> line.toString().contains("needs the APPROVER role to review"));
	}

	static Answer api(MvcResult result) throws Exception {
		int status = result.getResponse().getStatus();
		assertThat(status).as("never a server error").isLessThan(500);
		String body = result.getResponse().getContentAsString();
		if (status == 401) {
			return new Answer(Access.UNAUTHENTICATED, false, status, null, body);
		}
		if (status == 403) {
			return new Answer(Access.FORBIDDEN, false, status, null, body);
		}
		// anything else must be about the state, not about a broken fixture
		assertThat(status).as(body).isIn(200, 201, 202, 409);
		Long id = (status / 100 == 2 && body.contains("\"kind\"")) ? ((Number) JsonPath.read(body, "$.id")).longValue()
				: null;
		return new Answer(Access.ALLOWED, status / 100 == 2, status, id, body);
	}

	MockHttpServletRequestBuilder form(String userName) {
		return post("/requests").param("serverId", this.server)
			.param("userName", userName)
			.param("bucket", this.bucket)
			.param("kmsKeyArn", this.key)
			.param("sshPublicKeys", TestKeys.newEcdsaKey(userName))
			.param("accessLevel", "READ_WRITE")
			.param("_existingRole", "on") // the checkbox's marker, as the page sends it
			.param("ticketRef", "MX-" + hex());
	}

	Map<String, Object> body(String userName, String ticket) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("ticketRef", ticket);
		body.put("serverId", this.server);
		body.put("userName", userName);
		body.put("bucket", this.bucket);
		body.put("kmsKeyArn", this.key);
		body.put("sshPublicKeys", List.of(TestKeys.newEcdsaKey(userName)));
		return body;
	}

	static String tagLines(Map<String, String> tags) {
		return tags.entrySet()
			.stream()
			.map((tag) -> tag.getKey() + "=" + tag.getValue())
			.collect(Collectors.joining("\n"));
	}

	static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, Object body) {
		return request.contentType(MediaType.APPLICATION_JSON).content(JSON.writeValueAsString(body));
	}

	long submit(Actor actor) {
		String name = newUserName();
		return this.requests.submitProvision(spec(name, this.bucket), null, actor).id();
	}

	/** A request whose bucket disappeared after submission: its run fails. */
	long failedRequest() {
		String doomed = this.aws.bucket();
		long id = this.requests.submitProvision(spec(newUserName(), doomed), null, this.requester).id();
		this.s3.deleteBucket((request) -> request.bucket(doomed));
		this.requests.approve(id, this.approver, null);
		awaitStatus(id, RequestStatus.FAILED);
		return id;
	}

	String activeUser() {
		String name = newUserName();
		long id = this.requests.submitProvision(spec(name, this.bucket), null, this.requester).id();
		this.requests.approve(id, this.approver, null);
		awaitStatus(id, RequestStatus.ACTIVE);
		return name;
	}

	UserSpec spec(String userName, String bucket) {
		return AwsFixtures.spec(this.server, userName, bucket, this.key, TestKeys.newEcdsaKey(userName));
	}

	void awaitStatus(long id, RequestStatus status) {
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.requests.find(id).orElseThrow().status() == status);
	}

	static String newUserName() {
		return "mx" + names.incrementAndGet() + hex();
	}

	static String hex() {
		return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
	}

	enum Door {

		UI, API

	}

	/**
	 * What one door answered.
	 *
	 * @param access what the access rules said
	 * @param done whether the command did its work (not refused for the state)
	 * @param status the HTTP status
	 * @param requestId the request it created, if any
	 * @param detail what it said (the page's messages, the API's body)
	 */
	record Answer(Access access, boolean done, int status, @Nullable Long requestId, String detail) {
	}

	/** How the caller comes in through each door. */
	record Caller(String name, @Nullable Actor actor, @Nullable String password, @Nullable String token) {
	}

}
