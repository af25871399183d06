package io.transferportal.ticketing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import io.transferportal.support.AwsCallRecorder;
import io.transferportal.support.AwsFixtures;
import io.transferportal.support.LongTests;
import io.transferportal.support.PortalApi;
import io.transferportal.support.PortalIntegrationTest;
import io.transferportal.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * Generated hostile and malformed input on every API body and every form, and on the
 * query parameters of every list and page: ten thousand calls, each answered 2xx, 3xx or
 * 4xx, never 5xx, no response holding a stack trace or a class name, no page echoing
 * markup unescaped, and no AWS write for any of them. The generators mix valid values
 * (the fixtures' server, bucket and key, a real SSH key) with hostile ones field by
 * field, so the checks behind the first field are reached too. The seed is fixed: a
 * failure is shrunk, names the call, and the same seed finds it again.
 */
@Tag(LongTests.TAG)
@PortalIntegrationTest
class HostileInputPropertiesIntegrationTests {

	static final Log logger = LogFactory.getLog(HostileInputPropertiesIntegrationTests.class);

	static final int CALLS = 10_000;

	static final long SEED = 20261204L;

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** What a response must never show: the class and package names of a stack trace. */
	static final List<String> LEAKS = List.of("Exception", "\tat ", "at io.", "at org.", "at java.",
			"io.transferportal", "java.lang", "org.springframework", "org.hibernate", "jakarta.");

	static final List<String> HOSTILE = List.of("", " ", "abc\u0000def", "line\r\nInjected-Header: x",
			"'; DROP TABLE access_request; --", "\" OR 1=1 --", "<script>alert(1)</script>",
			"<img src=x onerror=alert(1)>", "${jndi:ldap://127.0.0.1/a}", "#{7*7}", "{{7*7}}[[${7*7}]]",
			"../../../etc/passwd", "..%2f..%2fetc%2fpasswd", "\u202Egnp.exe", "\uD800", "\uFEFF", "\u0007bell",
			"%00%0d%0a", "null", "true", "-1", "0", "2147483648", "9223372036854775808", "1e309", "NaN", "2026-13-45",
			"9999-12-31T23:59:59Z", "-999999999-01-01", "P-1D", "PT0S", "P99999999999D", "http://localhost:99999/",
			"http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/",
			"https://user:pass@127.0.0.1:8443/x", "arn:aws:kms:us-east-1:123456789012:key/",
			"arn:aws:iam::123456789012:role/../../admin", "ssh-ed25519 AAAA", "ssh-rsa " + "A".repeat(5000),
			"(a+)+$" + "a".repeat(40), "\u00e9\u00e8\u4e2d\u6587", "\uD83D\uDE00", "a,b;c\"d", "\"\"\"\"", "CONFIRM",
			"REVOKE", "ADMIN", "READ_ONLY", "READ_WRITE");

	static final String CALLBACK = "http://127.0.0.1:9/callback";

	/**
	 * MockMvc over the shared context, without the shared one's printing of every
	 * exchange of a failed test (ten thousand here).
	 */
	MockMvc mvc;

	@Autowired
	WebApplicationContext context;

	@Autowired
	AwsCallRecorder recorder;

	@Autowired
	AwsFixtures aws;

	/** The fixtures' server, bucket and key: the valid values the generators mix in. */
	Valid valid;

	@Test
	void anyGeneratedInputIsAnsweredWithoutA5xxALeakOrAnAwsWrite() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context)
			.apply(SecurityMockMvcConfigurers.springSecurity())
			.build();
		String key = this.aws.rootDelegatingKey();
		this.valid = new Valid(this.aws.sftpServer(), this.aws.bucketEncryptedWith(key), key, this.aws.existingRole());
		this.recorder.reset();
		Map<String, AtomicInteger> endpoints = new TreeMap<>();
		Map<Integer, AtomicInteger> statuses = new TreeMap<>();
		AtomicInteger sent = new AtomicInteger();

		QuickTheory.qt()
			.withFixedSeed(SEED)
			// it sends a few fewer than asked for (9,990 of 10,000): ask for a few more
			.withExamples(CALLS + CALLS / 100)
			.withShrinkCycles(100)
			.forAll(calls())
			.checkAssert((call) -> {
				sent.incrementAndGet();
				endpoints.computeIfAbsent(call.endpoint(), (name) -> new AtomicInteger()).incrementAndGet();
				int status = send(call);
				statuses.computeIfAbsent(status, (code) -> new AtomicInteger()).incrementAndGet();
			});

		logger.info("Sent " + sent + " generated calls; by status " + statuses + "; by endpoint " + endpoints);
		assertThat(sent.get()).as("generated calls").isGreaterThanOrEqualTo(CALLS);
		assertThat(statuses.keySet()).as("statuses").allMatch((status) -> status < 500);
		assertThat(endpoints).as("every endpoint reached")
			.hasSizeGreaterThanOrEqualTo(65)
			.allSatisfy((endpoint, calls) -> assertThat(calls.get()).as(endpoint).isGreaterThanOrEqualTo(20));
		assertThat(statuses.get(201)).as("valid submissions among them, created").isNotNull();
		assertThat(this.recorder.writes()).as("AWS writes for generated input").isEmpty();
		assertThat(this.recorder.calls()).as("valid submissions were planned (AWS read)").isNotEmpty();
	}

	private int send(Call call) {
		MockHttpServletResponse response;
		String body;
		try {
			response = this.mvc.perform(call.request()).andReturn().getResponse();
			body = response.getContentAsString(StandardCharsets.UTF_8);
		}
		catch (Exception ex) {
			// MockMvc passes on what no handler answered: a real server sends a 500
			throw new AssertionError("unhandled " + ex.getClass().getSimpleName() + " for " + call, ex);
		}
		assertThat(response.getStatus()).as("%s answered %s", call, body).isLessThan(500);
		assertThat(body).as("%s", call).doesNotContain(LEAKS);
		if (response.getContentType() != null && response.getContentType().startsWith("text/html")) {
			assertThat(body).as("%s: markup echoed unescaped", call).doesNotContain("<script>alert", "<img src=x");
		}
		assertThat(this.recorder.writes()).as("AWS writes after %s", call).isEmpty();
		return response.getStatus();
	}

	Gen<Call> calls() {
		return weighted(Pair.of(6, apiRequest()), Pair.of(3, apiBatch()), Pair.of(2, apiUserChange()),
				Pair.of(2, apiAdoption()), Pair.of(2, apiReview()), Pair.of(3, apiDecision()),
				Pair.of(2, apiUserAction()), Pair.of(3, apiList()), Pair.of(5, requestForm()), Pair.of(2, changeForm()),
				Pair.of(2, adoptForm()), Pair.of(3, decisionForm()), Pair.of(2, userActionForm()),
				Pair.of(2, reviewForm()), Pair.of(2, batchForm()), Pair.of(2, dashboardForm()), Pair.of(2, adminForm()),
				Pair.of(4, pageQuery()));
	}

	// --- the REST API

	Gen<Call> apiRequest() {
		Gen<String> token = apiCaller();
		Gen<String> body = jsonBody(requestFields(true));
		return (in) -> Call.api("POST /api/v1/requests", HttpMethod.POST, "/api/v1/requests", token.generate(in),
				body.generate(in));
	}

	Gen<Call> apiBatch() {
		Gen<Object> items = weighted(Pair.of(6, SourceDSL.lists().of(fields(requestFields(false))).ofSizeBetween(0, 4)),
				Pair.of(1, jsonValue()));
		Map<String, Gen<Object>> fields = new LinkedHashMap<>();
		fields.put("ticketRef", ticket());
		fields.put("callbackUrl", valid(constant(CALLBACK)));
		fields.put("requests", items);
		Gen<String> token = apiCaller();
		Gen<String> body = jsonBody(fields);
		return (in) -> Call.api("POST /api/v1/request-batches", HttpMethod.POST, "/api/v1/request-batches",
				token.generate(in), body.generate(in));
	}

	Gen<Call> apiUserChange() {
		Map<String, Gen<Object>> fields = new LinkedHashMap<>();
		fields.put("ticketRef", ticket());
		fields.put("sshPublicKeys", valid(constant(List.of(TestKeys.ED25519_A))));
		fields.put("accessLevel", valid(pick("READ_ONLY", "READ_WRITE")));
		fields.put("tags", valid(constant(Map.of("team", "data"))));
		fields.put("callbackUrl", valid(constant(CALLBACK)));
		fields.put("expiresAt", valid(constant("2030-01-01T00:00:00Z")));
		fields.put("retireAfter", valid(constant("P7D")));
		return apiOnUser("PATCH", HttpMethod.PATCH, "", jsonBody(fields));
	}

	Gen<Call> apiAdoption() {
		Map<String, Gen<Object>> fields = new LinkedHashMap<>();
		fields.put("ticketRef", ticket());
		fields.put("bucket", valid(constant(this.valid.bucket())));
		fields.put("homePrefix", valid(constant("/home")));
		fields.put("kmsKeyArn", valid(constant(this.valid.key())));
		fields.put("accessLevel", valid(pick("READ_ONLY", "READ_WRITE")));
		fields.put("callbackUrl", valid(constant(CALLBACK)));
		return apiOnUser("POST", HttpMethod.POST, "/adopt", jsonBody(fields));
	}

	Gen<Call> apiReview() {
		Map<String, Gen<Object>> fields = new LinkedHashMap<>();
		fields.put("decision", valid(pick("CONFIRM", "REVOKE")));
		fields.put("comment", valid(constant("looked at it")));
		return apiOnUser("POST", HttpMethod.POST, "/review", jsonBody(fields));
	}

	Gen<Call> apiOnUser(String verb, HttpMethod method, String action, Gen<String> body) {
		Gen<String> token = apiCaller();
		Gen<String> path = userPath();
		return (in) -> Call.api(verb + " /api/v1/users/{s}/{u}" + action, method,
				"/api/v1/users" + path.generate(in) + action, token.generate(in), body.generate(in));
	}

	/** Decisions on requests and batches that do not exist, or by an id that is none. */
	Gen<Call> apiDecision() {
		Map<String, Gen<Object>> fields = new LinkedHashMap<>();
		fields.put("comment", valid(constant("fine")));
		fields.put("reason", valid(constant("not needed")));
		Gen<String> token = apiCaller();
		Gen<String> resource = pick("requests", "request-batches");
		Gen<String> id = absentId();
		Gen<String> action = pick("approve", "reject", "close", "cancel", "retry");
		Gen<String> body = jsonBody(fields);
		return (in) -> {
			String base = "/api/v1/" + resource.generate(in);
			String what = action.generate(in);
			return Call.api("POST " + base + "/{id}/" + what, HttpMethod.POST,
					base + "/" + id.generate(in) + "/" + what, token.generate(in), body.generate(in));
		};
	}

	/** Verify, repair and delete, the ticket a query parameter, on users not there. */
	Gen<Call> apiUserAction() {
		Gen<String> token = apiCaller();
		Gen<String> path = userPath();
		Gen<String> action = pick("/verify", "/repair", "");
		Gen<Map<String, List<String>>> params = params(Map.of("ticketRef", ticketText()));
		return (in) -> {
			String what = action.generate(in);
			HttpMethod method = what.isEmpty() ? HttpMethod.DELETE : HttpMethod.POST;
			return Call.apiParams(method.name() + " /api/v1/users/{s}/{u}" + what, method,
					"/api/v1/users" + path.generate(in) + what, token.generate(in), params.generate(in));
		};
	}

	Gen<Call> apiList() {
		Map<String, Gen<String>> query = new LinkedHashMap<>();
		query.put("q", text());
		query.put("health", textOr("DRIFT"));
		query.put("lifecycle", textOr("ACTIVE"));
		query.put("status", textOr("FAILED"));
		query.put("ticketRef", text());
		query.put("requestId", number());
		query.put("page", number());
		query.put("size", number());
		Gen<String> token = apiCaller();
		Gen<String> list = pick("/api/v1/users", "/api/v1/requests", "/api/v1/request-batches", "/api/v1/users/reviews",
				"/admin/callbacks");
		Gen<Map<String, List<String>>> params = params(query);
		return (in) -> {
			String path = list.generate(in);
			return Call.apiParams("GET " + path, HttpMethod.GET, path, token.generate(in), params.generate(in));
		};
	}

	// --- the forms of the web UI

	Gen<Call> requestForm() {
		Map<String, Gen<String>> fields = new LinkedHashMap<>();
		fields.put("serverId", textOr(this.valid.server()));
		fields.put("userName", textOr("form-user"));
		fields.put("bucket", textOr(this.valid.bucket()));
		fields.put("homePrefix", textOr("/in"));
		fields.put("kmsKeyArn", textOr(this.valid.key()));
		fields.put("sshPublicKeys", textOr(TestKeys.ED25519_A + "\n" + TestKeys.ED25519_B));
		fields.put("accessLevel", textOr("READ_WRITE"));
		fields.put("existingRole", textOr("true"));
		fields.put("roleArn", textOr(this.valid.role()));
		fields.put("tags", textOr("team=data\ncost=1"));
		fields.put("ticketRef", textOr("CHG-1"));
		fields.put("expiresAt", textOr("2030-01-01"));
		Gen<Person> who = person();
		Gen<String> path = pick("/requests", "/requests/new", "/requests/preview", "/requests/new?preview");
		Gen<Map<String, List<String>>> params = params(fields);
		return (in) -> {
			String target = path.generate(in);
			Map<String, List<String>> sent = new LinkedHashMap<>(params.generate(in));
			if (target.endsWith("?preview")) {
				sent.put("preview", List.of(""));
			}
			return Call.form("POST " + target, HttpMethod.POST, target.replace("?preview", ""), who.generate(in), sent);
		};
	}

	Gen<Call> changeForm() {
		Map<String, Gen<String>> fields = new LinkedHashMap<>();
		fields.put("sshPublicKeys", textOr(TestKeys.ED25519_A));
		fields.put("accessLevel", textOr("READ_ONLY"));
		fields.put("tags", textOr("team=data"));
		fields.put("ticketRef", textOr("CHG-2"));
		fields.put("expiresAt", textOr("2030-01-01"));
		fields.put("retireAfter", textOr("7"));
		return formOnUser("/users", "/change", params(fields));
	}

	Gen<Call> adoptForm() {
		Map<String, Gen<String>> fields = new LinkedHashMap<>();
		fields.put("serverId", textOr(this.valid.server()));
		fields.put("userName", textOr("not-there"));
		fields.put("bucket", textOr(this.valid.bucket()));
		fields.put("homePrefix", textOr("/"));
		fields.put("kmsKeyArn", textOr(this.valid.key()));
		fields.put("accessLevel", textOr("READ_WRITE"));
		fields.put("ticketRef", textOr("CHG-3"));
		return form(constant("/users/adopt"), params(fields));
	}

	Gen<Call> decisionForm() {
		Gen<String> template = pick("/requests/{id}/approve", "/requests/{id}/reject", "/requests/{id}/close",
				"/requests/{id}/cancel", "/requests/{id}/retry", "/requests/batches/{id}/approve",
				"/requests/batches/{id}/reject");
		Gen<String> id = absentId();
		Gen<Person> who = person();
		Gen<Map<String, List<String>>> params = params(Map.of("comment", text(), "reason", text()));
		return (in) -> {
			String path = template.generate(in);
			return Call.form("POST " + path, HttpMethod.POST, path.replace("{id}", id.generate(in)), who.generate(in),
					params.generate(in));
		};
	}

	Gen<Call> userActionForm() {
		Gen<String> action = pick("/repair", "/deprovision", "/verify");
		Gen<Map<String, List<String>>> params = params(Map.of("ticketRef", ticketText()));
		return (in) -> formOnUser("/users", action.generate(in), params).generate(in);
	}

	Gen<Call> reviewForm() {
		Map<String, Gen<String>> fields = new LinkedHashMap<>();
		fields.put("users", textOr(this.valid.server() + "/not-there"));
		fields.put("decision", textOr("CONFIRM"));
		fields.put("comment", text());
		Gen<Map<String, List<String>>> params = params(fields);
		return weighted(Pair.of(1, form(constant("/reviews"), params)), Pair.of(1, formOnUser("/reviews", "", params)));
	}

	/** A CSV batch: the template's header or another, rows of generated cells. */
	Gen<Call> batchForm() {
		Gen<String> header = weighted(
				Pair.of(2,
						constant("serverId,userName,bucket,homePrefix,kmsKeyArn,sshPublicKeys,accessLevel,roleArn,"
								+ "expiresAt,tags")),
				Pair.of(1, constant("serverId,userName,bucket,kmsKeyArn,sshPublicKeys")), Pair.of(1, text()));
		Gen<String> cell = weighted(Pair.of(1, text()), Pair.of(1, pick(this.valid.server(), this.valid.bucket(),
				this.valid.key(), TestKeys.ED25519_A, "\"quoted, with comma\"", "\"unterminated", "READ_ONLY")));
		Gen<List<String>> rows = SourceDSL.lists()
			.of(SourceDSL.lists().of(cell).ofSizeBetween(0, 12).map((cells) -> String.join(",", cells)))
			.ofSizeBetween(0, 5);
		Gen<String> csv = (in) -> header.generate(in) + "\n" + String.join("\n", rows.generate(in));
		Gen<String> ticket = ticketText();
		Gen<Map<String, List<String>>> params = (in) -> Map.of("csv", List.of(csv.generate(in)), "ticketRef",
				List.of(ticket.generate(in)));
		return form(constant("/requests/batches"), params);
	}

	Gen<Call> dashboardForm() {
		Map<String, Gen<String>> fields = new LinkedHashMap<>();
		fields.put("users", textOr(this.valid.server() + "/not-there"));
		fields.put("action", textOr("repair"));
		fields.put("ticketRef", ticketText());
		return form(constant("/dashboard/selected"), params(fields));
	}

	/**
	 * The administrator's forms, on accounts and clients that do not exist: a valid new
	 * account or client is created (that is no AWS write), no existing one is touched.
	 */
	Gen<Call> adminForm() {
		Map<String, Gen<String>> fields = new LinkedHashMap<>();
		fields.put("username", textOr("gen-account"));
		fields.put("password", text());
		fields.put("roles", textOr("REQUESTER"));
		fields.put("enabled", textOr("false"));
		fields.put("name", text());
		fields.put("scopes", textOr("requests:read"));
		fields.put("callbackSecret", text());
		Gen<String> template = pick("/admin/accounts", "/admin/api-clients", "/admin/accounts/{name}/roles",
				"/admin/accounts/{name}/enabled", "/admin/accounts/{name}/password",
				"/admin/api-clients/{name}/revoke");
		Gen<String> name = absentName();
		Gen<Map<String, List<String>>> params = params(fields);
		return (in) -> {
			String path = template.generate(in);
			return Call.form("POST " + path, HttpMethod.POST, path.replace("{name}", name.generate(in)),
					new Person("admin", "ADMIN"), params.generate(in));
		};
	}

	/** The query parameters of every page that takes some. */
	Gen<Call> pageQuery() {
		Map<String, Gen<String>> query = new LinkedHashMap<>();
		for (String name : List.of("q", "health", "lifecycle", "show", "sort", "dir", "userName", "requestedBy",
				"status", "ticketRef", "serverId", "from", "to", "format", "shown")) {
			query.put(name, text());
		}
		for (String name : List.of("page", "size", "requestId")) {
			query.put(name, number());
		}
		Gen<String> template = pick("/dashboard", "/dashboard/export.csv", "/requests", "/requests/batches", "/reviews",
				"/approvals", "/admin/audit", "/admin/audit/export", "/admin/accounts", "/admin/api-clients",
				"/users/adopt", "/requests/new", "/requests/batches/new", "/requests/{id}", "/requests/{id}/progress",
				"/requests/batches/{id}", "/requests/batches/{id}/progress", "/users/{s}/{u}", "/users/{s}/{u}/change",
				"/users/{s}/{u}/deprovision");
		Gen<String> id = absentId();
		Gen<String> user = userPath();
		Gen<Person> who = person();
		Gen<Map<String, List<String>>> params = params(query);
		return (in) -> {
			String path = template.generate(in);
			String target = path.replace("{id}", id.generate(in)).replace("/{s}/{u}", user.generate(in));
			return Call.form("GET " + path, HttpMethod.GET, target, who.generate(in), params.generate(in));
		};
	}

	Gen<Call> formOnUser(String base, String action, Gen<Map<String, List<String>>> params) {
		Gen<String> user = userPath();
		Gen<Person> who = person();
		return (in) -> Call.form("POST " + base + "/{s}/{u}" + action, HttpMethod.POST,
				base + user.generate(in) + action, who.generate(in), params.generate(in));
	}

	Gen<Call> form(Gen<String> path, Gen<Map<String, List<String>>> params) {
		Gen<Person> who = person();
		return (in) -> {
			String target = path.generate(in);
			return Call.form("POST " + target, HttpMethod.POST, target, who.generate(in), params.generate(in));
		};
	}

	// --- values

	Map<String, Gen<Object>> requestFields(boolean withTicket) {
		Map<String, Gen<Object>> fields = new LinkedHashMap<>();
		if (withTicket) {
			fields.put("ticketRef", ticket());
			fields.put("callbackUrl", valid(constant(CALLBACK)));
		}
		fields.put("serverId", valid(constant(this.valid.server())));
		fields.put("userName",
				valid(SourceDSL.strings().betweenCodePoints('a', 'z').ofLength(10).map((s) -> "gen-" + s)));
		fields.put("bucket", valid(constant(this.valid.bucket())));
		fields.put("homePrefix", valid(pick("/in", "out")));
		fields.put("kmsKeyArn", valid(constant(this.valid.key())));
		fields.put("sshPublicKeys", valid(constant(List.of(TestKeys.ED25519_A))));
		fields.put("accessLevel", valid(pick("READ_ONLY", "READ_WRITE")));
		fields.put("roleArn", valid(pick(Null.NULL, this.valid.role())));
		fields.put("tags", valid(constant(Map.of("team", "data"))));
		fields.put("expiresAt", valid(constant("2030-01-01T00:00:00Z")));
		return fields;
	}

	Gen<Object> ticket() {
		return valid(SourceDSL.strings().betweenCodePoints('A', 'Z').ofLength(8).map((s) -> "GEN-" + s));
	}

	/** A JSON body of some of the fields, sometimes an unknown one, sometimes broken. */
	Gen<String> jsonBody(Map<String, Gen<Object>> fields) {
		Gen<Map<String, Object>> body = fields(fields);
		Gen<String> extra = weighted(Pair.of(9, constant("")),
				Pair.of(1, pick("isAdmin", "id", "status", "requestedBy", "__proto__", "@type")));
		Gen<String> json = (in) -> {
			Map<String, Object> map = body.generate(in);
			String unknown = extra.generate(in);
			if (!unknown.isEmpty()) {
				map.put(unknown, true);
			}
			return JSON.writeValueAsString(map);
		};
		Gen<Integer> cut = Generate.range(0, 200);
		return weighted(Pair.of(16, json), Pair.of(2, (in) -> {
			String whole = json.generate(in);
			return whole.substring(0, Math.min(cut.generate(in), whole.length()));
		}), Pair.of(1, pick("", "null", "[]", "[{}]", "42", "\"text\"", "{\"a\":", "{{}", "\u0000")),
				Pair.of(1, text()));
	}

	/**
	 * Some of the fields, each given as its valid values: either every field valid but
	 * one (left out, or hostile), which reaches the checks behind the first field and
	 * sometimes leaves a valid request; or each field left out, valid or hostile.
	 */
	Gen<Map<String, Object>> fields(Map<String, Gen<Object>> fields) {
		List<String> names = List.copyOf(fields.keySet());
		Gen<Boolean> oneOff = Generate.booleans();
		Gen<Integer> spoiled = Generate.range(0, names.size() + names.size() / 4);
		Gen<Integer> present = Generate.range(0, 5);
		Gen<Boolean> hostile = Generate.booleans();
		Gen<Object> value = jsonValue();
		return (in) -> {
			Map<String, Object> body = new LinkedHashMap<>();
			if (oneOff.generate(in)) {
				// past the last name, nothing is spoiled: a valid body
				int index = spoiled.generate(in);
				boolean leftOut = !hostile.generate(in);
				fields.forEach((name, valid) -> {
					if (names.indexOf(name) != index) {
						put(body, name, valid.generate(in));
					}
					else if (!leftOut) {
						put(body, name, value.generate(in));
					}
				});
				return body;
			}
			fields.forEach((name, valid) -> {
				if (present.generate(in) != 0) {
					put(body, name, hostile.generate(in) ? value.generate(in) : valid.generate(in));
				}
			});
			return body;
		};
	}

	/** A field's valid values. */
	static Gen<Object> valid(Gen<?> values) {
		return values.map((value) -> value);
	}

	static void put(Map<String, Object> body, String name, Object value) {
		body.put(name, (value == Null.NULL) ? null : value);
	}

	Gen<Object> jsonValue() {
		return weighted(Pair.of(8, text()), Pair.of(1, constant(Null.NULL)),
				Pair.of(1, weighted(Pair.of(1, SourceDSL.longs().all()), Pair.of(1, SourceDSL.doubles().any()))),
				Pair.of(1, Generate.booleans()), Pair.of(1, SourceDSL.lists().of(text()).ofSizeBetween(0, 60)),
				Pair.of(1, SourceDSL.maps().of(text(), text()).ofSizeBetween(0, 60)));
	}

	/**
	 * Hostile text: the catalogue above, strings of any code point, the lengths around
	 * the limits; never one of the leak markers, which a response may echo as sent.
	 */
	Gen<String> text() {
		Gen<Integer> length = pick(99, 100, 101, 128, 129, 256, 257, 600, 601, 1000, 1001, 2000, 2001, 2048, 2049, 4096,
				4097, 10_000);
		Gen<String> unit = pick("x", "'\"", "\u00e9", "<", "\\");
		Gen<String> text = weighted(Pair.of(5, Generate.pick(HOSTILE)),
				Pair.of(3, SourceDSL.strings().allPossible().ofLengthBetween(0, 40)),
				Pair.of(2, SourceDSL.strings().ascii().ofLengthBetween(0, 40)), Pair.of(1, (in) -> {
					String repeated = unit.generate(in);
					return repeated.repeat(length.generate(in) / repeated.length());
				}));
		return text.map(HostileInputPropertiesIntegrationTests::withoutLeakMarkers);
	}

	Gen<String> textOr(String validValue) {
		return weighted(Pair.of(1, constant(validValue)), Pair.of(1, text()));
	}

	Gen<String> ticketText() {
		return textOr("CHG-9");
	}

	Gen<String> number() {
		return weighted(Pair.of(1, pick("0", "1", "-1", "2", "100", "101", "99999999", "2147483647", "2147483648",
				"-2147483649", "9223372036854775807", "1e3", "0x10", " 1", "")), Pair.of(1, text()));
	}

	/** An id of no request or batch: far past any the tests create, or not a number. */
	Gen<String> absentId() {
		return weighted(
				Pair.of(1, SourceDSL.longs().between(1_000_000_000L, Long.MAX_VALUE).map((id) -> Long.toString(id))),
				Pair.of(1, pick("0", "-1", "abc", "1.5", "9223372036854775808", "%20", "%00", "1;2", "%2e%2e")));
	}

	/** A name of no account or client: the generated prefix, or with hostile parts. */
	Gen<String> absentName() {
		return weighted(Pair.of(1, SourceDSL.strings().betweenCodePoints('a', 'z').ofLength(6).map((s) -> "gen-" + s)),
				Pair.of(1, pick("gen-%00", "gen-%2e%2e", "gen-;x", "gen-%20", "gen-%3Cb%3E")));
	}

	/** A path {@code /{serverId}/{userName}} of no managed user, URL-encoded. */
	Gen<String> userPath() {
		Gen<String> server = weighted(Pair.of(1, constant(this.valid.server())), Pair.of(1, pick("s-0",
				"s-00000000000000000", "%2e%2e", "%00", "x%20y", "%3Cscript%3E", "a".repeat(300), "%E2%80%AE")));
		Gen<String> userName = weighted(
				Pair.of(1, SourceDSL.strings().betweenCodePoints('a', 'z').ofLength(10).map((s) -> "absent-" + s)),
				Pair.of(1, pick("%2e%2e", "%00", "%3Cscript%3E", "a".repeat(300), "%E2%80%AE", "x;y", "%25", "..")));
		return (in) -> "/" + server.generate(in) + "/" + userName.generate(in);
	}

	Gen<String> apiCaller() {
		return weighted(Pair.of(6, constant(PortalApi.SERVICENOW)),
				Pair.of(3, pick(PortalApi.BOB, PortalApi.ALICE, PortalApi.CAROL, PortalApi.REPORTING)),
				Pair.of(1, pick("", "x", PortalApi.SERVICENOW + "x")));
	}

	Gen<Person> person() {
		return pick(new Person("alice", "REQUESTER"), new Person("bob", "APPROVER"),
				new Person("carol", "REQUESTER", "APPROVER"), new Person("admin", "ADMIN"));
	}

	/** Each of the parameters, or none; some sent twice. */
	Gen<Map<String, List<String>>> params(Map<String, Gen<String>> fields) {
		Gen<Integer> times = weighted(Pair.of(1, constant(0)), Pair.of(6, constant(1)),
				Pair.of(1, Generate.range(2, 3)));
		return (in) -> {
			Map<String, List<String>> params = new LinkedHashMap<>();
			fields.forEach((name, value) -> {
				List<String> values = new ArrayList<>();
				for (int i = times.generate(in); i > 0; i--) {
					values.add(value.generate(in));
				}
				if (!values.isEmpty()) {
					params.put(name, values);
				}
			});
			return params;
		};
	}

	static String withoutLeakMarkers(String text) {
		String cleaned = text;
		for (String leak : LEAKS) {
			cleaned = cleaned.replace(leak, "");
		}
		return cleaned;
	}

	@SafeVarargs
	static <T> Gen<T> pick(T... values) {
		return Generate.pick(Arrays.asList(values));
	}

	static <T> Gen<T> constant(T value) {
		return Generate.constant(value);
	}

	@SafeVarargs
	@SuppressWarnings("unchecked")
	static <T> Gen<T> weighted(Pair<Integer, ? extends Gen<? extends T>>... choices) {
		List<Pair<Integer, Gen<T>>> widened = new ArrayList<>();
		for (Pair<Integer, ? extends Gen<? extends T>> choice : choices) {
			widened.add(Pair.of(choice._1, (Gen<T>) choice._2));
		}
		return Generate.frequency(widened);
	}

	/** A JSON {@code null} (a field sent as null, not left out). */
	enum Null {

		NULL

	}

	record Valid(String server, String bucket, String key, String role) {
	}

	record Person(String name, String... roles) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * One generated call.
	 *
	 * @param endpoint the endpoint's template, for the statistics
	 * @param token the API token, or {@code null} for a signed-in person
	 * @param person the person signed in to the UI, or {@code null} for the API
	 * @param body the JSON text sent, or {@code null}
	 * @param params the form or query parameters
	 */
	record Call(String endpoint, HttpMethod method, String path, @Nullable String token, @Nullable Person person,
			@Nullable String body, Map<String, List<String>> params) {

		static Call api(String endpoint, HttpMethod method, String path, String token, String body) {
			return new Call(endpoint, method, path, token, null, body, Map.of());
		}

		static Call apiParams(String endpoint, HttpMethod method, String path, String token,
				Map<String, List<String>> params) {
			return new Call(endpoint, method, path, token, null, null, params);
		}

		static Call form(String endpoint, HttpMethod method, String path, Person person,
				Map<String, List<String>> params) {
			return new Call(endpoint, method, path, null, person, null, params);
		}

		MockHttpServletRequestBuilder request() {
			// the generated paths are encoded already
			MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(this.method, URI.create(this.path));
			this.params.forEach((name, values) -> request.param(name, values.toArray(String[]::new)));
			if (this.person != null) {
				request.with(user(this.person.name()).roles(this.person.roles())).with(csrf());
			}
			else if (this.token != null && !this.token.isEmpty()) {
				request.header("Authorization", "Bearer " + this.token);
			}
			if (this.body != null) {
				request.contentType(MediaType.APPLICATION_JSON).content(this.body);
			}
			return request;
		}

		@Override
		public String toString() {
			String shown = (this.body != null) ? this.body : this.params.toString();
			return this.method + " " + this.path + " as " + ((this.person != null) ? this.person : "token") + ": "
					+ ((shown.length() > 300) ? shown.substring(0, 300) + "... (" + shown.length() + " chars)" : shown);
		}

	}

}
