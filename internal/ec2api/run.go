package ec2api

import (
	"errors"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/imds"
	"github.com/crossbucket/crossbucket/internal/store"
)

// maxLaunch is the most instances one account may have running in a
// region, standing in for EC2's vCPU quota.
const maxLaunch = 50

// launchSpec is a validated RunInstances request.
type launchSpec struct {
	imageID, instanceType string
	min, max              int
	meta                  store.MetadataOptions
	tags                  []store.Tag
	profile               *imds.Profile
	clientToken           string
}

// runInstances is RunInstances (EC2 API Reference, "RunInstances").
func (c *call) runInstances() (any, error) {
	spec, err := c.launchSpec()
	if err != nil {
		return nil, err
	}
	if spec.clientToken != "" {
		// Idempotency: the same client token returns the same reservation.
		if res, err := c.reservationByToken(spec.clientToken); res != nil || err != nil {
			return res, err
		}
	}
	resource := "arn:aws:ec2:" + c.region + ":" + c.account + ":instance/*"
	if err := c.authorize("ec2:RunInstances", resource, c.account, c.runKeys(spec)); err != nil {
		return nil, err
	}
	if p := spec.profile; p != nil && p.Role != nil {
		// "Using an IAM role to grant permissions to applications running
		// on Amazon EC2 instances": launching with a role needs
		// iam:PassRole on it.
		keys := map[string][]string{"iam:PassedToService": {"ec2.amazonaws.com"}, "iam:AssociatedResourceArn": {resource}}
		if err := c.authorize("iam:PassRole", p.RoleARN, p.Role.AccountID, keys); err != nil {
			return nil, err
		}
	}
	if err := c.dryRun(); err != nil {
		return nil, err
	}
	running, err := c.api.cfg.Store.ListInstances(c.ctx, store.InstanceQuery{AccountID: c.account, Region: c.region,
		States: []string{store.InstancePending, store.InstanceRunning}})
	if err != nil {
		return nil, err
	}
	n := min(spec.max, maxLaunch-len(running))
	if n < spec.min {
		return nil, errf(awserr.EC2InstanceLimitExceeded, "You have requested more instances (%d) than your current instance limit of %d allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.", spec.min+len(running), maxLaunch)
	}
	resID := newID("r-")
	insts := make([]*store.Instance, n)
	for i := range insts {
		insts[i] = c.newInstance(spec, resID, i)
	}
	if err := c.api.cfg.Store.CreateInstances(c.ctx, insts); err != nil {
		return nil, err
	}
	c.startMetadata(insts)
	return &runInstancesResponse{reservationXML: c.reservation(resID, insts, store.InstancePending)}, nil
}

func (c *call) newInstance(spec *launchSpec, resID string, i int) *store.Instance {
	inst := &store.Instance{
		ID: newID("i-"), AccountID: c.account, Region: c.region, ReservationID: resID,
		ImageID: spec.imageID, InstanceType: spec.instanceType, LaunchIndex: i,
		State: store.InstanceRunning, LaunchTime: c.now, StateChangedAt: c.now,
		ClientToken: spec.clientToken, PrivateIP: newPrivateIP(),
		VPCID:        derivedID("vpc-", c.account, c.region, "default-vpc"),
		SubnetID:     derivedID("subnet-", c.account, c.region, "default-subnet"),
		Architecture: architecture(spec.instanceType), Metadata: spec.meta,
		Tags: append([]store.Tag(nil), spec.tags...),
	}
	if p := spec.profile; p != nil {
		inst.Profile = &store.ProfileAssociation{ID: newID("iip-assoc-"), ProfileARN: p.ARN, ProfileID: p.ID,
			State: "associated", At: c.now}
	}
	return inst
}

// startMetadata opens the metadata endpoints of new instances; a failure
// is logged, the instances stay launched.
func (c *call) startMetadata(insts []*store.Instance) {
	if c.api.cfg.Metadata == nil {
		return
	}
	for _, inst := range insts {
		if _, err := c.api.cfg.Metadata.Start(c.ctx, inst); err != nil {
			c.api.log.Error("ec2: open metadata endpoint", "instance", inst.ID, "err", err)
		}
	}
}

func (c *call) reservation(resID string, insts []*store.Instance, st string) reservationXML {
	r := reservationXML{ReservationID: resID, OwnerID: c.account}
	for _, inst := range insts {
		r.Instances = append(r.Instances, instanceView(inst, st))
	}
	return r
}

func (c *call) reservationByToken(token string) (any, error) {
	insts, err := c.api.cfg.Store.ListInstances(c.ctx, store.InstanceQuery{AccountID: c.account, Region: c.region})
	if err != nil {
		return nil, err
	}
	var mine []*store.Instance
	for _, inst := range insts {
		if inst.ClientToken == token {
			mine = append(mine, inst)
		}
	}
	if len(mine) == 0 {
		return nil, nil
	}
	return &runInstancesResponse{reservationXML: c.reservation(mine[0].ReservationID, mine, "")}, nil
}

// runKeys are the condition keys of ec2:RunInstances on the instance.
func (c *call) runKeys(s *launchSpec) map[string][]string {
	keys := map[string][]string{
		"ec2:Region":                          {c.region},
		"ec2:InstanceType":                    {s.instanceType},
		"ec2:MetadataHttpTokens":              {s.meta.HTTPTokens},
		"ec2:MetadataHttpEndpoint":            {s.meta.HTTPEndpoint},
		"ec2:MetadataHttpPutResponseHopLimit": {strconv.Itoa(s.meta.HopLimit)},
		"ec2:InstanceMetadataTags":            {s.meta.Tags},
	}
	if s.profile != nil {
		keys["ec2:InstanceProfile"] = []string{s.profile.ARN}
	}
	if len(s.tags) > 0 {
		var tagKeys []string
		for _, t := range s.tags {
			keys["aws:RequestTag/"+t.Key] = []string{t.Value}
			tagKeys = append(tagKeys, t.Key)
		}
		keys["aws:TagKeys"] = tagKeys
	}
	return keys
}

// launchSpec validates the request.
func (c *call) launchSpec() (*launchSpec, error) {
	q := c.q
	s := &launchSpec{imageID: q.Get("ImageId"), instanceType: q.Get("InstanceType"), clientToken: q.Get("ClientToken")}
	if s.imageID == "" {
		return nil, errf(awserr.EC2MissingParameter, "The request must contain the parameter ImageId")
	}
	if !validID("ami-", s.imageID) {
		return nil, malformedID(awserr.EC2InvalidAMIIDMalformed, s.imageID)
	}
	if s.instanceType == "" {
		s.instanceType = "m1.small" // RunInstances: "Default: m1.small"
	}
	if !validInstanceType(s.instanceType) {
		return nil, errf(awserr.EC2InvalidParameterValue, "Invalid value '%s' for InstanceType.", s.instanceType)
	}
	var err error
	if s.min, s.max, err = counts(q.Get("MinCount"), q.Get("MaxCount")); err != nil {
		return nil, err
	}
	if s.meta, err = metadataOptions(c); err != nil {
		return nil, err
	}
	if s.tags, err = tagSpecs(c); err != nil {
		return nil, err
	}
	if s.profile, err = c.profileParam(); err != nil {
		return nil, err
	}
	return s, nil
}

func counts(minS, maxS string) (lo, hi int, err error) {
	if minS == "" {
		return 0, 0, errf(awserr.EC2MissingParameter, "The request must contain the parameter MinCount")
	}
	if maxS == "" {
		return 0, 0, errf(awserr.EC2MissingParameter, "The request must contain the parameter MaxCount")
	}
	lo, err1 := strconv.Atoi(minS)
	hi, err2 := strconv.Atoi(maxS)
	switch {
	case err1 != nil || lo < 1:
		return 0, 0, errf(awserr.EC2InvalidParameterValue, "Value (%s) for parameter minCount is invalid. Expected a positive integer.", minS)
	case err2 != nil || hi < 1:
		return 0, 0, errf(awserr.EC2InvalidParameterValue, "Value (%s) for parameter maxCount is invalid. Expected a positive integer.", maxS)
	case hi < lo:
		return 0, 0, errf(awserr.EC2InvalidParameterValue, "Value (%d) for parameter maxCount is invalid. Expected a value greater than or equal to minCount (%d).", hi, lo)
	}
	return lo, hi, nil
}

// validInstanceType accepts FAMILY.SIZE in lower-case letters and digits.
func validInstanceType(t string) bool {
	fam, size, ok := strings.Cut(t, ".")
	if !ok || fam == "" || size == "" || len(t) > 64 {
		return false
	}
	for _, r := range fam + size {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// architecture is arm64 for Graviton types (a "g" after the generation
// digit: t4g, m6gd, c7gn) and x86_64 otherwise.
func architecture(instanceType string) string {
	fam, _, _ := strings.Cut(instanceType, ".")
	i := strings.IndexAny(fam, "0123456789")
	if i < 0 {
		return "x86_64"
	}
	if strings.Contains(strings.TrimLeft(fam[i:], "0123456789"), "g") {
		return "arm64"
	}
	return "x86_64"
}

// metadataOptions reads MetadataOptions.*. HttpTokens defaults to
// "required", as for AMIs registered with ImdsSupport v2.0 ("Configure
// instance metadata options for new instances"); the hop limit to 2.
func metadataOptions(c *call) (store.MetadataOptions, error) {
	m := store.MetadataOptions{HTTPTokens: "required", HTTPEndpoint: "enabled", HopLimit: 2, Tags: "disabled"}
	enum := func(param string, dst *string, allowed ...string) error {
		v := c.q.Get("MetadataOptions." + param)
		if v == "" {
			return nil
		}
		for _, a := range allowed {
			if v == a {
				*dst = v
				return nil
			}
		}
		return errf(awserr.EC2InvalidParameterValue, "The value '%s' is not valid for the %s parameter. Valid values: %s.", v, param, strings.Join(allowed, ", "))
	}
	if err := enum("HttpTokens", &m.HTTPTokens, "optional", "required"); err != nil {
		return m, err
	}
	if err := enum("HttpEndpoint", &m.HTTPEndpoint, "enabled", "disabled"); err != nil {
		return m, err
	}
	if err := enum("InstanceMetadataTags", &m.Tags, "enabled", "disabled"); err != nil {
		return m, err
	}
	if v := c.q.Get("MetadataOptions.HttpPutResponseHopLimit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 64 {
			return m, errf(awserr.EC2InvalidParameterValue, "The HttpPutResponseHopLimit value '%s' is not valid. Specify a value from 1 to 64.", v)
		}
		m.HopLimit = n
	}
	return m, nil
}

// tagSpecs reads the instance tags of TagSpecification.N.
func tagSpecs(c *call) ([]store.Tag, error) {
	var tags []store.Tag
	seen := map[string]bool{}
	for _, i := range indexes(c.q, "TagSpecification") {
		p := "TagSpecification." + strconv.Itoa(i)
		rt := c.q.Get(p + ".ResourceType")
		switch rt {
		case "instance":
		case "volume", "network-interface", "spot-instances-request", "elastic-gpu":
			continue // resources crossbucket does not model
		default:
			return nil, errf(awserr.EC2InvalidParameterValue, "'%s' is not a valid taggable resource type for this operation.", rt)
		}
		for _, j := range indexes(c.q, p+".Tag") {
			tp := p + ".Tag." + strconv.Itoa(j)
			t := store.Tag{Key: c.q.Get(tp + ".Key"), Value: c.q.Get(tp + ".Value")}
			if err := validTag(t); err != nil {
				return nil, err
			}
			if seen[t.Key] {
				return nil, errf(awserr.EC2InvalidParameterValue, "Duplicate tag key '%s' specified.", t.Key)
			}
			seen[t.Key] = true
			tags = append(tags, t)
		}
	}
	if len(tags) > 50 {
		return nil, errf(awserr.EC2InvalidParameterValue, "Tag limit exceeded for resource type 'instance'. A resource can have a maximum of 50 tags.")
	}
	return tags, nil
}

// validTag applies the tag rules of "Tag your Amazon EC2 resources".
func validTag(t store.Tag) error {
	switch {
	case t.Key == "":
		return errf(awserr.EC2InvalidParameterValue, "Tag key must not be empty.")
	case len([]rune(t.Key)) > 128:
		return errf(awserr.EC2InvalidParameterValue, "Tag key exceeds the maximum length of 128 characters.")
	case len([]rune(t.Value)) > 256:
		return errf(awserr.EC2InvalidParameterValue, "Tag value exceeds the maximum length of 256 characters.")
	case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
		return errf(awserr.EC2InvalidParameterValue, "Tag keys starting with 'aws:' are reserved for internal use")
	}
	return nil
}

// profileParam resolves IamInstanceProfile.Name or .Arn (nil when absent).
func (c *call) profileParam() (*imds.Profile, error) {
	name, arn := c.q.Get("IamInstanceProfile.Name"), c.q.Get("IamInstanceProfile.Arn")
	switch {
	case name != "" && arn != "":
		return nil, errf(awserr.EC2InvalidParameterCombination, "The parameter 'iamInstanceProfile.name' may not be used in combination with 'iamInstanceProfile.arn'")
	case name == "" && arn == "":
		return nil, nil
	}
	if c.api.cfg.IAM == nil {
		return nil, awserr.Internal(errors.New("ec2api: no IAM configured"))
	}
	var (
		p   *imds.Profile
		err error
	)
	if name != "" {
		p, err = imds.LookupProfile(c.ctx, c.api.cfg.IAM, c.account, name)
	} else {
		p, err = imds.LookupProfileARN(c.ctx, c.api.cfg.IAM, c.account, arn)
	}
	switch {
	case errors.Is(err, imds.ErrNoProfile) && name != "":
		return nil, errf(awserr.EC2InvalidParameterValue, "Value (%s) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name", name)
	case errors.Is(err, imds.ErrNoProfile):
		return nil, errf(awserr.EC2InvalidParameterValue, "Value (%s) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN", arn)
	case err != nil:
		return nil, err
	}
	return p, nil
}
