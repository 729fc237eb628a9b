package s3acl

import "testing"

func TestAllows(t *testing.T) {
	owner := Requester{CanonicalID: idA, Authenticated: true}
	other := Requester{CanonicalID: idB, Authenticated: true}
	third := Requester{CanonicalID: idC, Authenticated: true}
	// An unsigned request that somehow carries an id is still anonymous.
	spoofed := Requester{CanonicalID: idB}
	logs := Requester{LogDelivery: true}

	acl := ACL{Owner: ownerA, Grants: []Grant{
		fc(idA),
		usr(idB, Read),
		usr(idB, WriteACP),
		grp(AuthenticatedUsers, ReadACP),
		grp(LogDelivery, Write),
	}}
	public := ACL{Owner: ownerA, Grants: []Grant{grp(AllUsers, Read), grp(AllUsers, FullControl)}}
	empty := ACL{Owner: ownerA}

	tests := []struct {
		name         string
		acl          ACL
		r            Requester
		perm         Permission
		ignorePublic bool
		want         bool
	}{
		{"owner full control covers read", acl, owner, Read, false, true},
		{"owner full control covers write", acl, owner, Write, false, true},
		{"owner full control covers write_acp", acl, owner, WriteACP, false, true},
		{"other account read", acl, other, Read, false, true},
		{"other account write not granted", acl, other, Write, false, false},
		{"other account write_acp", acl, other, WriteACP, false, true},
		{"other account read_acp via authenticated users", acl, other, ReadACP, false, true},
		{"other account full control not granted", acl, other, FullControl, false, false},
		{"third account read not granted", acl, third, Read, false, false},
		{"third account read_acp via authenticated users", acl, third, ReadACP, false, true},
		{"authenticated users ignored with IgnorePublicAcls", acl, third, ReadACP, true, false},
		{"canonical grant unaffected by IgnorePublicAcls", acl, other, Read, true, true},
		{"anonymous gets no authenticated-users grant", acl, Anonymous, ReadACP, false, false},
		{"anonymous with a spoofed id", acl, spoofed, Read, false, false},
		{"log delivery write", acl, logs, Write, false, true},
		{"log delivery write ignores IgnorePublicAcls", acl, logs, Write, true, true},
		{"log delivery nothing else", acl, logs, Read, false, false},
		{"log delivery group does not match accounts", acl, third, Write, false, false},
		{"all users: anonymous read", public, Anonymous, Read, false, true},
		{"all users: full control implies write", public, Anonymous, Write, false, true},
		{"all users: authenticated read", public, third, Read, false, true},
		{"all users ignored with IgnorePublicAcls", public, Anonymous, Read, true, false},
		{"all users ignored for accounts too", public, third, Read, true, false},
		{"owner keeps read_acp without grants", empty, owner, ReadACP, false, true},
		{"owner keeps write_acp without grants", empty, owner, WriteACP, false, true},
		{"owner loses read without grants", empty, owner, Read, false, false},
		{"owner loses write without grants", empty, owner, Write, false, false},
		{"non-owner gets nothing from empty", empty, other, ReadACP, false, false},
		{"invalid permission", public, Anonymous, Permission("read"), false, false},
		{"empty permission", public, Anonymous, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.acl.Allows(tt.r, tt.perm, tt.ignorePublic); got != tt.want {
				t.Errorf("Allows(%+v, %s, %v) = %v, want %v", tt.r, tt.perm, tt.ignorePublic, got, tt.want)
			}
		})
	}
}

func TestCovers(t *testing.T) {
	all := []Permission{Read, Write, ReadACP, WriteACP, FullControl}
	for _, p := range all {
		for _, q := range all {
			want := p == q || p == FullControl
			if got := p.Covers(q); got != want {
				t.Errorf("%s.Covers(%s) = %v", p, q, got)
			}
		}
		if p.Covers("bogus") || Permission("bogus").Covers("bogus") {
			t.Errorf("an invalid permission is covered")
		}
	}
}

func TestIsPublic(t *testing.T) {
	tests := []struct {
		name string
		acl  ACL
		want bool
	}{
		{"private", Private(ownerA), false},
		{"all users read", ACL{Grants: []Grant{grp(AllUsers, Read)}}, true},
		{"all users read_acp", ACL{Grants: []Grant{grp(AllUsers, ReadACP)}}, true},
		{"authenticated users", ACL{Grants: []Grant{grp(AuthenticatedUsers, WriteACP)}}, true},
		{"log delivery is not public", ACL{Grants: []Grant{grp(LogDelivery, Write), grp(LogDelivery, ReadACP)}}, false},
		{"other account", ACL{Grants: []Grant{fc(idB)}}, false},
		{"ec2", ACL{Grants: []Grant{usr(EC2CanonicalID, Read)}}, false},
		{"empty", ACL{}, false},
	}
	for _, tt := range tests {
		if got := IsPublic(tt.acl); got != tt.want {
			t.Errorf("%s: IsPublic = %v", tt.name, got)
		}
	}
	for _, n := range CannedNames {
		a, _ := Canned(n, ownerA, ownerB, true)
		want := n == CannedPublicRead || n == CannedPublicReadWrite || n == CannedAuthenticatedRead
		if IsPublic(a) != want {
			t.Errorf("IsPublic(%s) = %v", n, !want)
		}
	}
}

func TestWithoutPublic(t *testing.T) {
	a := ACL{Owner: ownerA, Grants: []Grant{fc(idA), grp(AllUsers, Read), grp(LogDelivery, Write), grp(AuthenticatedUsers, Read), usr(idB, Read)}}
	got := WithoutPublic(a)
	mustEqualACL(t, got, ACL{Owner: ownerA, Grants: []Grant{fc(idA), grp(LogDelivery, Write), usr(idB, Read)}})
	if len(a.Grants) != 5 {
		t.Error("WithoutPublic modified its argument")
	}
}

func TestOwnerOnlyAndDisplayNames(t *testing.T) {
	if !Private(ownerA).OwnerOnly() || !(ACL{Owner: ownerA}).OwnerOnly() || !(ACL{Owner: ownerA, Grants: []Grant{usr(idA, Read)}}).OwnerOnly() {
		t.Error("owner-only ACLs not recognized")
	}
	if (ACL{Owner: ownerA, Grants: []Grant{fc(idA), usr(idB, Read)}}).OwnerOnly() {
		t.Error("grant to another account counted as owner-only")
	}
	a := ACL{Owner: Owner{ID: idA}, Grants: []Grant{fc(idA), grp(AllUsers, Read), usr(idB, Read)}}
	named := a.WithDisplayNames(func(id string) string {
		if id == idA {
			return "alice"
		}
		return ""
	})
	if named.Owner.DisplayName != "alice" || named.Grants[0].Grantee.DisplayName != "alice" || named.Grants[2].Grantee.DisplayName != "" {
		t.Errorf("WithDisplayNames = %+v", named)
	}
	if a.Grants[0].Grantee.DisplayName != "" {
		t.Error("WithDisplayNames modified its receiver")
	}
	if cleared := named.WithDisplayNames(nil); cleared.Owner.DisplayName != "" || cleared.Grants[0].Grantee.DisplayName != "" {
		t.Errorf("WithDisplayNames(nil) = %+v", cleared)
	}
}
