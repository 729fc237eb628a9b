package ec2api

import (
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/store"
)

// resourceKeys are the condition keys of an action on an existing instance.
func (c *call) resourceKeys(inst *store.Instance) map[string][]string {
	keys := map[string][]string{
		"ec2:Region":       {c.region},
		"ec2:InstanceType": {inst.InstanceType},
		"ec2:InstanceID":   {inst.ID},
	}
	if inst.Profile != nil {
		keys["ec2:InstanceProfile"] = []string{inst.Profile.ProfileARN}
	}
	for _, t := range inst.Tags {
		keys["ec2:ResourceTag/"+t.Key] = []string{t.Value}
		keys["aws:ResourceTag/"+t.Key] = []string{t.Value}
	}
	return keys
}

// terminateInstances is TerminateInstances: the instances go straight to
// "terminated" (the response says "shutting-down", as EC2's does), lose
// their profile association and their metadata endpoint.
func (c *call) terminateInstances() (any, error) {
	ids, err := c.instanceIDs()
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, errf(awserr.EC2MissingParameter, "The request must contain the parameter InstanceId")
	}
	insts, err := c.ownInstances(ids)
	if err != nil {
		return nil, err
	}
	for _, inst := range insts {
		if err := c.authorize("ec2:TerminateInstances", c.instanceARN(inst.ID), c.account, c.resourceKeys(inst)); err != nil {
			return nil, err
		}
	}
	if err := c.dryRun(); err != nil {
		return nil, err
	}
	res := &terminateInstancesResponse{}
	for _, inst := range insts {
		var prev string
		_, err := c.api.cfg.Store.UpdateInstance(c.ctx, inst.ID, func(i *store.Instance) error {
			prev = i.State
			if i.State != store.InstanceTerminated {
				i.State, i.StateChangedAt, i.Profile = store.InstanceTerminated, c.now, nil
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		cur := store.InstanceShuttingDown
		if prev == store.InstanceTerminated {
			cur = store.InstanceTerminated
		}
		res.Instances = append(res.Instances, stateChangeXML{InstanceID: inst.ID, CurrentState: state(cur), PreviousState: state(prev)})
		if m := c.api.cfg.Metadata; m != nil {
			if err := m.Stop(inst.ID); err != nil {
				c.api.log.Error("ec2: close metadata endpoint", "instance", inst.ID, "err", err)
			}
		}
	}
	// Instances terminated over an hour ago are no longer shown; drop them.
	if _, err := c.api.cfg.Store.DeleteTerminated(c.ctx, c.now.Add(-terminatedVisible)); err != nil {
		c.api.log.Warn("ec2: purge terminated instances", "err", err)
	}
	return res, nil
}
