package stsapi

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/crossbucket/crossbucket/internal/sessiontoken"
)

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

// taggable makes deploy and target accept sts:TagSession and
// sts:SetSourceIdentity, from alice and from deploy sessions.
func taggable(w *world) {
	all := []string{"sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"}
	w.deploy.TrustPolicy = trust(acctA, nil, all...)
	w.target.TrustPolicy = trust(acctA, nil, all...)
	w.authz.allow(aliceARN, allowAssume(w.deploy.ARN, all...))
	w.authz.allow(w.deploy.ARN, allowAssume(w.target.ARN, all...))
}

func TestSessionTagsNeedTagSession(t *testing.T) {
	w := newWorld(t) // trust and identity policies allow sts:AssumeRole only
	_, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("tagged"),
		Tags: []types.Tag{tag("Project", "x")}})
	wantErr(t, err, "AccessDenied", 403,
		"User: "+aliceARN+" is not authorized to perform: sts:TagSession on resource: "+w.deploy.ARN)
	_, err = w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("srcid"),
		SourceIdentity: aws.String("alice")})
	wantErr(t, err, "AccessDenied", 403,
		"User: "+aliceARN+" is not authorized to perform: sts:SetSourceIdentity on resource: "+w.deploy.ARN)
}

func TestSessionTags(t *testing.T) {
	w := newWorld(t)
	taggable(w)
	out, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("tagged"),
		Tags:              []types.Tag{tag("team", "session"), tag("Project", "x"), tag("Cost", "")},
		TransitiveTagKeys: []string{"project"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := aws.ToInt32(out.PackedPolicySize); n < 1 || n > 100 {
		t.Fatalf("PackedPolicySize %d with session tags", n)
	}
	sess := credOf(out.Credentials)
	res := w.resolve(t, sess)
	// Role tags (env, Team) overridden by session tags with the same key in any case.
	want := map[string]string{"env": "prod", "team": "session", "Project": "x", "Cost": ""}
	if !reflect.DeepEqual(res.Principal.Tags, want) {
		t.Fatalf("principal tags %v, want %v", res.Principal.Tags, want)
	}
	if got := res.Session.TransitiveTags(); !reflect.DeepEqual(got, []sessiontoken.Tag{{Key: "Project", Value: "x"}}) {
		t.Fatalf("transitive tags %v", got)
	}

	// Role chaining carries the transitive tag, not the others.
	out2, err := w.assume(sess, &sts.AssumeRoleInput{RoleArn: aws.String(w.target.ARN), RoleSessionName: aws.String("hop2"),
		Tags: []types.Tag{tag("Stage", "2")}})
	if err != nil {
		t.Fatal(err)
	}
	res2 := w.resolve(t, credOf(out2.Credentials))
	if want := map[string]string{"Project": "x", "Stage": "2"}; !reflect.DeepEqual(res2.Principal.Tags, want) {
		t.Fatalf("chained principal tags %v, want %v", res2.Principal.Tags, want)
	}
	if !reflect.DeepEqual(res2.Session.TransitiveTagKeys, []string{"Project"}) {
		t.Fatalf("chained transitive keys %v", res2.Session.TransitiveTagKeys)
	}
	// A chained session cannot replace an inherited transitive tag.
	_, err = w.assume(sess, &sts.AssumeRoleInput{RoleArn: aws.String(w.target.ARN), RoleSessionName: aws.String("hop2"),
		Tags: []types.Tag{tag("PROJECT", "y")}})
	wantErr(t, err, "InvalidParameterValue", 400, "")

	// Without principals.WithSession the API reopens the token and still sees them.
	w.noSessionCtx.Store(true)
	out3, err := w.assume(sess, &sts.AssumeRoleInput{RoleArn: aws.String(w.target.ARN), RoleSessionName: aws.String("hop3")})
	if err != nil {
		t.Fatal(err)
	}
	if tags := w.resolve(t, credOf(out3.Credentials)).Principal.Tags; tags["Project"] != "x" {
		t.Fatalf("tags without session context %v", tags)
	}
}

func TestSessionTagConditions(t *testing.T) {
	w := newWorld(t)
	taggable(w)
	w.deploy.TrustPolicy = trust(acctA, map[string]any{"StringEquals": map[string]any{"aws:RequestTag/Project": "x"}},
		"sts:AssumeRole", "sts:TagSession")
	for _, tc := range []struct {
		tags []types.Tag
		ok   bool
	}{{[]types.Tag{tag("Project", "x")}, true}, {[]types.Tag{tag("Project", "y")}, false}, {nil, false}} {
		_, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("cond"), Tags: tc.tags})
		if tc.ok && err != nil {
			t.Fatalf("tags %v: %v", tc.tags, err)
		}
		if !tc.ok {
			wantErr(t, err, "AccessDenied", 403, "")
		}
	}
}

func TestSessionTagErrors(t *testing.T) {
	w := newWorld(t)
	taggable(w)
	tests := []struct {
		name       string
		tags       []types.Tag
		transitive []string
		code, msg  string
	}{
		{"duplicate keys ignoring case", []types.Tag{tag("Project", "a"), tag("project", "b")}, nil,
			"InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		{"transitive key without tag", []types.Tag{tag("a", "b")}, []string{"c"}, "InvalidParameterValue", ""},
		{"transitive keys without tags", nil, []string{"c"}, "InvalidParameterValue", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("bad"),
				Tags: tt.tags, TransitiveTagKeys: tt.transitive})
			wantErr(t, err, tt.code, 400, tt.msg)
		})
	}
	t.Run("packed tags too large", func(t *testing.T) {
		var tags []types.Tag
		for i := range 50 {
			tags = append(tags, tag(strings.Repeat(string(rune('a'+i%26)), 1)+randomish(i, 120), randomish(i+100, 250)))
		}
		_, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("big"), Tags: tags})
		code, msg, _ := apiErr(t, err)
		if code != "PackedPolicyTooLarge" || !strings.HasPrefix(msg, "Packed size of session tags consumes ") {
			t.Fatalf("%s %q", code, msg)
		}
	})
}

func TestSourceIdentity(t *testing.T) {
	w := newWorld(t)
	taggable(w)
	out, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("si"),
		SourceIdentity: aws.String("alice@corp")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.SourceIdentity) != "alice@corp" {
		t.Fatalf("SourceIdentity %q", aws.ToString(out.SourceIdentity))
	}
	sess := credOf(out.Credentials)
	// Chained: inherited without asking, and reported.
	out2, err := w.assume(sess, &sts.AssumeRoleInput{RoleArn: aws.String(w.target.ARN), RoleSessionName: aws.String("hop")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out2.SourceIdentity) != "alice@corp" || w.resolve(t, credOf(out2.Credentials)).Session.SourceIdentity != "alice@corp" {
		t.Fatalf("chained source identity %q", aws.ToString(out2.SourceIdentity))
	}
	// The same value may be repeated, another may not.
	if _, err := w.assume(sess, &sts.AssumeRoleInput{RoleArn: aws.String(w.target.ARN), RoleSessionName: aws.String("hop"),
		SourceIdentity: aws.String("alice@corp")}); err != nil {
		t.Fatal(err)
	}
	_, err = w.assume(sess, &sts.AssumeRoleInput{RoleArn: aws.String(w.target.ARN), RoleSessionName: aws.String("hop"),
		SourceIdentity: aws.String("mallory")})
	wantErr(t, err, "InvalidParameterValue", 400, "")
	// The inherited source identity needs sts:SetSourceIdentity on the next role too.
	w.target.TrustPolicy = trust(acctA, nil, "sts:AssumeRole")
	_, err = w.assume(sess, &sts.AssumeRoleInput{RoleArn: aws.String(w.target.ARN), RoleSessionName: aws.String("hop")})
	wantErr(t, err, "AccessDenied", 403,
		"User: arn:aws:sts::"+acctA+":assumed-role/deploy/si is not authorized to perform: sts:SetSourceIdentity on resource: "+w.target.ARN)
	// And trust policies can test it.
	w.target.TrustPolicy = trust(acctA, map[string]any{"StringEquals": map[string]any{"sts:SourceIdentity": "bob"}},
		"sts:AssumeRole", "sts:SetSourceIdentity")
	_, err = w.assume(sess, &sts.AssumeRoleInput{RoleArn: aws.String(w.target.ARN), RoleSessionName: aws.String("hop")})
	wantErr(t, err, "AccessDenied", 403, "")
}

func TestAssumeRoleMFA(t *testing.T) {
	w := newWorld(t)
	w.deploy.TrustPolicy = trust(acctA, map[string]any{"Bool": map[string]any{"aws:MultiFactorAuthPresent": "true"}})
	_, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("nomfa")})
	wantErr(t, err, "AccessDenied", 403, "")
	_, err = w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("badmfa"),
		SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("000000")})
	wantErr(t, err, "AccessDenied", 403, "MultiFactorAuthentication failed with invalid MFA one time pass code.")
	out, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("mfa"),
		SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("123456")})
	if err != nil {
		t.Fatal(err)
	}
	if !w.resolve(t, credOf(out.Credentials)).Session.MFA {
		t.Fatal("session created with MFA is not marked MFA")
	}
}

// randomish returns n characters that compress poorly, deterministically.
func randomish(seed, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	x := uint32(seed*2654435761 + 1)
	b := make([]byte, n)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = alphabet[x%uint32(len(alphabet))]
	}
	return string(b)
}
