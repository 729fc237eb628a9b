package ec2api

import (
	"encoding/xml"
	"errors"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/imds"
	"github.com/crossbucket/crossbucket/internal/store"
)

// errStale aborts an update whose precondition no longer holds.
var errStale = errors.New("ec2api: instance changed")

// requiredProfile resolves IamInstanceProfile, which the action requires.
func (c *call) requiredProfile() (*imds.Profile, error) {
	p, err := c.profileParam()
	if err == nil && p == nil {
		return nil, errf(awserr.EC2MissingParameter, "The request must contain the parameter IamInstanceProfile")
	}
	return p, err
}

// passRole authorizes handing the profile's role to EC2 for inst.
func (c *call) passRole(p *imds.Profile, instanceID string) error {
	if p.Role == nil {
		return nil
	}
	keys := map[string][]string{"iam:PassedToService": {"ec2.amazonaws.com"}, "iam:AssociatedResourceArn": {c.instanceARN(instanceID)}}
	return c.authorize("iam:PassRole", p.RoleARN, p.Role.AccountID, keys)
}

// associateProfile is AssociateIamInstanceProfile.
func (c *call) associateProfile() (any, error) {
	id := c.q.Get("InstanceId")
	if id == "" {
		return nil, errf(awserr.EC2MissingParameter, "The request must contain the parameter InstanceId")
	}
	if !validID("i-", id) {
		return nil, malformedID(awserr.EC2InvalidInstanceIDMalformed, id)
	}
	p, err := c.requiredProfile()
	if err != nil {
		return nil, err
	}
	insts, err := c.ownInstances([]string{id})
	if err != nil {
		return nil, err
	}
	inst := insts[0]
	if err := c.authorize("ec2:AssociateIamInstanceProfile", c.instanceARN(id), c.account, c.resourceKeys(inst)); err != nil {
		return nil, err
	}
	if err := c.passRole(p, id); err != nil {
		return nil, err
	}
	if err := c.dryRun(); err != nil {
		return nil, err
	}
	assoc := &store.ProfileAssociation{ID: newID("iip-assoc-"), ProfileARN: p.ARN, ProfileID: p.ID, State: "associated", At: c.now}
	_, err = c.api.cfg.Store.UpdateInstance(c.ctx, id, func(i *store.Instance) error {
		if i.State != store.InstanceRunning && i.State != store.InstanceStopped && i.State != store.InstancePending {
			return errf(awserr.EC2IncorrectInstanceState, "The instance '%s' is not in a valid state for this operation.", id)
		}
		if i.Profile != nil {
			return errf(awserr.EC2IncorrectState, "There is an existing association for instance %s", id)
		}
		i.Profile = assoc
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &associateResponse{XMLName: xml.Name{Local: "AssociateIamInstanceProfileResponse"},
		Association: associationView(id, assoc, "associating", false)}, nil
}

// byAssociation finds the caller's instance holding an association.
func (c *call) byAssociation(assocID string) (*store.Instance, error) {
	if assocID == "" {
		return nil, errf(awserr.EC2MissingParameter, "The request must contain the parameter AssociationId")
	}
	inst, err := c.api.cfg.Store.GetInstanceByAssociation(c.ctx, assocID)
	if errors.Is(err, store.ErrNotFound) || err == nil && (inst.AccountID != c.account || inst.Region != c.region) {
		return nil, errf(awserr.EC2InvalidAssociationIDNotFound, "The association ID '%s' does not exist", assocID)
	}
	return inst, err
}

// disassociateProfile is DisassociateIamInstanceProfile.
func (c *call) disassociateProfile() (any, error) {
	assocID := c.q.Get("AssociationId")
	inst, err := c.byAssociation(assocID)
	if err != nil {
		return nil, err
	}
	if err := c.authorize("ec2:DisassociateIamInstanceProfile", c.instanceARN(inst.ID), c.account, c.resourceKeys(inst)); err != nil {
		return nil, err
	}
	if err := c.dryRun(); err != nil {
		return nil, err
	}
	var old store.ProfileAssociation
	_, err = c.api.cfg.Store.UpdateInstance(c.ctx, inst.ID, func(i *store.Instance) error {
		if i.Profile == nil || i.Profile.ID != assocID {
			return errStale
		}
		old, i.Profile = *i.Profile, nil
		return nil
	})
	if errors.Is(err, errStale) {
		return nil, errf(awserr.EC2InvalidAssociationIDNotFound, "The association ID '%s' does not exist", assocID)
	}
	if err != nil {
		return nil, err
	}
	return &associateResponse{XMLName: xml.Name{Local: "DisassociateIamInstanceProfileResponse"},
		Association: associationView(inst.ID, &old, "disassociating", false)}, nil
}

// replaceProfile is ReplaceIamInstanceProfileAssociation: a new
// association (new id) replaces the old one of a running instance.
func (c *call) replaceProfile() (any, error) {
	assocID := c.q.Get("AssociationId")
	inst, err := c.byAssociation(assocID)
	if err != nil {
		return nil, err
	}
	p, err := c.requiredProfile()
	if err != nil {
		return nil, err
	}
	if err := c.authorize("ec2:ReplaceIamInstanceProfileAssociation", c.instanceARN(inst.ID), c.account, c.resourceKeys(inst)); err != nil {
		return nil, err
	}
	if err := c.passRole(p, inst.ID); err != nil {
		return nil, err
	}
	if err := c.dryRun(); err != nil {
		return nil, err
	}
	assoc := &store.ProfileAssociation{ID: newID("iip-assoc-"), ProfileARN: p.ARN, ProfileID: p.ID, State: "associated", At: c.now}
	_, err = c.api.cfg.Store.UpdateInstance(c.ctx, inst.ID, func(i *store.Instance) error {
		if i.Profile == nil || i.Profile.ID != assocID || i.State != store.InstanceRunning {
			// "Replaces an IAM instance profile for the specified running instance."
			return errf(awserr.EC2IncorrectState, "The association %s is not the active association", assocID)
		}
		i.Profile = assoc
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &associateResponse{XMLName: xml.Name{Local: "ReplaceIamInstanceProfileAssociationResponse"},
		Association: associationView(inst.ID, assoc, "associating", false)}, nil
}

// describeAssociations is DescribeIamInstanceProfileAssociations.
func (c *call) describeAssociations() (any, error) {
	ids := list(c.q, "AssociationId")
	fs := filters(c.q)
	for _, f := range fs {
		if f.Name != "instance-id" && f.Name != "state" {
			return nil, errf(awserr.EC2InvalidParameterValue, "The filter '%s' is invalid", f.Name)
		}
	}
	limit, after, err := page(c.q, 5)
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 && limit > 0 {
		return nil, errf(awserr.EC2InvalidParameterCombination, "The parameter associationIds cannot be used with the parameter maxResults")
	}
	if err := c.authorize("ec2:DescribeIamInstanceProfileAssociations", "*", c.account, map[string][]string{"ec2:Region": {c.region}}); err != nil {
		return nil, err
	}
	if err := c.dryRun(); err != nil {
		return nil, err
	}
	insts, err := c.api.cfg.Store.ListInstances(c.ctx, store.InstanceQuery{AccountID: c.account, Region: c.region, After: after})
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	found := map[string]bool{}
	res := &describeAssociationsResponse{}
	var last string
	for _, inst := range insts {
		a := inst.Profile
		if a == nil || inst.State == store.InstanceTerminated || len(ids) > 0 && !want[a.ID] {
			continue
		}
		found[a.ID] = true
		if !assocMatch(inst, fs) {
			continue
		}
		if limit > 0 && len(res.Associations) == limit {
			res.NextToken = nextToken(last)
			break
		}
		res.Associations = append(res.Associations, associationView(inst.ID, a, a.State, true))
		last = inst.ID
	}
	var missing []string
	for _, id := range ids {
		if !found[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, errf(awserr.EC2InvalidAssociationIDNotFound, "The association ID '%s' does not exist", strings.Join(missing, ", "))
	}
	return res, nil
}

func assocMatch(inst *store.Instance, fs []filter) bool {
	for _, f := range fs {
		v := inst.ID
		if f.Name == "state" {
			v = inst.Profile.State
		}
		if !anyMatch(f.Values, []string{v}) {
			return false
		}
	}
	return true
}
