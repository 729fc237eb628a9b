package store

import (
	"context"
	"time"
)

// EC2 instance states (the EC2 API Reference, InstanceState: name and code).
const (
	InstancePending      = "pending"
	InstanceRunning      = "running"
	InstanceShuttingDown = "shutting-down"
	InstanceTerminated   = "terminated"
	InstanceStopping     = "stopping"
	InstanceStopped      = "stopped"
)

// InstanceStateCode is the numeric code EC2 gives a state (the low byte of
// InstanceState.Code), or -1 for an unknown state.
func InstanceStateCode(state string) int {
	switch state {
	case InstancePending:
		return 0
	case InstanceRunning:
		return 16
	case InstanceShuttingDown:
		return 32
	case InstanceTerminated:
		return 48
	case InstanceStopping:
		return 64
	case InstanceStopped:
		return 80
	}
	return -1
}

// ProfileAssociation is the IAM instance profile associated with an instance.
type ProfileAssociation struct {
	ID         string // iip-assoc-…, unique across instances
	ProfileARN string // arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME
	ProfileID  string // AIPA…
	State      string // "associated", …
	At         time.Time
}

// MetadataOptions are an instance's instance metadata (IMDS) settings.
type MetadataOptions struct {
	HTTPTokens   string // "required" (IMDSv2 only) or "optional" (IMDSv1 allowed)
	HTTPEndpoint string // "enabled" or "disabled"
	HopLimit     int    // 1–64
	Tags         string // "enabled" or "disabled" (instance tags in IMDS)
}

// Instance is an emulated EC2 instance: an identity with a metadata
// endpoint, not a machine. Instance ids are unique across accounts.
type Instance struct {
	ID            string // i- + 17 hex digits
	AccountID     string // owner
	Region        string
	ReservationID string // r- + 17 hex digits
	ImageID       string
	InstanceType  string
	LaunchIndex   int
	State         string // Instance* constants
	LaunchTime    time.Time
	// StateChangedAt is when State last changed (termination time for
	// terminated instances).
	StateChangedAt time.Time
	StateReason    string
	ClientToken    string
	PrivateIP      string
	VPCID          string
	SubnetID       string
	Architecture   string
	Metadata       MetadataOptions
	Tags           []Tag
	// Profile is the current IAM instance profile association, nil when none.
	Profile *ProfileAssociation
	// IMDSPort is the loopback port of the instance's metadata endpoint,
	// 0 when none has been opened.
	IMDSPort int
}

// InstanceQuery selects instances for ListInstances. Empty fields select all.
type InstanceQuery struct {
	AccountID string
	Region    string
	IDs       []string
	States    []string
	// After and Limit page through the result, which is ordered by id:
	// ids > After, at most Limit (<= 0: all).
	After string
	Limit int
}

// EC2 keeps emulated EC2 instances.
type EC2 interface {
	// CreateInstances stores instances atomically: all or none. ErrExists
	// when an instance id or association id is taken.
	CreateInstances(ctx context.Context, insts []*Instance) error
	// GetInstance returns an instance by id (ErrNotFound).
	GetInstance(ctx context.Context, id string) (*Instance, error)
	// GetInstanceByAssociation returns the instance whose current profile
	// association has this id (ErrNotFound).
	GetInstanceByAssociation(ctx context.Context, associationID string) (*Instance, error)
	// ListInstances returns the instances matching q, ordered by id.
	ListInstances(ctx context.Context, q InstanceQuery) ([]*Instance, error)
	// UpdateInstance applies fn to the instance inside one transaction; fn
	// may change anything but ID and AccountID. ErrNotFound when missing,
	// ErrExists when the new association id is taken; an error from fn is
	// returned as is and nothing is written.
	UpdateInstance(ctx context.Context, id string, fn func(*Instance) error) (*Instance, error)
	// DeleteTerminated removes instances terminated before t and returns
	// how many it removed.
	DeleteTerminated(ctx context.Context, before time.Time) (int, error)
}
