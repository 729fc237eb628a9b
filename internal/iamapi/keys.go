package iamapi

import (
	"errors"
	"time"

	"github.com/crossbucket/crossbucket/internal/accounts"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/store"
)

func init() {
	register(map[string]handler{
		"CreateAccessKey": createAccessKey, "ListAccessKeys": listAccessKeys,
		"UpdateAccessKey": updateAccessKey, "DeleteAccessKey": deleteAccessKey,
		"GetAccessKeyLastUsed": getAccessKeyLastUsed,
	})
}

// maxKeys is the number of access keys a user (or the root) may have
// ("IAM and AWS STS quotas": access keys per user, 2).
const maxKeys = 2

// keyOwner resolves the UserName parameter of the access key actions:
// absent, it is the caller itself ("" for the root). It authorizes action
// on the owner and returns the owner's name and ARN.
func (c *call) keyOwner(action string) (string, error) {
	var v validator
	name, given := c.param("UserName")
	if given {
		v.name(c, "UserName", "userName", 128, false)
	}
	if err := v.err(); err != nil {
		return "", err
	}
	if !given {
		switch c.p.Kind {
		case identity.Root:
			return "", c.authorize(action, c.p.ARN, nil)
		case identity.User:
			name = c.p.UserName
		default:
			return "", awserr.New(awserr.ValidationError, "Must specify userName when calling with non-User credentials")
		}
	}
	u, err := c.user(action, name, nil)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

type createAccessKeyResult struct {
	AccessKey xAccessKey
}

func createAccessKey(c *call) (any, error) {
	owner, err := c.keyOwner("CreateAccessKey")
	if err != nil {
		return nil, err
	}
	// The secret is shown only in this response and never logged.
	k := &store.AccessKey{ID: accounts.NewAccessKeyID("AKIA"), Secret: accounts.NewSecret(), AccountID: c.acct,
		UserName: owner, Status: "Active", CreatedAt: c.a.now()}
	err = c.a.st.CreateUserAccessKey(c.ctx, k, maxKeys)
	switch {
	case errors.Is(err, store.ErrLimitExceeded):
		return nil, errQuota("AccessKeysPerUser", maxKeys)
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoUser(owner)
	case err != nil:
		return nil, internal("create access key", err)
	}
	return createAccessKeyResult{AccessKey: xAccessKey{UserName: owner, AccessKeyId: k.ID, Status: k.Status,
		SecretAccessKey: k.Secret, CreateDate: isoTime(k.CreatedAt)}}, nil
}

type listAccessKeysResult struct {
	UserName          string `xml:",omitempty"`
	AccessKeyMetadata members[xAccessKeyMeta]
	page
}

func listAccessKeys(c *call) (any, error) {
	var v validator
	p := v.paging(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	owner, err := c.keyOwner("ListAccessKeys")
	if err != nil {
		return nil, err
	}
	ks, err := c.a.st.ListUserAccessKeys(c.ctx, c.acct, owner)
	if err != nil {
		return nil, internal("list access keys", err)
	}
	ks, pg := pageSlice(ks, p, func(k *store.AccessKey) string { return k.ID })
	res := listAccessKeysResult{UserName: owner, AccessKeyMetadata: members[xAccessKeyMeta]{M: []xAccessKeyMeta{}}, page: pg}
	for _, k := range ks {
		res.AccessKeyMetadata.M = append(res.AccessKeyMetadata.M, xAccessKeyMeta{UserName: k.UserName, AccessKeyId: k.ID, Status: k.Status, CreateDate: isoTime(k.CreatedAt)})
	}
	return res, nil
}

func (v *validator) keyID(c *call) string {
	s, ok := c.param("AccessKeyId")
	v.str(s, ok, "accessKeyId", true, 16, 128, reKeyID, patKeyID)
	return s
}

func updateAccessKey(c *call) (any, error) {
	var v validator
	id := v.keyID(c)
	status, ok := c.param("Status")
	v.enum(status, ok, "status", true, "Active", "Inactive", "Expired")
	if err := v.err(); err != nil {
		return nil, err
	}
	if status == "Expired" {
		return nil, awserr.New(awserr.InvalidInput, "Status 'Expired' cannot be set on an access key.")
	}
	owner, err := c.keyOwner("UpdateAccessKey")
	if err != nil {
		return nil, err
	}
	err = c.a.st.UpdateAccessKeyStatus(c.ctx, c.acct, owner, id, status)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoKey(id)
	case err != nil:
		return nil, internal("update access key", err)
	}
	if status != "Active" && c.a.onKey != nil {
		c.a.onKey(id)
	}
	return nil, nil
}

func deleteAccessKey(c *call) (any, error) {
	var v validator
	id := v.keyID(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	owner, err := c.keyOwner("DeleteAccessKey")
	if err != nil {
		return nil, err
	}
	err = c.a.st.DeleteUserAccessKey(c.ctx, c.acct, owner, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoKey(id)
	case err != nil:
		return nil, internal("delete access key", err)
	}
	if c.a.onKey != nil {
		c.a.onKey(id)
	}
	return nil, nil
}

type xLastUsed struct {
	LastUsedDate string `xml:",omitempty"`
	ServiceName  string
	Region       string
}

type lastUsedResult struct {
	UserName          string `xml:",omitempty"`
	AccessKeyLastUsed xLastUsed
}

func getAccessKeyLastUsed(c *call) (any, error) {
	var v validator
	id := v.keyID(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	k, err := c.a.st.GetAccessKey(c.ctx, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, internal("get access key", err)
	}
	if k == nil || k.AccountID != c.acct {
		// Keys of other accounts are as unknown as missing ones.
		return nil, awserr.Newf(awserr.AccessDenied, "User: %s is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key %s", c.p.ARN, id)
	}
	resource := "arn:aws:iam::" + c.acct + ":root"
	if k.UserName != "" {
		if u, err := c.a.st.GetUser(c.ctx, c.acct, k.UserName); err == nil {
			resource = entityARN(c.acct, "user", u.Path, u.Name)
		}
	}
	if err := c.authorize("GetAccessKeyLastUsed", resource, nil); err != nil {
		return nil, err
	}
	if k.LastUsed.IsZero() {
		// IAM answers "N/A" for keys never used.
		return lastUsedResult{UserName: k.UserName, AccessKeyLastUsed: xLastUsed{ServiceName: "N/A", Region: "N/A"}}, nil
	}
	return lastUsedResult{UserName: k.UserName, AccessKeyLastUsed: xLastUsed{
		LastUsedDate: k.LastUsed.UTC().Format(time.RFC3339), ServiceName: k.LastUsedService, Region: k.LastUsedRegion}}, nil
}
