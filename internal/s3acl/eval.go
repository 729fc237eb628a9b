package s3acl

// Requester is who makes a request, as ACL grants see it: an account,
// never an IAM user or role (grants name accounts; a user or session acts
// for its account).
type Requester struct {
	// CanonicalID is the canonical user id of the requester's account;
	// ignored when the request is anonymous.
	CanonicalID string
	// Authenticated is true for a signed request, false for anonymous.
	Authenticated bool
	// LogDelivery is true only for S3's own server-access-log delivery.
	LogDelivery bool
}

// Anonymous is the requester of an unsigned request.
var Anonymous = Requester{}

// Allows reports whether a gives r the permission perm.
//
// A grant matches when its permission is perm or FULL_CONTROL and its
// grantee is r: a CanonicalUser grant matches the requester's account
// (signed requests only); AllUsers matches everyone, anonymous included;
// AuthenticatedUsers matches every signed request and never an anonymous
// one; LogDelivery matches only log delivery. Email grantees never match
// (S3 stores them resolved). With ignorePublic (the IgnorePublicAcls
// setting) AllUsers and AuthenticatedUsers grants are ignored.
//
// The resource owner always has READ_ACP and WRITE_ACP, whatever the
// grants say: S3 lets a bucket owner that removed every grant still read
// and replace the ACL (ceph/s3-tests test_bucket_acl_no_grants records
// AWS doing so), so an owner can never lock itself out of its ACL.
func (a ACL) Allows(r Requester, perm Permission, ignorePublic bool) bool {
	if !perm.Valid() {
		return false
	}
	signed := r.Authenticated && r.CanonicalID != ""
	if signed && r.CanonicalID == a.Owner.ID && (perm == ReadACP || perm == WriteACP) {
		return true
	}
	for _, g := range a.Grants {
		if !g.Permission.Covers(perm) {
			continue
		}
		switch g.Grantee.Type {
		case CanonicalUser:
			if signed && g.Grantee.ID == r.CanonicalID {
				return true
			}
		case Group:
			switch g.Grantee.URI {
			case AllUsers:
				if !ignorePublic {
					return true
				}
			case AuthenticatedUsers:
				if !ignorePublic && r.Authenticated {
					return true
				}
			case LogDelivery:
				if r.LogDelivery {
					return true
				}
			}
		}
	}
	return false
}
