package io.transferportal.web;

import java.io.StringWriter;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import io.transferportal.provisioning.AccessLevel;
import io.transferportal.provisioning.Check;
import io.transferportal.provisioning.CheckStatus;
import io.transferportal.provisioning.ResourceKind;
import io.transferportal.provisioning.UserSpec;
import io.transferportal.requests.AccessRequestManagement;
import io.transferportal.requests.Health;
import io.transferportal.requests.LifecycleState;
import io.transferportal.requests.ManagedUserView;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

@WebMvcTest(DashboardController.class)
@Import(DashboardRows.class)
@WithMockUser
class DashboardControllerTests {

	static final String KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

	@Autowired
	MockMvc mvc;

	@MockitoBean
	AccessRequestManagement requests;

	@BeforeEach
	void counts() {
		Map<Health, Long> counts = new EnumMap<>(Health.class);
		counts.put(Health.OK, 7L);
		counts.put(Health.DRIFT, 2L);
		counts.put(Health.MISSING, 1L);
		counts.put(Health.ERROR, 0L);
		counts.put(Health.UNVERIFIED, 3L);
		given(this.requests.healthCounts()).willReturn(counts);
		Map<LifecycleState, Long> lifecycle = new EnumMap<>(LifecycleState.class);
		lifecycle.put(LifecycleState.EXPIRING, 4L);
		lifecycle.put(LifecycleState.SUSPENDED, 1L);
		lifecycle.put(LifecycleState.ROTATION_DUE, 2L);
		lifecycle.put(LifecycleState.REVIEW_OVERDUE, 0L);
		given(this.requests.lifecycleCounts()).willReturn(lifecycle);
	}

	@Test
	void dashboardShowsCountsChartAndOneBadgePerCheck() throws Exception {
		given(this.requests.managedUsers(any(), any(), any(), any()))
			.willReturn(new PageImpl<>(List.of(drifted("alice"), unverified("bob")), PageRequest.of(0, 50), 2));
		String html = this.mvc.perform(get("/dashboard"))
			.andExpect(status().isOk())
			.andExpect(view().name("dashboard/status"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("<span>13</span> managed user(s) in total")
			.containsPattern(
					"<meter min=\"0\" max=\"13\" value=\"2\"\\s+class=\"meter-badge-drift\"\\s+aria-labelledby=\"bar-DRIFT\">2 of 13</meter>")
			.containsPattern(
					"<meter min=\"0\" max=\"13\" value=\"3\"\\s+class=\"meter-badge-unverified\"\\s+aria-labelledby=\"bar-UNVERIFIED\">")
			.contains("<caption>")
			.as("health before the server id, which is under the user name")
			.containsPattern("(?s)>User</a>.*>Health</a>.*>Checks</th>.*>Access</th>")
			.contains("<span class=\"d-block small text-body-secondary\">s-0123456789abcdef0</span>")
			.contains("<td data-label=\"Access\">Read and write</td>")
			.contains("<span class=\"badge badge-ok\">Bucket default encryption: OK</span>")
			.contains("<span class=\"badge badge-ok\">IAM role policy: OK</span>")
			.contains("<span class=\"badge badge-ok\">Session policy: OK</span>")
			.contains("<span class=\"badge badge-drift\">KMS key policy: DRIFT</span>")
			.contains("<span class=\"badge badge-ok\">Transfer user: OK</span>")
			.contains("<span class=\"badge badge-unverified\">Not verified yet</span>")
			.contains("href=\"/users/s-0123456789abcdef0/alice\">alice</a>")
			.contains("href=\"/users/s-0123456789abcdef0/bob\">bob</a>")
			.contains("<span title=\"" + KEY_ARN + "\">1234abcd-12ab-34cd-56ef-1234567890ab</span>")
			.contains("<span>data-bucket</span>/<span>alice</span>")
			.contains("2026-01-02T03:04:05Z")
			.contains("Page 1 of 1")
			.doesNotContain("style=")
			.doesNotContain("rel=\"next\"");
		assertThat(html.indexOf("Bucket default encryption: OK")).isLessThan(html.indexOf("IAM role policy: OK"));
		assertThat(html.indexOf("Session policy: OK")).isLessThan(html.indexOf("KMS key policy: DRIFT"));
		assertThat(html.indexOf("KMS key policy: DRIFT")).isLessThan(html.indexOf("Transfer user: OK"));
	}

	@Test
	void dashboardPassesSearchFilterAndPageToTheDatabase() throws Exception {
		given(this.requests.managedUsers(any(), any(), any(), any()))
			.willReturn(new PageImpl<>(List.of(drifted("alice")), PageRequest.of(1, 20), 41));
		String html = this.mvc.perform(
				get("/dashboard").param("q", " ali ").param("health", "DRIFT").param("page", "2").param("size", "20"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("Page 2 of 3")
			.contains("href=\"/dashboard?q=ali&amp;health=DRIFT&amp;size=20\">Previous</a>")
			.contains("href=\"/dashboard?q=ali&amp;health=DRIFT&amp;page=3&amp;size=20\">Next</a>")
			.contains("href=\"/dashboard/export.csv?q=ali&amp;health=DRIFT\"")
			.contains("value=\"ali\"")
			.contains("<option value=\"DRIFT\" selected=\"selected\">DRIFT</option>");
		ArgumentCaptor<Pageable> pageable = ArgumentCaptor.forClass(Pageable.class);
		verify(this.requests).managedUsers(eq("ali"), eq(Health.DRIFT), isNull(), pageable.capture());
		assertThat(pageable.getValue().getPageNumber()).isEqualTo(1);
		assertThat(pageable.getValue().getPageSize()).isEqualTo(20);
		assertThat(pageable.getValue().getSort()).isEqualTo(Sort.by("status", "serverId", "userName"));
	}

	@Test
	void dashboardDefaultsToFiftyRowsAndCapsTheSizeAtTwoHundred() throws Exception {
		given(this.requests.managedUsers(any(), any(), any(), any())).willReturn(Page.empty());
		this.mvc.perform(get("/dashboard")).andExpect(status().isOk());
		this.mvc.perform(get("/dashboard").param("size", "100000").param("health", "").param("q", " "))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("No managed users match")));
		ArgumentCaptor<Pageable> pageable = ArgumentCaptor.forClass(Pageable.class);
		verify(this.requests, times(2)).managedUsers(isNull(), isNull(), isNull(), pageable.capture());
		assertThat(pageable.getAllValues()).extracting(Pageable::getPageSize).containsExactly(50, 200);
		assertThat(pageable.getAllValues()).extracting(Pageable::getPageNumber).containsExactly(0, 0);
	}

	@Test
	void dashboardWhenUnknownHealthThenBadRequest() throws Exception {
		this.mvc.perform(get("/dashboard").param("health", "FINE")).andExpect(status().isBadRequest());
	}

	@Test
	void dashboardShowsLifecycleCountsKeyCountsAndBadgesInWords() throws Exception {
		given(this.requests.managedUsers(any(), any(), any(), any())).willReturn(
				new PageImpl<>(List.of(withLifecycle("alice", DUE), withLifecycle("bob", EXPIRED), drifted("carol")),
						PageRequest.of(0, 50), 3));
		String html = this.mvc.perform(get("/dashboard"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains(">SSH keys</th>")
			.contains(">Lifecycle</th>")
			.contains("href=\"/dashboard?lifecycle=EXPIRING\"", ">Expiring: 4</a>")
			.contains("href=\"/dashboard?lifecycle=SUSPENDED\"", ">Expired or suspended: 1</a>")
			.contains("href=\"/dashboard?lifecycle=ROTATION_DUE\"", ">Rotation due: 2</a>")
			.contains("href=\"/dashboard?lifecycle=REVIEW_OVERDUE\"", ">Review overdue: 0</a>")
			.contains("<td data-label=\"SSH keys\">3</td>", "<td data-label=\"SSH keys\">0</td>",
					"<td data-label=\"SSH keys\">Not counted yet</td>")
			.contains("<span class=\"badge badge-drift\">Expiring</span>")
			.contains("<span class=\"badge badge-drift\">Rotation due</span>")
			.contains("<span class=\"badge badge-drift\">Review overdue</span>")
			.contains("<span class=\"badge badge-missing\">Expired</span>")
			.contains("<option value=\"\" selected=\"selected\">All</option>")
			.contains("<option value=\"ROTATION_DUE\">Rotation due</option>")
			.doesNotContain("style=");
		// bob is expired, so no longer "expiring"
		String bob = html.substring(html.indexOf(">bob</a>"), html.indexOf(">carol</a>"));
		assertThat(bob).contains(">Expired<").doesNotContain(">Expiring<").doesNotContain(">Rotation due<");
	}

	@Test
	void dashboardPassesTheLifecycleFilterToTheDatabaseWithTheOtherFiltersAndPages() throws Exception {
		given(this.requests.managedUsers(any(), any(), any(), any()))
			.willReturn(new PageImpl<>(List.of(withLifecycle("alice", DUE)), PageRequest.of(1, 20), 41));
		String html = this.mvc
			.perform(get("/dashboard").param("q", "ali")
				.param("health", "DRIFT")
				.param("lifecycle", "ROTATION_DUE")
				.param("page", "2")
				.param("size", "20"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("<option value=\"ROTATION_DUE\" selected=\"selected\">Rotation due</option>")
			.contains("href=\"/dashboard?q=ali&amp;health=DRIFT&amp;lifecycle=ROTATION_DUE&amp;size=20\"")
			.contains("href=\"/dashboard?q=ali&amp;health=DRIFT&amp;lifecycle=ROTATION_DUE&amp;page=3&amp;size=20\"")
			.contains("href=\"/dashboard/export.csv?q=ali&amp;health=DRIFT&amp;lifecycle=ROTATION_DUE\"");
		verify(this.requests).managedUsers(eq("ali"), eq(Health.DRIFT), eq(LifecycleState.ROTATION_DUE), any());
	}

	@Test
	void aColumnHeaderOrdersByItAndASecondClickTurnsTheOrderRound() throws Exception {
		given(this.requests.managedUsers(any(), any(), any(), any()))
			.willReturn(new PageImpl<>(List.of(drifted("alice")), PageRequest.of(0, 50), 1));
		String html = this.mvc.perform(get("/dashboard").param("sort", "verified"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		ArgumentCaptor<Pageable> pageable = ArgumentCaptor.forClass(Pageable.class);
		verify(this.requests).managedUsers(isNull(), isNull(), isNull(), pageable.capture());
		assertThat(pageable.getValue().getSort()).as("never verified first, then the longest ago")
			.isEqualTo(Sort.by("status")
				.and(Sort.by(Sort.Order.asc("verifiedAt").nullsFirst()))
				.and(Sort.by("serverId", "userName")));
		assertThat(html).contains("href=\"/dashboard?sort=verified&amp;dir=desc\"")
			.contains("href=\"/dashboard?sort=health&amp;dir=asc\"")
			.contains("aria-sort=\"ascending\"")
			.as("the bulk form keeps the order for the way back")
			.contains("<input type=\"hidden\" name=\"sort\" value=\"verified\">");

		this.mvc.perform(get("/dashboard").param("sort", "health").param("dir", "desc").param("page", "99999999"))
			.andExpect(status().isOk());
		verify(this.requests, times(2)).managedUsers(isNull(), isNull(), isNull(), pageable.capture());
		assertThat(pageable.getValue().getSort()).isEqualTo(
				Sort.by("status").and(Sort.by(Sort.Direction.DESC, "health")).and(Sort.by("serverId", "userName")));
		assertThat(pageable.getValue().getPageNumber()).as("a page far away is clamped, not an error")
			.isEqualTo(DashboardController.MAX_PAGE - 1);
	}

	@Test
	void theDeprovisionedFilterListsTheRemovedUsersWithoutHealthOrBulkActions() throws Exception {
		ManagedUserView removed = new ManagedUserView("s-0123456789abcdef0", "gone", false,
				spec("gone", "data-bucket", null), List.of(), Health.OK, null, 51L, ManagedUserView.Lifecycle.NONE);
		given(this.requests.deprovisionedUsers(eq("go"), any()))
			.willReturn(new PageImpl<>(List.of(removed), PageRequest.of(0, 50), 1));
		String html = this.mvc.perform(get("/dashboard").param("show", "deprovisioned").param("q", "go"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("href=\"/users/s-0123456789abcdef0/gone\">gone</a>")
			.contains("<span class=\"badge badge-unverified\">Deprovisioned</span>")
			.contains("<option value=\"deprovisioned\" selected=\"selected\">Deprovisioned</option>")
			.doesNotContain("id=\"verify-selected\"")
			.doesNotContain("name=\"users\"");
		assertThat(html.substring(html.indexOf(">gone</a>"))).doesNotContain("badge-ok");
		verify(this.requests, times(0)).managedUsers(any(), any(), any(), any());
	}

	@Test
	void dashboardWhenUnknownLifecycleThenBadRequest() throws Exception {
		this.mvc.perform(get("/dashboard").param("lifecycle", "OLD")).andExpect(status().isBadRequest());
		this.mvc.perform(get("/dashboard/export.csv").param("lifecycle", "OLD")).andExpect(status().isBadRequest());
	}

	@Test
	void exportHasTheLifecycleColumnsAndFilter() throws Exception {
		given(this.requests.managedUsers(isNull(), isNull(), eq(LifecycleState.EXPIRING), any()))
			.willReturn(new PageImpl<>(List.of(withLifecycle("alice", DUE)),
					PageRequest.of(0, DashboardController.EXPORT_CHUNK), 1));
		String csv = this.mvc.perform(get("/dashboard/export.csv").param("lifecycle", "EXPIRING"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String[] lines = csv.split("\r\n");
		assertThat(lines).hasSize(2);
		assertThat(lines[0]).endsWith(",last verified,last request,ssh keys,expires,review due,lifecycle");
		assertThat(lines[1]).endsWith(",2026-01-02T03:04:05Z,42,3,2026-02-01T00:00:00Z,2026-01-01T00:00:00Z,"
				+ "Expiring; Rotation due; Review overdue");
	}

	@Test
	void exportWritesCsvWithTheSameFiltersQuotedAndNeutralised() throws Exception {
		ManagedUserView formula = new ManagedUserView("s-0123456789abcdef0", "=HYPERLINK(\"x\",\"y\")", true,
				spec("=HYPERLINK(\"x\",\"y\")", "@bucket", "home,with \"quotes\""), List.of(), Health.UNVERIFIED, null,
				null, ManagedUserView.Lifecycle.NONE);
		given(this.requests.managedUsers(eq("s-01"), eq(Health.UNVERIFIED), isNull(), any()))
			.willReturn(new PageImpl<>(List.of(formula), PageRequest.of(0, DashboardController.EXPORT_CHUNK), 1));
		String csv = this.mvc.perform(get("/dashboard/export.csv").param("q", "s-01").param("health", "UNVERIFIED"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/csv"))
			.andExpect(header().string("Content-Disposition", containsString("attachment")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String[] lines = csv.split("\r\n");
		assertThat(lines).hasSize(2);
		assertThat(lines[0]).startsWith("server,user,bucket,home,kms key arn,");
		assertThat(lines[1]).isEqualTo("s-0123456789abcdef0,\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",'@bucket,"
				+ "\"home,with \"\"quotes\"\"\"," + KEY_ARN + ",READ_WRITE,dedicated,UNVERIFIED,,,,,,,,,,,,");
	}

	@Test
	void exportPagesThroughAllUsers() throws Exception {
		int chunk = DashboardController.EXPORT_CHUNK;
		given(this.requests.managedUsers(isNull(), isNull(), isNull(),
				eq(PageRequest.of(0, chunk, Sort.by("status", "serverId", "userName")))))
			.willReturn(new PageImpl<>(List.of(drifted("alice")),
					PageRequest.of(0, chunk, Sort.by("status", "serverId", "userName")), chunk + 1));
		given(this.requests.managedUsers(isNull(), isNull(), isNull(),
				eq(PageRequest.of(1, chunk, Sort.by("status", "serverId", "userName")))))
			.willReturn(new PageImpl<>(List.of(drifted("bob")),
					PageRequest.of(1, chunk, Sort.by("status", "serverId", "userName")), chunk + 1));
		String csv = this.mvc.perform(get("/dashboard/export.csv"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(csv.split("\r\n")).hasSize(3);
		assertThat(csv).contains("s-0123456789abcdef0,alice,")
			.contains("s-0123456789abcdef0,bob,")
			.contains(",DRIFT,OK,OK,OK,DRIFT,,OK,2026-01-02T03:04:05Z,42,,,,");
	}

	@Test
	void csvHeaderNamesTheChecksInDisplayOrder() throws Exception {
		StringWriter out = new StringWriter();
		DashboardCsv.header(out);
		assertThat(out.toString()).contains("Bucket default encryption,IAM role policy,Session policy,KMS key policy,"
				+ "Home folder,Transfer user,last verified,last request,ssh keys,expires,review due,lifecycle\r\n");
	}

	static UserSpec spec(String userName, String bucket, String home) {
		return new UserSpec("s-0123456789abcdef0", userName, bucket, home, KEY_ARN, List.of("ssh-ed25519 AAAA"),
				AccessLevel.READ_WRITE, null, Map.of());
	}

	static ManagedUserView drifted(String userName) {
		List<Check> checks = List.of(new Check(ResourceKind.BUCKET_ENCRYPTION, CheckStatus.OK, "SSE-KMS with the key"),
				new Check(ResourceKind.ROLE_POLICY, CheckStatus.OK, "In place"),
				new Check(ResourceKind.SESSION_POLICY, CheckStatus.OK, "In place"),
				new Check(ResourceKind.KEY_POLICY, CheckStatus.DRIFT, "Statement for the role was removed"),
				new Check(ResourceKind.TRANSFER_USER, CheckStatus.OK, "In place"));
		return new ManagedUserView("s-0123456789abcdef0", userName, true, spec(userName, "data-bucket", null), checks,
				Health.DRIFT, Instant.parse("2026-01-02T03:04:05Z"), 42L, ManagedUserView.Lifecycle.NONE);
	}

	/** Expiring, a key too old, review overdue; three keys. */
	static final ManagedUserView.Lifecycle DUE = new ManagedUserView.Lifecycle(Instant.parse("2026-02-01T00:00:00Z"),
			true, null, null, null, 0, 3, true, "alice", null, null, null, Instant.parse("2026-01-01T00:00:00Z"), true);

	/** Expired: its keys were removed. */
	static final ManagedUserView.Lifecycle EXPIRED = new ManagedUserView.Lifecycle(
			Instant.parse("2026-01-01T00:00:00Z"), false, "EXPIRED", Instant.parse("2026-01-01T00:01:00Z"), null, 0, 0,
			false, "bob", null, null, null, null, false);

	static ManagedUserView withLifecycle(String userName, ManagedUserView.Lifecycle lifecycle) {
		ManagedUserView user = drifted(userName);
		return new ManagedUserView(user.serverId(), userName, true, user.spec(), user.checks(), user.health(),
				user.verifiedAt(), user.lastRequestId(), lifecycle);
	}

	static ManagedUserView unverified(String userName) {
		return new ManagedUserView("s-0123456789abcdef0", userName, true, spec(userName, "data-bucket", null),
				List.of(), Health.UNVERIFIED, null, null, ManagedUserView.Lifecycle.NONE);
	}

}
