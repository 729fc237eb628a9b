package ec2api

import (
	"strconv"
	"strings"
	"time"

	"github.com/crossbucket/crossbucket/internal/arn"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/imds"
	"github.com/crossbucket/crossbucket/internal/store"
)

// terminatedVisible is how long a terminated instance stays in
// DescribeInstances ("Terminated instances remain visible … for about an
// hour", "Terminate Amazon EC2 instances").
const terminatedVisible = time.Hour

// instanceIDs reads and validates InstanceId.N.
func (c *call) instanceIDs() ([]string, error) {
	ids := list(c.q, "InstanceId")
	for _, id := range ids {
		if !validID("i-", id) {
			return nil, malformedID(awserr.EC2InvalidInstanceIDMalformed, id)
		}
	}
	return ids, nil
}

// visible reports whether DescribeInstances still shows inst.
func (c *call) visible(inst *store.Instance) bool {
	return inst.State != store.InstanceTerminated || c.now.Sub(inst.StateChangedAt) < terminatedVisible
}

// ownInstances loads the named instances of the caller's account and
// region; any that are not there make InvalidInstanceID.NotFound.
func (c *call) ownInstances(ids []string) ([]*store.Instance, error) {
	insts, err := c.api.cfg.Store.ListInstances(c.ctx, store.InstanceQuery{AccountID: c.account, Region: c.region, IDs: ids})
	if err != nil {
		return nil, err
	}
	byID := map[string]*store.Instance{}
	for _, inst := range insts {
		if c.visible(inst) {
			byID[inst.ID] = inst
		}
	}
	var missing []string
	out := make([]*store.Instance, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if inst, ok := byID[id]; ok {
			out = append(out, inst)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, instancesNotFound(missing)
	}
	return out, nil
}

// describeInstances is DescribeInstances.
func (c *call) describeInstances() (any, error) {
	ids, err := c.instanceIDs()
	if err != nil {
		return nil, err
	}
	fs := filters(c.q)
	for _, f := range fs {
		if !knownFilter(f.Name) {
			return nil, errf(awserr.EC2InvalidParameterValue, "The filter '%s' is invalid", f.Name)
		}
	}
	limit, after, err := page(c.q, 5)
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 && limit > 0 {
		return nil, errf(awserr.EC2InvalidParameterCombination, "The parameter instancesSet cannot be used with the parameter maxResults")
	}
	if err := c.authorize("ec2:DescribeInstances", "*", c.account, map[string][]string{"ec2:Region": {c.region}}); err != nil {
		return nil, err
	}
	if err := c.dryRun(); err != nil {
		return nil, err
	}
	var insts []*store.Instance
	if len(ids) > 0 {
		if insts, err = c.ownInstances(ids); err != nil {
			return nil, err
		}
	} else {
		all, err := c.api.cfg.Store.ListInstances(c.ctx, store.InstanceQuery{AccountID: c.account, Region: c.region, After: after})
		if err != nil {
			return nil, err
		}
		for _, inst := range all {
			if c.visible(inst) {
				insts = append(insts, inst)
			}
		}
	}
	var matched []*store.Instance
	for _, inst := range insts {
		if matchAll(inst, fs) {
			matched = append(matched, inst)
		}
	}
	res := &describeInstancesResponse{}
	if limit > 0 && len(matched) > limit {
		matched = matched[:limit]
		res.NextToken = nextToken(matched[limit-1].ID)
	}
	// Instances are grouped by reservation, in the order first seen.
	index := map[string]int{}
	for _, inst := range matched {
		i, ok := index[inst.ReservationID]
		if !ok {
			i = len(res.Reservations)
			index[inst.ReservationID] = i
			res.Reservations = append(res.Reservations, reservationXML{ReservationID: inst.ReservationID, OwnerID: inst.AccountID})
		}
		res.Reservations[i].Instances = append(res.Reservations[i].Instances, instanceView(inst, ""))
	}
	return res, nil
}

// instanceFilters are the DescribeInstances filters supported, each giving
// an instance's values for the filter.
var instanceFilters = map[string]func(*store.Instance) []string{
	"instance-id":                  func(i *store.Instance) []string { return []string{i.ID} },
	"instance-state-name":          func(i *store.Instance) []string { return []string{i.State} },
	"instance-state-code":          func(i *store.Instance) []string { return []string{strconv.Itoa(store.InstanceStateCode(i.State))} },
	"instance-type":                func(i *store.Instance) []string { return []string{i.InstanceType} },
	"image-id":                     func(i *store.Instance) []string { return []string{i.ImageID} },
	"reservation-id":               func(i *store.Instance) []string { return []string{i.ReservationID} },
	"owner-id":                     func(i *store.Instance) []string { return []string{i.AccountID} },
	"availability-zone":            func(i *store.Instance) []string { return []string{imds.AvailabilityZone(i.Region)} },
	"private-ip-address":           func(i *store.Instance) []string { return []string{i.PrivateIP} },
	"private-dns-name":             func(i *store.Instance) []string { return []string{privateDNS(i)} },
	"vpc-id":                       func(i *store.Instance) []string { return []string{i.VPCID} },
	"subnet-id":                    func(i *store.Instance) []string { return []string{i.SubnetID} },
	"architecture":                 func(i *store.Instance) []string { return []string{i.Architecture} },
	"client-token":                 func(i *store.Instance) []string { return []string{i.ClientToken} },
	"metadata-options.http-tokens": func(i *store.Instance) []string { return []string{i.Metadata.HTTPTokens} },
	"iam-instance-profile.arn": func(i *store.Instance) []string {
		if i.Profile == nil {
			return nil
		}
		return []string{i.Profile.ProfileARN}
	},
	"tag-key": func(i *store.Instance) []string {
		var out []string
		for _, t := range i.Tags {
			out = append(out, t.Key)
		}
		return out
	},
	"tag-value": func(i *store.Instance) []string {
		var out []string
		for _, t := range i.Tags {
			out = append(out, t.Value)
		}
		return out
	},
}

func knownFilter(name string) bool {
	if _, ok := instanceFilters[name]; ok {
		return true
	}
	return strings.HasPrefix(name, "tag:") && len(name) > len("tag:")
}

// matchAll: every filter must match (AND); within a filter any value
// (OR); values may use * and ? wildcards ("List and filter your
// resources": filter values are case-sensitive and support wildcards).
func matchAll(inst *store.Instance, fs []filter) bool {
	for _, f := range fs {
		var have []string
		if key, ok := strings.CutPrefix(f.Name, "tag:"); ok {
			for _, t := range inst.Tags {
				if t.Key == key {
					have = append(have, t.Value)
				}
			}
		} else {
			have = instanceFilters[f.Name](inst)
		}
		if !anyMatch(f.Values, have) {
			return false
		}
	}
	return true
}

func anyMatch(patterns, values []string) bool {
	for _, p := range patterns {
		for _, v := range values {
			if arn.Wildcard(p, v, false) {
				return true
			}
		}
	}
	return false
}
