package imds

import (
	"context"
	"sync"
	"time"
)

// Instance role credentials ("Retrieve security credentials from instance
// metadata": temporary credentials, rotated automatically, new ones
// available at least five minutes before the old ones expire). AWS issues
// them for about six hours and rotates them about hourly. Serving each set
// for one hour leaves at least five hours on every credential handed out,
// far more than the SDKs' refresh windows need (botocore refreshes 15
// minutes before expiry; aws-sdk-go-v2's ec2rolecreds re-reads at least
// hourly).
const (
	CredentialLifetime = 6 * time.Hour
	rotateAfter        = time.Hour
)

// Condition keys the credentials carry ("AWS global condition context
// keys"; "Actions, resources, and condition keys for Amazon EC2"). The
// authorizer sets them on every request signed with instance credentials.
const (
	KeySourceInstanceARN = "ec2:SourceInstanceARN"
	KeyRoleDelivery      = "ec2:RoleDelivery"
	KeySourceVPC         = "aws:Ec2InstanceSourceVpc"
	KeySourcePrivateIPv4 = "aws:Ec2InstanceSourcePrivateIPv4"
)

// SessionRequest asks for role session credentials on behalf of an instance.
type SessionRequest struct {
	// RoleARN (with path) and RoleID (AROA…) name the role; AccountID owns it.
	RoleARN   string
	RoleID    string
	AccountID string
	// InstanceID is the session name: the session ARN is
	// arn:aws:sts::ACCOUNT:assumed-role/ROLE/INSTANCE-ID.
	InstanceID string
	// InstanceARN is arn:aws:ec2:REGION:ACCOUNT:instance/ID: the value of
	// ec2:SourceInstanceARN on requests signed with the credentials.
	InstanceARN string
	Region      string
	// PrivateIPv4 and VPC are aws:Ec2InstanceSourcePrivateIPv4 and
	// aws:Ec2InstanceSourceVpc (VPC "" when the instance has none).
	PrivateIPv4 string
	VPC         string
	// RoleDelivery is ec2:RoleDelivery: "2.0" when fetched with an IMDSv2
	// token, "1.0" for IMDSv1.
	RoleDelivery string
	// Duration is how long the credentials are valid.
	Duration time.Duration
}

// Credentials are temporary role credentials. Never log them.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// RoleCredentials issues role session credentials for instances. The STS
// side implements it: it seals a session whose principal is the role
// session named after the instance and which records the instance keys of
// the request, so that the authorizer can set the condition keys above.
type RoleCredentials interface {
	IssueForInstance(ctx context.Context, req *SessionRequest) (*Credentials, error)
}

// credCache keeps the credentials last issued for one instance.
type credCache struct {
	mu      sync.Mutex
	key     string // role ARN + delivery version
	creds   *Credentials
	issued  time.Time
	updated time.Time // LastUpdated as served
}

// get returns cached credentials for key while they are fresh, or issues
// new ones.
func (c *credCache) get(key string, now time.Time, issue func() (*Credentials, error)) (*Credentials, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.creds != nil && c.key == key && now.Sub(c.issued) < rotateAfter && now.Before(c.creds.Expiration) {
		return c.creds, c.updated, nil
	}
	creds, err := issue()
	if err != nil {
		return nil, time.Time{}, err
	}
	c.key, c.creds, c.issued, c.updated = key, creds, now, now
	return creds, now, nil
}

// clear forgets the cached credentials.
func (c *credCache) clear() {
	c.mu.Lock()
	c.key, c.creds = "", nil
	c.mu.Unlock()
}
