package s3acl

import "testing"

func TestPermissionFor(t *testing.T) {
	tests := []struct {
		action string
		object bool
		want   Permission
		ok     bool
	}{
		{"s3:ListBucket", false, Read, true},
		{"s3:ListBucketVersions", false, Read, true},
		{"s3:ListBucketMultipartUploads", false, Read, true},
		{"s3:PutObject", false, Write, true},
		{"s3:DeleteObject", false, Write, true},
		{"s3:DeleteObjectVersion", false, Write, true},
		{"s3:GetBucketAcl", false, ReadACP, true},
		{"s3:PutBucketAcl", false, WriteACP, true},
		{"s3:GetObject", true, Read, true},
		{"s3:GetObjectVersion", true, Read, true},
		{"s3:GetObjectTorrent", true, Read, true},
		{"s3:GetObjectVersionTorrent", true, Read, true},
		{"s3:GetObjectAcl", true, ReadACP, true},
		{"s3:GetObjectVersionAcl", true, ReadACP, true},
		{"s3:PutObjectAcl", true, WriteACP, true},
		{"s3:PutObjectVersionAcl", true, WriteACP, true},
		{"S3:getobject", true, Read, true},
		{"s3:LISTBUCKET", false, Read, true},
		// The other context maps nothing for these.
		{"s3:GetObject", false, "", false},
		{"s3:PutObject", true, "", false},
		{"s3:ListBucket", true, "", false},
		{"s3:PutObjectAcl", false, "", false},
		{"s3:GetBucketAcl", true, "", false},
		// Actions no ACL permission grants.
		{"s3:PutBucketPolicy", false, "", false},
		{"s3:GetBucketPolicy", false, "", false},
		{"s3:PutBucketOwnershipControls", false, "", false},
		{"s3:AbortMultipartUpload", true, "", false},
		{"s3:PutObjectTagging", true, "", false},
		{"s3:*", false, "", false},
		{"", false, "", false},
	}
	for _, tt := range tests {
		got, ok := PermissionFor(tt.action, tt.object)
		if got != tt.want || ok != tt.ok {
			t.Errorf("PermissionFor(%q, %v) = %q, %v; want %q, %v", tt.action, tt.object, got, ok, tt.want, tt.ok)
		}
	}
}

func TestWriteApplies(t *testing.T) {
	tests := []struct {
		action, requester, bucketOwner, objectOwner string
		want                                        bool
	}{
		{"s3:PutObject", idC, idB, "", true},             // new object: any WRITE grantee
		{"s3:PutObject", idC, idB, idC, true},            // overwrite own object
		{"s3:PutObject", idC, idB, idA, false},           // overwrite someone else's
		{"s3:PutObject", idB, idB, idA, true},            // bucket owner overwrites
		{"s3:DeleteObject", idC, idB, idA, false},        // delete someone else's
		{"s3:DeleteObject", idC, idB, idC, true},         // delete own
		{"s3:DeleteObject", idB, idB, idA, true},         // bucket owner deletes
		{"s3:DeleteObjectVersion", idC, idB, idC, false}, // only the bucket owner
		{"s3:DeleteObjectVersion", idB, idB, idC, true},
		{"s3:deleteobject", idC, idB, idC, true},
		{"s3:GetObject", idB, idB, idB, false},
	}
	for _, tt := range tests {
		if got := WriteApplies(tt.action, tt.requester, tt.bucketOwner, tt.objectOwner); got != tt.want {
			t.Errorf("WriteApplies(%s, %.1s, %.1s, %.1s) = %v", tt.action, tt.requester, tt.bucketOwner, tt.objectOwner, got)
		}
	}
}
