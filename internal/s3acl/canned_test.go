package s3acl

import (
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

func TestCanned(t *testing.T) {
	tests := []struct {
		name      string
		forObject bool
		owner     Owner // resource owner; the bucket owner is always ownerB
		want      []Grant
	}{
		{"private", false, ownerB, []Grant{fc(idB)}},
		{"private", true, ownerA, []Grant{fc(idA)}},
		{"public-read", false, ownerB, []Grant{fc(idB), grp(AllUsers, Read)}},
		{"public-read", true, ownerA, []Grant{fc(idA), grp(AllUsers, Read)}},
		{"public-read-write", false, ownerB, []Grant{fc(idB), grp(AllUsers, Read), grp(AllUsers, Write)}},
		{"public-read-write", true, ownerA, []Grant{fc(idA), grp(AllUsers, Read), grp(AllUsers, Write)}},
		{"authenticated-read", false, ownerB, []Grant{fc(idB), grp(AuthenticatedUsers, Read)}},
		{"authenticated-read", true, ownerA, []Grant{fc(idA), grp(AuthenticatedUsers, Read)}},
		{"aws-exec-read", false, ownerB, []Grant{fc(idB), usr(EC2CanonicalID, Read)}},
		{"aws-exec-read", true, ownerA, []Grant{fc(idA), usr(EC2CanonicalID, Read)}},
		{"log-delivery-write", false, ownerB, []Grant{fc(idB), grp(LogDelivery, ReadACP), grp(LogDelivery, Write)}},
		{"log-delivery-write", true, ownerA, []Grant{fc(idA), grp(LogDelivery, ReadACP), grp(LogDelivery, Write)}},
		// Bucket-owner ACLs are ignored on buckets ...
		{"bucket-owner-read", false, ownerB, []Grant{fc(idB)}},
		{"bucket-owner-full-control", false, ownerB, []Grant{fc(idB)}},
		// ... add the bucket owner on another account's object ...
		{"bucket-owner-read", true, ownerA, []Grant{fc(idA), usr(idB, Read)}},
		{"bucket-owner-full-control", true, ownerA, []Grant{fc(idA), fc(idB)}},
		// ... and nothing when the bucket owner owns the object.
		{"bucket-owner-read", true, ownerB, []Grant{fc(idB)}},
		{"bucket-owner-full-control", true, ownerB, []Grant{fc(idB)}},
	}
	for _, tt := range tests {
		ctx := "bucket"
		if tt.forObject {
			ctx = "object"
		}
		t.Run(tt.name+"/"+ctx+"/"+tt.owner.DisplayName, func(t *testing.T) {
			got, err := Canned(tt.name, tt.owner, ownerB, tt.forObject)
			if err != nil {
				t.Fatal(err)
			}
			mustEqualACL(t, got, ACL{Owner: tt.owner, Grants: tt.want})
			if got.Owner != tt.owner {
				t.Errorf("owner = %+v, want %+v", got.Owner, tt.owner)
			}
		})
	}
}

func TestCannedCoversEveryName(t *testing.T) {
	for _, n := range CannedNames {
		if !IsCanned(n) {
			t.Errorf("IsCanned(%q) = false", n)
		}
		if _, err := Canned(n, ownerA, ownerB, true); err != nil {
			t.Errorf("Canned(%q, object): %v", n, err)
		}
		if _, err := Canned(n, ownerB, ownerB, false); err != nil {
			t.Errorf("Canned(%q, bucket): %v", n, err)
		}
	}
}

func TestCannedUnknown(t *testing.T) {
	for _, name := range []string{"", "Private", "PUBLIC-READ", "public_read", "public-read ", "bucket-owner-write"} {
		t.Run(name, func(t *testing.T) {
			_, err := Canned(name, ownerA, ownerB, true)
			checkErr(t, err, &wantErr{code: awserr.InvalidArgument, fields: map[string]string{"ArgumentName": "x-amz-acl", "ArgumentValue": name}})
			if IsCanned(name) {
				t.Errorf("IsCanned(%q) = true", name)
			}
		})
	}
}
