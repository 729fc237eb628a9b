package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/crossbucket/crossbucket/internal/store"
)

// profileCols includes the name of the profile's role (” when none).
const profileCols = `p.account_id, p.name, p.path, p.id, p.created_at, p.tags,
	COALESCE((SELECT r.name FROM iam_instance_profile_roles pr JOIN iam_roles r ON r.id = pr.role_id WHERE pr.profile_id = p.id), '')`

func scanProfile(sc scanner) (*store.InstanceProfile, error) {
	var p store.InstanceProfile
	var created int64
	var tags, role string
	if err := sc.Scan(&p.AccountID, &p.Name, &p.Path, &p.ID, &created, &tags, &role); err != nil {
		return nil, err
	}
	p.CreatedAt = fromNanos(created)
	if role != "" {
		p.Roles = []string{role}
	}
	var err error
	p.Tags, err = decodeTags(tags)
	return &p, err
}

func getProfile(ctx context.Context, q querier, accountID, name string) (*store.InstanceProfile, error) {
	p, err := scanProfile(q.QueryRowContext(ctx, `SELECT `+profileCols+` FROM iam_instance_profiles p
		WHERE p.account_id = $1 AND p.name_lower = $2`, accountID, strings.ToLower(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("instance profile %s: %w", name, store.ErrNotFound)
	}
	return p, err
}

// CreateInstanceProfile implements store.IAM.
func (s *Store) CreateInstanceProfile(ctx context.Context, p *store.InstanceProfile) error {
	tags, err := encodeTags(p.Tags)
	if err != nil {
		return err
	}
	err = s.iamTx(ctx, p.AccountID, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO iam_instance_profiles (account_id, name_lower, name, path, id, created_at, tags)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			p.AccountID, strings.ToLower(p.Name), p.Name, p.Path, p.ID, toNanos(p.CreatedAt), tags)
		if s.d.isUnique(err) {
			return fmt.Errorf("instance profile %s: %w", p.Name, store.ErrExists)
		}
		if s.d.isForeignKey(err) {
			return fmt.Errorf("account %s: %w", p.AccountID, store.ErrNotFound)
		}
		return err
	})
	return iamWrap("create instance profile", err)
}

// GetInstanceProfile implements store.IAM.
func (s *Store) GetInstanceProfile(ctx context.Context, accountID, name string) (*store.InstanceProfile, error) {
	p, err := getProfile(ctx, s.r, accountID, name)
	return p, iamWrap("get instance profile", err)
}

// ListInstanceProfiles implements store.IAM.
func (s *Store) ListInstanceProfiles(ctx context.Context, accountID, pathPrefix, after string, limit int) ([]*store.InstanceProfile, error) {
	args := []any{accountID, after}
	where, args := pathFilter(pathPrefix, args)
	rows, err := s.r.QueryContext(ctx, `SELECT `+profileCols+` FROM iam_instance_profiles p WHERE p.account_id = $1 AND p.name_lower > $2`+
		strings.ReplaceAll(where, "substr(path", "substr(p.path")+` ORDER BY p.name_lower`+limitClause(limit), args...)
	if err != nil {
		return nil, iamWrap("list instance profiles", err)
	}
	return collect(rows, scanProfile, "list instance profiles")
}

// DeleteInstanceProfile implements store.IAM.
func (s *Store) DeleteInstanceProfile(ctx context.Context, accountID, name string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		p, err := getProfile(ctx, tx, accountID, name)
		if err != nil {
			return err
		}
		if len(p.Roles) > 0 {
			return &store.ConflictError{Conflict: store.ConflictRoles}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM iam_instance_profiles WHERE id = $1`, p.ID)
		return err
	})
	return iamWrap("delete instance profile", err)
}

// AddRoleToInstanceProfile implements store.IAM.
func (s *Store) AddRoleToInstanceProfile(ctx context.Context, accountID, profile, role string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		p, err := getProfile(ctx, tx, accountID, profile)
		if err != nil {
			return err
		}
		r, err := getRole(ctx, tx, accountID, role)
		if err != nil {
			return err
		}
		if len(p.Roles) > 0 {
			return store.ErrLimitExceeded
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO iam_instance_profile_roles (profile_id, role_id) VALUES ($1, $2)`, p.ID, r.ID)
		return err
	})
	return iamWrap("add role to instance profile", err)
}

// RemoveRoleFromInstanceProfile implements store.IAM.
func (s *Store) RemoveRoleFromInstanceProfile(ctx context.Context, accountID, profile, role string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		p, err := getProfile(ctx, tx, accountID, profile)
		if err != nil {
			return err
		}
		r, err := getRole(ctx, tx, accountID, role)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM iam_instance_profile_roles WHERE profile_id = $1 AND role_id = $2`, p.ID, r.ID)
		return affected(res, err, "role "+role+" in instance profile "+profile)
	})
	return iamWrap("remove role from instance profile", err)
}

// ListInstanceProfilesForRole implements store.IAM.
func (s *Store) ListInstanceProfilesForRole(ctx context.Context, accountID, role string) ([]*store.InstanceProfile, error) {
	r, err := getRole(ctx, s.r, accountID, role)
	if err != nil {
		return nil, iamWrap("list instance profiles for role", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+profileCols+` FROM iam_instance_profiles p
		JOIN iam_instance_profile_roles x ON x.profile_id = p.id WHERE x.role_id = $1 ORDER BY p.name_lower`, r.ID)
	if err != nil {
		return nil, iamWrap("list instance profiles for role", err)
	}
	return collect(rows, scanProfile, "list instance profiles for role")
}
