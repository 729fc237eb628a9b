// Package accounts creates AWS accounts and their root credentials.
package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

// Created is a new account with its root access key.
type Created struct {
	AccountID       string `json:"AccountId"`
	Alias           string `json:"Alias,omitempty"`
	CanonicalID     string `json:"CanonicalUserId"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
}

// Spec says what to create; empty fields are generated.
type Spec struct {
	ID              string
	Alias           string
	AccessKeyID     string
	SecretAccessKey string
}

var (
	idRE    = regexp.MustCompile(`^[0-9]{12}$`)
	aliasRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9]|-[a-z0-9]){2,62}$`)
	akidRE  = regexp.MustCompile(`^[A-Z0-9]{16,128}$`)
)

// ErrInvalid reports a bad Spec.
var ErrInvalid = errors.New("invalid account spec")

// Create makes an account and its root access key.
func Create(ctx context.Context, st store.Accounts, spec Spec) (*Created, error) {
	if spec.ID == "" {
		spec.ID = NewAccountID()
	} else if !idRE.MatchString(spec.ID) {
		return nil, fmt.Errorf("%w: account id must be 12 digits", ErrInvalid)
	}
	// IAM account alias rules: 3–63 lowercase letters, digits and single hyphens.
	if spec.Alias != "" && !aliasRE.MatchString(spec.Alias) {
		return nil, fmt.Errorf("%w: alias must be 3-63 lowercase letters, digits and hyphens", ErrInvalid)
	}
	if (spec.AccessKeyID == "") != (spec.SecretAccessKey == "") {
		return nil, fmt.Errorf("%w: give both --access-key-id and --secret-access-key, or neither", ErrInvalid)
	}
	if spec.AccessKeyID == "" {
		spec.AccessKeyID = NewAccessKeyID("AKIA")
		spec.SecretAccessKey = NewSecret()
	} else {
		if !akidRE.MatchString(spec.AccessKeyID) {
			return nil, fmt.Errorf("%w: access key id must be 16-128 uppercase letters and digits", ErrInvalid)
		}
		if len(spec.SecretAccessKey) < 16 {
			return nil, fmt.Errorf("%w: secret access key must be at least 16 characters", ErrInvalid)
		}
	}
	now := time.Now().UTC()
	a := &store.Account{ID: spec.ID, Alias: spec.Alias, CanonicalID: NewCanonicalID(), CreatedAt: now}
	if err := st.CreateAccount(ctx, a); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, fmt.Errorf("account %s already exists", spec.ID)
		}
		return nil, err
	}
	k := &store.AccessKey{ID: spec.AccessKeyID, Secret: spec.SecretAccessKey, AccountID: a.ID, Status: "Active", CreatedAt: now}
	if err := st.CreateAccessKey(ctx, k); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, fmt.Errorf("access key id %s is already in use", spec.AccessKeyID)
		}
		return nil, err
	}
	return &Created{AccountID: a.ID, Alias: a.Alias, CanonicalID: a.CanonicalID, AccessKeyID: k.ID, SecretAccessKey: k.Secret}, nil
}

// NewAccountID returns a random 12-digit account id (no leading zero, so it
// survives tools that treat it as a number).
func NewAccountID() string {
	n, err := rand.Int(rand.Reader, big.NewInt(9e11))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return fmt.Sprintf("%012d", n.Int64()+1e11)
}

// NewAccessKeyID returns prefix + 16 characters of base32 (A–Z, 2–7), like AWS ids.
func NewAccessKeyID(prefix string) string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return prefix + base32.StdEncoding.EncodeToString(b)
}

// NewSecret returns a 40-character secret access key.
func NewSecret() string {
	b := make([]byte, 30)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// NewCanonicalID returns a 64-hex-character S3 canonical user id.
func NewCanonicalID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
