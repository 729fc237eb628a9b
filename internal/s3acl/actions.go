package s3acl

import "strings"

// The mapping of ACL permissions to policy actions, from the S3 User Guide
// "Mapping of ACL permissions and access policy permissions"; the torrent
// actions follow object READ as in earlier editions of that table.
var (
	bucketActions = map[string]Permission{
		"s3:ListBucket":                 Read,
		"s3:ListBucketVersions":         Read,
		"s3:ListBucketMultipartUploads": Read,
		"s3:PutObject":                  Write,
		"s3:DeleteObject":               Write,
		"s3:DeleteObjectVersion":        Write,
		"s3:GetBucketAcl":               ReadACP,
		"s3:PutBucketAcl":               WriteACP,
	}
	objectActions = map[string]Permission{
		"s3:GetObject":               Read,
		"s3:GetObjectVersion":        Read,
		"s3:GetObjectTorrent":        Read,
		"s3:GetObjectVersionTorrent": Read,
		"s3:GetObjectAcl":            ReadACP,
		"s3:GetObjectVersionAcl":     ReadACP,
		"s3:PutObjectAcl":            WriteACP,
		"s3:PutObjectVersionAcl":     WriteACP,
	}
)

// PermissionFor returns the ACL permission that grants the policy action
// (such as "s3:GetObject"; matched case-insensitively, as IAM matches
// action names) when the ACL consulted is an object's (objectContext) or
// a bucket's. ok is false for actions no ACL permission grants; those
// need the owner's account or a policy.
//
//	bucket READ      s3:ListBucket, s3:ListBucketVersions, s3:ListBucketMultipartUploads
//	bucket WRITE     s3:PutObject, s3:DeleteObject, s3:DeleteObjectVersion (see WriteApplies)
//	bucket READ_ACP  s3:GetBucketAcl
//	bucket WRITE_ACP s3:PutBucketAcl
//	object READ      s3:GetObject, s3:GetObjectVersion, s3:GetObjectTorrent, s3:GetObjectVersionTorrent
//	object READ_ACP  s3:GetObjectAcl, s3:GetObjectVersionAcl
//	object WRITE_ACP s3:PutObjectAcl, s3:PutObjectVersionAcl
//
// FULL_CONTROL covers all of them (Permission.Covers, ACL.Allows).
func PermissionFor(action string, objectContext bool) (Permission, bool) {
	m := bucketActions
	if objectContext {
		m = objectActions
	}
	if p, ok := m[action]; ok {
		return p, true
	}
	for name, p := range m { // other spellings: IAM action names ignore case
		if strings.EqualFold(name, action) {
			return p, true
		}
	}
	return "", false
}

// WriteApplies narrows a bucket WRITE grant to what the ACL overview says
// it allows: "create new objects in the bucket. For the bucket and object
// owners of existing objects, also allows deletions and overwrites of
// those objects", and s3:DeleteObjectVersion only "when the grantee is the
// bucket owner". requester, bucketOwner and objectOwner are canonical ids;
// objectOwner is "" when the key does not exist.
func WriteApplies(action, requester, bucketOwner, objectOwner string) bool {
	switch {
	case strings.EqualFold(action, "s3:PutObject"), strings.EqualFold(action, "s3:DeleteObject"):
		return objectOwner == "" || requester == bucketOwner || requester == objectOwner
	case strings.EqualFold(action, "s3:DeleteObjectVersion"):
		return requester == bucketOwner
	}
	return false
}
