package policy

import (
	"strings"

	"github.com/crossbucket/crossbucket/internal/arn"
)

// s3ResourceType is the resource type an S3 action applies to, from the
// "Actions, resources, and condition keys for Amazon S3" table; used to
// check bucket policies the way PutBucketPolicy does.
type s3ResourceType uint8

const (
	s3Object  s3ResourceType = iota // arn:aws:s3:::bucket/key
	s3Bucket                        // arn:aws:s3:::bucket
	s3Account                       // no bucket or object resource (jobs, access points, account settings)
)

// s3Actions lists the S3 actions a bucket policy may name, in lower case.
var s3Actions = map[string]s3ResourceType{}

func init() {
	for _, a := range strings.Fields(`AbortMultipartUpload BypassGovernanceRetention DeleteObject
		DeleteObjectTagging DeleteObjectVersion DeleteObjectVersionTagging GetObject GetObjectAcl
		GetObjectAttributes GetObjectLegalHold GetObjectRetention GetObjectTagging GetObjectTorrent
		GetObjectVersion GetObjectVersionAcl GetObjectVersionAttributes GetObjectVersionForReplication
		GetObjectVersionTagging GetObjectVersionTorrent InitiateReplication ListMultipartUploadParts
		ObjectOwnerOverrideToBucketOwner PutObject PutObjectAcl PutObjectLegalHold PutObjectRetention
		PutObjectTagging PutObjectVersionAcl PutObjectVersionTagging ReplicateDelete ReplicateObject
		ReplicateTags RestoreObject`) {
		s3Actions["s3:"+strings.ToLower(a)] = s3Object
	}
	for _, a := range strings.Fields(`CreateBucket DeleteBucket DeleteBucketOwnershipControls
		DeleteBucketPolicy DeleteBucketWebsite GetAccelerateConfiguration GetAnalyticsConfiguration
		GetBucketAcl GetBucketCORS GetBucketLocation GetBucketLogging GetBucketNotification
		GetBucketObjectLockConfiguration GetBucketOwnershipControls GetBucketPolicy GetBucketPolicyStatus
		GetBucketPublicAccessBlock GetBucketRequestPayment GetBucketTagging GetBucketVersioning
		GetBucketWebsite GetEncryptionConfiguration GetIntelligentTieringConfiguration
		GetInventoryConfiguration GetLifecycleConfiguration GetMetricsConfiguration
		GetReplicationConfiguration ListBucket ListBucketMultipartUploads ListBucketVersions
		PutAccelerateConfiguration PutAnalyticsConfiguration PutBucketAcl PutBucketCORS PutBucketLogging
		PutBucketNotification PutBucketObjectLockConfiguration PutBucketOwnershipControls PutBucketPolicy
		PutBucketPublicAccessBlock PutBucketRequestPayment PutBucketTagging PutBucketVersioning
		PutBucketWebsite PutEncryptionConfiguration PutIntelligentTieringConfiguration
		PutInventoryConfiguration PutLifecycleConfiguration PutMetricsConfiguration
		PutReplicationConfiguration`) {
		s3Actions["s3:"+strings.ToLower(a)] = s3Bucket
	}
	for _, a := range strings.Fields(`ListAllMyBuckets GetAccountPublicAccessBlock
		PutAccountPublicAccessBlock CreateJob ListJobs DescribeJob UpdateJobPriority UpdateJobStatus
		ListAccessPoints CreateAccessPoint DeleteAccessPoint GetAccessPoint GetAccessPointPolicy
		PutAccessPointPolicy DeleteAccessPointPolicy GetAccessPointPolicyStatus ListStorageLensConfigurations
		GetStorageLensConfiguration PutStorageLensConfiguration DeleteStorageLensConfiguration
		GetStorageLensDashboard ListAccessPointsForObjectLambda`) {
		s3Actions["s3:"+strings.ToLower(a)] = s3Account
	}
}

// s3ActionTypes returns which resource types the actions matched by the
// (lower-cased) pattern apply to, and whether it matches any S3 action.
func s3ActionTypes(pat string) (types [3]bool, known bool) {
	if pat == "*" {
		return [3]bool{true, true, true}, true
	}
	if !strings.HasPrefix(pat, "s3:") {
		return types, false
	}
	if !strings.ContainsAny(pat, "*?") {
		t, ok := s3Actions[pat]
		types[t] = ok
		return types, ok
	}
	for a, t := range s3Actions {
		if arn.Wildcard(pat, a, true) {
			types[t] = true
			known = true
		}
	}
	return types, known
}
