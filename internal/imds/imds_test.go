package imds

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

func TestTokenTTL(t *testing.T) {
	e := newEnv(t)
	base := e.start("i-0123456789abcdef0", "", "required")
	tests := []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"missing", nil, http.StatusBadRequest},
		{"empty", map[string]string{headerTTL: ""}, http.StatusBadRequest},
		{"zero", map[string]string{headerTTL: "0"}, http.StatusBadRequest},
		{"negative", map[string]string{headerTTL: "-5"}, http.StatusBadRequest},
		{"not a number", map[string]string{headerTTL: "abc"}, http.StatusBadRequest},
		{"too long", map[string]string{headerTTL: "21601"}, http.StatusBadRequest},
		{"min", map[string]string{headerTTL: "1"}, http.StatusOK},
		{"max", map[string]string{headerTTL: "21600"}, http.StatusOK},
		{"proxied", map[string]string{headerTTL: "60", "X-Forwarded-For": "10.0.0.1"}, http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body, h := do(t, http.MethodPut, base+tokenPath, tc.hdr)
			if code != tc.want {
				t.Fatalf("status %d, want %d (%s)", code, tc.want, body)
			}
			if code == http.StatusOK {
				if h.Get(headerTTL) != tc.hdr[headerTTL] || body == "" {
					t.Fatalf("ttl header %q, token %q", h.Get(headerTTL), body)
				}
				c, got, _ := do(t, http.MethodGet, base+"/latest/meta-data/instance-id", map[string]string{headerToken: body})
				if c != http.StatusOK || got != "i-0123456789abcdef0" {
					t.Fatalf("GET with token: %d %q", c, got)
				}
			}
		})
	}
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if code, _, _ := do(t, m, base+tokenPath, map[string]string{headerTTL: "60"}); code != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: %d, want 405", m, tokenPath, code)
		}
	}
}

func TestTokenRequired(t *testing.T) {
	e := newEnv(t)
	v2 := e.start("i-0000000000000000a", "", "required")
	v1 := e.start("i-0000000000000000b", "", "optional")
	tokA := token(t, v2)
	tokB := token(t, v1)
	tests := []struct {
		name string
		base string
		hdr  map[string]string
		want int
	}{
		{"v2 no token", v2, nil, http.StatusUnauthorized},
		{"v2 token", v2, map[string]string{headerToken: tokA}, http.StatusOK},
		{"v2 garbage token", v2, map[string]string{headerToken: "not-a-token"}, http.StatusUnauthorized},
		{"v2 tampered token", v2, map[string]string{headerToken: tokA[:len(tokA)-2] + flip(tokA[len(tokA)-2:])}, http.StatusUnauthorized},
		{"v2 other instance's token", v2, map[string]string{headerToken: tokB}, http.StatusUnauthorized},
		{"v1 allowed", v1, nil, http.StatusOK},
		{"v1 with bad token", v1, map[string]string{headerToken: tokA}, http.StatusUnauthorized},
		{"v1 with token", v1, map[string]string{headerToken: tokB}, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body, _ := do(t, http.MethodGet, tc.base+"/latest/meta-data/instance-id", tc.hdr)
			if code != tc.want {
				t.Fatalf("status %d, want %d (%s)", code, tc.want, body)
			}
		})
	}
	// Tokens expire.
	e.clock.add(301 * time.Second)
	if code, _, _ := do(t, http.MethodGet, v2+"/latest/meta-data/instance-id", map[string]string{headerToken: tokA}); code != http.StatusUnauthorized {
		t.Fatalf("expired token: %d, want 401", code)
	}
	if code, _, _ := do(t, http.MethodPost, v1+"/latest/meta-data/instance-id", nil); code != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d, want 405", code)
	}
}

func flip(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}

func TestMetadataTree(t *testing.T) {
	e := newEnv(t)
	e.iam.addRole("app-role", "/svc/", trustEC2)
	e.iam.addProfile("app", "/team/", "app-role")
	base := e.start("i-0123456789abcdef0", "app", "required")
	tok := map[string]string{headerToken: token(t, base)}
	tests := []struct {
		path string
		want string
	}{
		{"/latest/meta-data/", "ami-id\nami-launch-index\nhostname\niam/\ninstance-id\ninstance-life-cycle\ninstance-type\nlocal-hostname\nlocal-ipv4\nplacement/\nreservation-id\nsecurity-groups"},
		{"/latest/meta-data/instance-id", "i-0123456789abcdef0"},
		{"/latest/meta-data/ami-id", "ami-12345678"},
		{"/latest/meta-data/instance-type", "t3.micro"},
		{"/latest/meta-data/local-ipv4", "172.31.7.9"},
		{"/latest/meta-data/local-hostname", "ip-172-31-7-9.eu-west-1.compute.internal"},
		{"/latest/meta-data/reservation-id", "r-0aaaaaaaaaaaaaaaa"},
		{"/latest/meta-data/placement/", "availability-zone\nregion"},
		{"/latest/meta-data/placement/region", "eu-west-1"},
		{"/latest/meta-data/placement/availability-zone", "eu-west-1a"},
		{"/latest/meta-data/iam/", "info\nsecurity-credentials/"},
		{"/latest/meta-data/iam/security-credentials/", "app-role"},
		{"/latest/dynamic/instance-identity/", "document"},
	}
	for _, tc := range tests {
		code, body, h := do(t, http.MethodGet, base+tc.path, tok)
		if code != http.StatusOK || body != tc.want {
			t.Errorf("%s: %d %q, want %q", tc.path, code, body, tc.want)
		}
		if ct := h.Get("Content-Type"); ct != "text/plain" {
			t.Errorf("%s: Content-Type %q", tc.path, ct)
		}
	}
	for _, p := range []string{"/latest/meta-data/nope", "/latest/meta-data/iam/security-credentials/other-role",
		"/latest/meta-data/iam/security-credentials/APP-ROLE", "/latest/user-data", "/latest/meta-data-x", "/latest/meta-data/tags/instance"} {
		if code, _, _ := do(t, http.MethodGet, base+p, tok); code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, code)
		}
	}

	_, info, _ := do(t, http.MethodGet, base+"/latest/meta-data/iam/info", tok)
	var doc map[string]string
	if err := json.Unmarshal([]byte(info), &doc); err != nil {
		t.Fatalf("iam/info %q: %v", info, err)
	}
	if doc["Code"] != "Success" || doc["InstanceProfileArn"] != "arn:aws:iam::111122223333:instance-profile/team/app" ||
		doc["InstanceProfileId"] != "AIPAAPP" || doc["LastUpdated"] == "" {
		t.Fatalf("iam/info: %v", doc)
	}
	if !strings.Contains(info, `"Code" : "Success"`) {
		t.Errorf("iam/info not in the metadata service's layout: %s", info)
	}
}

func TestCredentials(t *testing.T) {
	e := newEnv(t)
	e.iam.addRole("app-role", "/svc/", trustEC2)
	e.iam.addRole("other-role", "/", trustEC2)
	e.iam.addProfile("app", "/", "app-role")
	base := e.start("i-0123456789abcdef0", "app", "optional")
	get := func(hdr map[string]string) map[string]string {
		t.Helper()
		code, body, _ := do(t, http.MethodGet, base+"/latest/meta-data/iam/security-credentials/app-role", hdr)
		if code != http.StatusOK {
			t.Fatalf("credentials: %d %s", code, body)
		}
		var doc map[string]string
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatalf("credentials %q: %v", body, err)
		}
		return doc
	}
	tok := map[string]string{headerToken: token(t, base)}
	first := get(tok)
	exp, err := time.Parse("2006-01-02T15:04:05Z", first["Expiration"])
	if err != nil || first["Code"] != "Success" || first["Type"] != "AWS-HMAC" || first["AccessKeyId"] != "ASIAFAKE000000000001" ||
		first["SecretAccessKey"] != "secret-1" || first["Token"] != "token-1" {
		t.Fatalf("credentials: %v (%v)", first, err)
	}
	if d := exp.Sub(e.clock.Now()); d < 5*time.Hour || d > 6*time.Hour {
		t.Fatalf("credentials valid for %v", d)
	}
	reqs := e.issuer.requests()
	want := SessionRequest{RoleARN: "arn:aws:iam::111122223333:role/svc/app-role", RoleID: "AROAAPP-ROLE", AccountID: acct,
		InstanceID: "i-0123456789abcdef0", InstanceARN: "arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0",
		Region: region, PrivateIPv4: "172.31.7.9", VPC: "vpc-0bbbbbbbbbbbbbbbb", RoleDelivery: "2.0", Duration: CredentialLifetime}
	if len(reqs) != 1 || reqs[0] != want {
		t.Fatalf("issue requests:\n got %+v\nwant %+v", reqs, want)
	}

	// Served from the cache within the hour, rotated after it.
	e.clock.add(59 * time.Minute)
	if again := get(map[string]string{headerToken: token(t, base)}); again["AccessKeyId"] != first["AccessKeyId"] || again["LastUpdated"] != first["LastUpdated"] {
		t.Fatalf("not cached: %v", again)
	}
	e.clock.add(2 * time.Minute)
	rotated := get(map[string]string{headerToken: token(t, base)})
	if rotated["AccessKeyId"] == first["AccessKeyId"] || rotated["LastUpdated"] == first["LastUpdated"] {
		t.Fatalf("not rotated after an hour: %v", rotated)
	}
	// IMDSv1 gets credentials of its own (ec2:RoleDelivery 1.0).
	v1 := get(nil)
	if v1["AccessKeyId"] == rotated["AccessKeyId"] {
		t.Fatal("IMDSv1 request got the IMDSv2 credentials")
	}
	if reqs := e.issuer.requests(); reqs[len(reqs)-1].RoleDelivery != "1.0" {
		t.Fatalf("IMDSv1 delivery %q", reqs[len(reqs)-1].RoleDelivery)
	}

	// A new role in the profile shows at once, with new credentials.
	e.iam.mu.Lock()
	e.iam.profiles["app"].Roles = []string{"other-role"}
	e.iam.mu.Unlock()
	tokH := map[string]string{headerToken: token(t, base)}
	if _, body, _ := do(t, http.MethodGet, base+"/latest/meta-data/iam/security-credentials/", tokH); body != "other-role" {
		t.Fatalf("role list after change: %q", body)
	}
	if code, _, _ := do(t, http.MethodGet, base+"/latest/meta-data/iam/security-credentials/app-role", tokH); code != http.StatusNotFound {
		t.Fatalf("old role: %d, want 404", code)
	}
	code, body, _ := do(t, http.MethodGet, base+"/latest/meta-data/iam/security-credentials/other-role", tokH)
	if code != http.StatusOK || strings.Contains(body, rotated["AccessKeyId"]) {
		t.Fatalf("new role credentials: %d %s", code, body)
	}
	if reqs := e.issuer.requests(); reqs[len(reqs)-1].RoleARN != "arn:aws:iam::111122223333:role/other-role" {
		t.Fatalf("issued for %s", reqs[len(reqs)-1].RoleARN)
	}
}

func TestUntrustedRole(t *testing.T) {
	e := newEnv(t)
	e.iam.addRole("app-role", "/", trustAcc)
	e.iam.addRole("broken", "/", `{"Statement":`)
	e.iam.addProfile("app", "/", "app-role")
	e.iam.addProfile("broken", "/", "broken")
	for _, tc := range []struct{ id, profile, role string }{
		{"i-0000000000000000a", "app", "app-role"},
		{"i-0000000000000000b", "broken", "broken"},
	} {
		base := e.start(tc.id, tc.profile, "required")
		tok := map[string]string{headerToken: token(t, base)}
		for _, p := range []string{"iam/info", "iam/security-credentials/" + tc.role} {
			code, body, _ := do(t, http.MethodGet, base+"/latest/meta-data/"+p, tok)
			var doc map[string]string
			if err := json.Unmarshal([]byte(body), &doc); err != nil || code != http.StatusOK {
				t.Fatalf("%s %s: %d %q %v", tc.profile, p, code, body, err)
			}
			if doc["Code"] != "AssumeRoleUnauthorizedAccess" || doc["AccessKeyId"] != "" || !strings.Contains(doc["Message"], tc.role) {
				t.Fatalf("%s %s: %v", tc.profile, p, doc)
			}
		}
	}
	if n := len(e.issuer.requests()); n != 0 {
		t.Fatalf("issued %d credentials for untrusted roles", n)
	}
}

func TestNoProfile(t *testing.T) {
	e := newEnv(t)
	e.iam.addProfile("empty", "/")
	for _, tc := range []struct{ id, profile string }{{"i-0000000000000000a", ""}, {"i-0000000000000000b", "empty"}} {
		base := e.start(tc.id, tc.profile, "required")
		tok := map[string]string{headerToken: token(t, base)}
		_, list, _ := do(t, http.MethodGet, base+"/latest/meta-data/", tok)
		if strings.Contains(list, "iam/") != (tc.profile != "") {
			t.Errorf("profile %q: listing %q", tc.profile, list)
		}
		paths := []string{"iam/security-credentials/", "iam/security-credentials/x"}
		if tc.profile == "" {
			paths = append(paths, "iam/", "iam/info")
		}
		for _, p := range paths {
			if code, _, _ := do(t, http.MethodGet, base+"/latest/meta-data/"+p, tok); code != http.StatusNotFound {
				t.Errorf("profile %q %s: %d, want 404", tc.profile, p, code)
			}
		}
	}
}

func TestTerminatedAndStop(t *testing.T) {
	e := newEnv(t)
	base := e.start("i-0123456789abcdef0", "", "optional")
	if code, _, _ := do(t, http.MethodGet, base+"/latest/meta-data/instance-id", nil); code != http.StatusOK {
		t.Fatalf("running: %d", code)
	}
	_, err := e.st.UpdateInstance(t.Context(), "i-0123456789abcdef0", func(i *store.Instance) error {
		i.State = store.InstanceTerminated
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if code, _, _ := do(t, http.MethodGet, base+"/latest/meta-data/instance-id", nil); code != http.StatusNotFound {
		t.Fatalf("terminated: %d, want 404", code)
	}
	if code, _, _ := do(t, http.MethodPut, base+tokenPath, map[string]string{headerTTL: "60"}); code != http.StatusNotFound {
		t.Fatalf("token for terminated: %d, want 404", code)
	}
	if err := e.m.Stop("i-0123456789abcdef0"); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.m.Endpoint("i-0123456789abcdef0"); ok {
		t.Fatal("endpoint still listed after Stop")
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/latest/meta-data/instance-id", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("endpoint still answers after Stop")
	}
}

func TestStartRestore(t *testing.T) {
	e := newEnv(t)
	inst := e.launch("i-0123456789abcdef0", "", "required")
	disabled := e.launch("i-0000000000000000d", "", "required")
	if _, err := e.st.UpdateInstance(t.Context(), disabled.ID, func(i *store.Instance) error {
		i.Metadata.HTTPEndpoint = "disabled"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	url, err := e.m.Start(t.Context(), inst)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.m.Start(t.Context(), inst)
	if err != nil || again != url {
		t.Fatalf("second Start: %q %v, want %q", again, err, url)
	}
	stored, _ := e.st.GetInstance(t.Context(), inst.ID)
	if stored.IMDSPort == 0 || !strings.HasSuffix(url, ":"+strconv.Itoa(stored.IMDSPort)) {
		t.Fatalf("port %d not recorded for %s", stored.IMDSPort, url)
	}
	// A new manager (a restart) reopens running instances on their ports.
	if err := e.m.Close(); err != nil {
		t.Fatal(err)
	}
	m2, err := New(Config{Store: e.st, IAM: e.iam, Credentials: e.issuer})
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if err := m2.Restore(t.Context()); err != nil {
		t.Fatal(err)
	}
	got, ok := m2.Endpoint(inst.ID)
	if !ok {
		t.Fatal("running instance not restored")
	}
	if got != url {
		// Another process took the freed port meanwhile (tests of other
		// packages open ports too); the fallback must then be recorded.
		t.Logf("port of %s was taken; restored on %s", url, got)
	}
	if stored, _ := e.st.GetInstance(t.Context(), inst.ID); !strings.HasSuffix(got, ":"+strconv.Itoa(stored.IMDSPort)) {
		t.Fatalf("restored on %s, recorded port %d", got, stored.IMDSPort)
	}
	if _, ok := m2.Endpoint(disabled.ID); ok {
		t.Fatal("endpoint opened for an instance with the metadata endpoint disabled")
	}
	if code, body, _ := do(t, http.MethodGet, got+"/latest/meta-data/instance-id", map[string]string{headerToken: token(t, got)}); code != http.StatusOK || body != inst.ID {
		t.Fatalf("restored endpoint: %d %q", code, body)
	}
}

// TestStartPortTaken: when the recorded port is taken, Start opens another
// and records it.
func TestStartPortTaken(t *testing.T) {
	e := newEnv(t)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	taken := busy.Addr().(*net.TCPAddr).Port
	inst := e.launch("i-0123456789abcdef0", "", "required")
	if _, err := e.st.UpdateInstance(t.Context(), inst.ID, func(i *store.Instance) error { i.IMDSPort = taken; return nil }); err != nil {
		t.Fatal(err)
	}
	inst.IMDSPort = taken
	url, err := e.m.Start(t.Context(), inst)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := e.st.GetInstance(t.Context(), inst.ID)
	if stored.IMDSPort == taken || !strings.HasSuffix(url, ":"+strconv.Itoa(stored.IMDSPort)) {
		t.Fatalf("Start on a taken port: %s, recorded %d (taken %d)", url, stored.IMDSPort, taken)
	}
}
