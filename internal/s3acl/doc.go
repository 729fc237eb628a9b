// Package s3acl is Amazon S3's access control lists: the ACL model
// (owner, grantees, permissions), canned ACLs, the x-amz-acl and
// x-amz-grant-* request headers, the AccessControlPolicy XML body and the
// GetBucketAcl / GetObjectAcl response, a compact storage encoding,
// evaluation of grants for a requester, the mapping of ACL permissions to
// policy actions, "public" ACLs, Object Ownership and the
// OwnershipControls / PublicAccessBlockConfiguration XML bodies.
//
// It is pure: it imports only the standard library and internal/awserr,
// and every error it returns is an *awserr.Error carrying the code,
// message and extra fields S3 sends.
//
// Sources: S3 User Guide "Access control list (ACL) overview",
// "Controlling ownership of objects and disabling ACLs for your bucket",
// "Troubleshooting" (Object Ownership), "Blocking public access to your
// Amazon S3 storage"; S3 API Reference PutBucketAcl, PutObjectAcl,
// GetBucketAcl, PutBucketOwnershipControls, PutPublicAccessBlock.
//
// Typical wiring in an S3 handler (PutObject):
//
//	hdr, err := s3acl.ParseHeaders(r.Header, resolver)        // 400s for bad headers
//	if b.Ownership == s3acl.BucketOwnerEnforced && hdr.Present() &&
//		!s3acl.AllowedWhenEnforced(hdr.Canned, hdr.ACL(owner, bucketOwner, true), bucketOwner.ID) {
//		// awserr.New(awserr.AccessControlListNotSupported)
//	}
//	ownerAcct := s3acl.ObjectOwner(b.Ownership, writerAcct, b.AccountID, hdr.Canned)
//	acl := hdr.ACL(ownerOf(ownerAcct), bucketOwner, true)
//	if err := s3acl.CheckBlockPublicAcls(pab, acl); err != nil { … }
//	meta.ACL = s3acl.Encode(acl)
package s3acl
