package iamapi

import (
	"errors"
	"fmt"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/store"
)

// Messages IAM sends with its errors, as real IAM responses word them.

func errNoUser(name string) error {
	return awserr.Newf(awserr.NoSuchEntity, "The user with name %s cannot be found.", name)
}

func errNoRole(name string) error {
	return awserr.Newf(awserr.NoSuchEntity, "The role with name %s cannot be found.", name)
}

func errNoGroup(name string) error {
	return awserr.Newf(awserr.NoSuchEntity, "The group with name %s cannot be found.", name)
}

func errNoProfile(name string) error {
	return awserr.Newf(awserr.NoSuchEntity, "Instance Profile %s cannot be found.", name)
}

func errNoPolicy(arn string) error {
	return awserr.Newf(awserr.NoSuchEntity, "Policy %s was not found.", arn)
}

func errNotAttachable(arn string) error {
	return awserr.Newf(awserr.NoSuchEntity, "Policy %s does not exist or is not attachable.", arn)
}

func errNoVersion(arn, v string) error {
	return awserr.Newf(awserr.NoSuchEntity, "Policy %s version %s does not exist or is not attachable.", arn, v)
}

func errNoInline(kind store.EntityKind, name string) error {
	return awserr.Newf(awserr.NoSuchEntity, "The %s policy with name %s cannot be found.", kind, name)
}

func errNoKey(id string) error {
	return awserr.Newf(awserr.NoSuchEntity, "The Access Key with id %s cannot be found.", id)
}

func errNoEntity(kind store.EntityKind, name string) error {
	switch kind {
	case store.UserEntity:
		return errNoUser(name)
	case store.GroupEntity:
		return errNoGroup(name)
	}
	return errNoRole(name)
}

func errExists(what, name string) error {
	switch what {
	case "policy":
		return awserr.Newf(awserr.EntityAlreadyExists, "A policy called %s already exists. Duplicate names are not allowed.", name)
	case "instance profile":
		return awserr.Newf(awserr.EntityAlreadyExists, "Instance Profile %s already exists.", name)
	}
	return awserr.Newf(awserr.EntityAlreadyExists, "%s with name %s already exists.", what, name)
}

// errQuota is IAM's LimitExceeded wording for a counted quota.
func errQuota(quota string, n int) error {
	return awserr.Newf(awserr.LimitExceeded, "Cannot exceed quota for %s: %d", quota, n)
}

// conflictMessages word each delete conflict.
var conflictMessages = map[store.Conflict]string{
	store.ConflictAccessKeys:       "Cannot delete entity, must delete access keys first.",
	store.ConflictInlinePolicies:   "Cannot delete entity, must delete policies first.",
	store.ConflictAttachedPolicies: "Cannot delete entity, must detach all policies first.",
	store.ConflictGroups:           "Cannot delete entity, must remove users from group first.",
	store.ConflictMembers:          "Cannot delete entity, must remove users from group first.",
	store.ConflictInstanceProfiles: "Cannot delete entity, must remove roles from instance profile first.",
	store.ConflictRoles:            "Cannot delete entity, must remove roles from instance profile first.",
	store.ConflictAttachments:      "Cannot delete a policy attached to entities.",
	store.ConflictBoundary:         "Cannot delete a policy attached to entities.",
	store.ConflictVersions:         "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
	store.ConflictDefaultVersion:   "Cannot delete the default version of a policy.",
}

// conflictErr maps a store delete conflict to DeleteConflict; other errors
// pass through.
func conflictErr(err error) error {
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		if msg, ok := conflictMessages[ce.Conflict]; ok {
			return awserr.New(awserr.DeleteConflict, msg)
		}
		return awserr.New(awserr.DeleteConflict)
	}
	return err
}

// internal wraps an unexpected store error.
func internal(op string, err error) error {
	return awserr.Internal(fmt.Errorf("iamapi: %s: %w", op, err))
}
