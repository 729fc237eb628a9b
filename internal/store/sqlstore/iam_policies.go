package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

// awsPolicyPrefix starts the ARNs of AWS managed policies, which the IAM
// API knows; the store accepts attachments of them as given.
const awsPolicyPrefix = "arn:aws:iam::aws:policy/"

func policyARN(accountID, path, name string) string {
	return "arn:aws:iam::" + accountID + ":policy" + path + name
}

// AttachPolicy implements store.IAM.
func (s *Store) AttachPolicy(ctx context.Context, accountID string, kind store.EntityKind, entity, arn string, maxAttached int) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		id, err := entityID(ctx, tx, accountID, kind, entity)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(arn, awsPolicyPrefix) {
			ok, err := exists(ctx, tx, `SELECT 1 FROM iam_policies WHERE account_id = $1 AND arn = $2`, accountID, arn)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("policy %s: %w", arn, store.ErrNotFound)
			}
		}
		attached, err := exists(ctx, tx, `SELECT 1 FROM iam_attachments WHERE entity_id = $1 AND policy_arn = $2`, id, arn)
		if err != nil || attached {
			return err
		}
		n, err := count(ctx, tx, `SELECT COUNT(*) FROM iam_attachments WHERE entity_id = $1`, id)
		if err != nil {
			return err
		}
		if maxAttached > 0 && n >= maxAttached {
			return store.ErrLimitExceeded
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO iam_attachments (account_id, entity_id, entity_kind, policy_arn, attached_at)
			VALUES ($1, $2, $3, $4, $5)`, accountID, id, string(kind), arn, time.Now().UnixNano())
		return err
	})
	return iamWrap("attach policy", err)
}

// DetachPolicy implements store.IAM.
func (s *Store) DetachPolicy(ctx context.Context, accountID string, kind store.EntityKind, entity, arn string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		id, err := entityID(ctx, tx, accountID, kind, entity)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM iam_attachments WHERE entity_id = $1 AND policy_arn = $2`, id, arn)
		return affected(res, err, "attachment of "+arn)
	})
	return iamWrap("detach policy", err)
}

// ListAttachedPolicies implements store.IAM.
func (s *Store) ListAttachedPolicies(ctx context.Context, accountID string, kind store.EntityKind, entity string) ([]string, error) {
	id, err := entityID(ctx, s.r, accountID, kind, entity)
	if err != nil {
		return nil, iamWrap("list attached policies", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT policy_arn FROM iam_attachments WHERE entity_id = $1 ORDER BY attached_at, policy_arn`, id)
	if err != nil {
		return nil, iamWrap("list attached policies", err)
	}
	return collect(rows, func(sc scanner) (string, error) {
		var a string
		err := sc.Scan(&a)
		return a, err
	}, "list attached policies")
}

// ListPolicyEntities implements store.IAM.
func (s *Store) ListPolicyEntities(ctx context.Context, accountID, arn string, boundary bool) ([]store.PolicyEntity, error) {
	q := `SELECT 'group', g.name, g.path, g.id, g.name_lower FROM iam_attachments a JOIN iam_groups g ON g.id = a.entity_id
			WHERE a.account_id = $1 AND a.policy_arn = $2
		UNION ALL SELECT 'role', r.name, r.path, r.id, r.name_lower FROM iam_attachments a JOIN iam_roles r ON r.id = a.entity_id
			WHERE a.account_id = $1 AND a.policy_arn = $2
		UNION ALL SELECT 'user', u.name, u.path, u.id, u.name_lower FROM iam_attachments a JOIN iam_users u ON u.id = a.entity_id
			WHERE a.account_id = $1 AND a.policy_arn = $2
		ORDER BY 1, 5`
	if boundary {
		q = `SELECT 'role', name, path, id, name_lower FROM iam_roles WHERE account_id = $1 AND boundary = $2
			UNION ALL SELECT 'user', name, path, id, name_lower FROM iam_users WHERE account_id = $1 AND boundary = $2
			ORDER BY 1, 5`
	}
	rows, err := s.r.QueryContext(ctx, q, accountID, arn)
	if err != nil {
		return nil, iamWrap("list policy entities", err)
	}
	return collect(rows, func(sc scanner) (store.PolicyEntity, error) {
		var e store.PolicyEntity
		var kind, lname string
		err := sc.Scan(&kind, &e.Name, &e.Path, &e.ID, &lname)
		e.Kind = store.EntityKind(kind)
		return e, err
	}, "list policy entities")
}

// usageCols count a policy row's attachments and boundary uses.
const usageCols = `(SELECT COUNT(*) FROM iam_attachments a WHERE a.account_id = p.account_id AND a.policy_arn = p.arn),
	(SELECT COUNT(*) FROM iam_users u WHERE u.account_id = p.account_id AND u.boundary = p.arn) +
	(SELECT COUNT(*) FROM iam_roles r WHERE r.account_id = p.account_id AND r.boundary = p.arn)`

// PolicyUsage implements store.IAM.
func (s *Store) PolicyUsage(ctx context.Context, accountID, arn string) (int, int, error) {
	var att, bnd int
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM iam_attachments WHERE account_id = $1 AND policy_arn = $2),
		(SELECT COUNT(*) FROM iam_users WHERE account_id = $1 AND boundary = $2) +
		(SELECT COUNT(*) FROM iam_roles WHERE account_id = $1 AND boundary = $2)`, accountID, arn).Scan(&att, &bnd)
	return att, bnd, iamWrap("policy usage", err)
}

const policyCols = `p.account_id, p.name, p.path, p.id, p.description, p.default_version, p.created_at, p.updated_at, p.tags, ` + usageCols

func scanPolicy(sc scanner) (*store.ManagedPolicy, error) {
	var p store.ManagedPolicy
	var created, updated int64
	var tags string
	if err := sc.Scan(&p.AccountID, &p.Name, &p.Path, &p.ID, &p.Description, &p.DefaultVersion, &created, &updated, &tags,
		&p.AttachmentCount, &p.BoundaryUsageCount); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = fromNanos(created), fromNanos(updated)
	var err error
	p.Tags, err = decodeTags(tags)
	return &p, err
}

// policyRow returns the id and default version of a policy, or ErrNotFound.
func policyRow(ctx context.Context, q querier, accountID, name string) (id, def string, err error) {
	err = q.QueryRowContext(ctx, `SELECT id, default_version FROM iam_policies WHERE account_id = $1 AND name_lower = $2`,
		accountID, strings.ToLower(name)).Scan(&id, &def)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", fmt.Errorf("policy %s: %w", name, store.ErrNotFound)
	}
	return id, def, err
}

// CreatePolicy implements store.IAM.
func (s *Store) CreatePolicy(ctx context.Context, p *store.ManagedPolicy, doc string) error {
	tags, err := encodeTags(p.Tags)
	if err != nil {
		return err
	}
	err = s.iamTx(ctx, p.AccountID, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO iam_policies (account_id, name_lower, name, path, arn, id, description,
			default_version, next_version, created_at, updated_at, tags) VALUES ($1, $2, $3, $4, $5, $6, $7, 'v1', 2, $8, $9, $10)`,
			p.AccountID, strings.ToLower(p.Name), p.Name, p.Path, policyARN(p.AccountID, p.Path, p.Name), p.ID, p.Description,
			toNanos(p.CreatedAt), toNanos(p.UpdatedAt), tags)
		if s.d.isUnique(err) {
			return fmt.Errorf("policy %s: %w", p.Name, store.ErrExists)
		}
		if s.d.isForeignKey(err) {
			return fmt.Errorf("account %s: %w", p.AccountID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO iam_policy_versions (policy_id, version_id, number, document, created_at)
			VALUES ($1, 'v1', 1, $2, $3)`, p.ID, doc, toNanos(p.CreatedAt))
		return err
	})
	if err == nil {
		p.DefaultVersion = "v1"
	}
	return iamWrap("create policy", err)
}

// GetPolicy implements store.IAM.
func (s *Store) GetPolicy(ctx context.Context, accountID, name string) (*store.ManagedPolicy, error) {
	p, err := scanPolicy(s.r.QueryRowContext(ctx, `SELECT `+policyCols+` FROM iam_policies p WHERE p.account_id = $1 AND p.name_lower = $2`,
		accountID, strings.ToLower(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("policy %s: %w", name, store.ErrNotFound)
	}
	return p, iamWrap("get policy", err)
}

// ListPolicies implements store.IAM.
func (s *Store) ListPolicies(ctx context.Context, accountID, pathPrefix, after string, onlyAttached bool, limit int) ([]*store.ManagedPolicy, error) {
	args := []any{accountID, after}
	where, args := pathFilter(pathPrefix, args)
	if onlyAttached {
		where += ` AND EXISTS (SELECT 1 FROM iam_attachments a WHERE a.account_id = p.account_id AND a.policy_arn = p.arn)`
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+policyCols+` FROM iam_policies p WHERE p.account_id = $1 AND p.name_lower > $2`+
		strings.ReplaceAll(where, "substr(path", "substr(p.path")+` ORDER BY p.name_lower`+limitClause(limit), args...)
	if err != nil {
		return nil, iamWrap("list policies", err)
	}
	return collect(rows, scanPolicy, "list policies")
}

// DeletePolicy implements store.IAM.
func (s *Store) DeletePolicy(ctx context.Context, accountID, name string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		p, err := scanPolicy(tx.QueryRowContext(ctx, `SELECT `+policyCols+` FROM iam_policies p WHERE p.account_id = $1 AND p.name_lower = $2`,
			accountID, strings.ToLower(name)))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("policy %s: %w", name, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		switch {
		case p.AttachmentCount > 0:
			return &store.ConflictError{Conflict: store.ConflictAttachments}
		case p.BoundaryUsageCount > 0:
			return &store.ConflictError{Conflict: store.ConflictBoundary}
		}
		n, err := count(ctx, tx, `SELECT COUNT(*) FROM iam_policy_versions WHERE policy_id = $1`, p.ID)
		if err != nil {
			return err
		}
		if n > 1 {
			return &store.ConflictError{Conflict: store.ConflictVersions}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM iam_policy_versions WHERE policy_id = $1`, p.ID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM iam_policies WHERE id = $1`, p.ID)
		return err
	})
	return iamWrap("delete policy", err)
}

// CreatePolicyVersion implements store.IAM.
func (s *Store) CreatePolicyVersion(ctx context.Context, accountID, name, doc string, setDefault bool, maxVersions int, now time.Time) (*store.PolicyVersion, error) {
	var pv *store.PolicyVersion
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		var id string
		var next int64
		err := tx.QueryRowContext(ctx, `SELECT id, next_version FROM iam_policies WHERE account_id = $1 AND name_lower = $2`,
			accountID, strings.ToLower(name)).Scan(&id, &next)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("policy %s: %w", name, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		n, err := count(ctx, tx, `SELECT COUNT(*) FROM iam_policy_versions WHERE policy_id = $1`, id)
		if err != nil {
			return err
		}
		if maxVersions > 0 && n >= maxVersions {
			return store.ErrLimitExceeded
		}
		vid := fmt.Sprintf("v%d", next)
		if _, err := tx.ExecContext(ctx, `INSERT INTO iam_policy_versions (policy_id, version_id, number, document, created_at)
			VALUES ($1, $2, $3, $4, $5)`, id, vid, next, doc, toNanos(now)); err != nil {
			return err
		}
		q := `UPDATE iam_policies SET next_version = $1 WHERE id = $2`
		args := []any{next + 1, id}
		if setDefault {
			q = `UPDATE iam_policies SET next_version = $1, default_version = $3, updated_at = $4 WHERE id = $2`
			args = append(args, vid, toNanos(now))
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		pv = &store.PolicyVersion{VersionID: vid, Document: doc, IsDefault: setDefault, CreatedAt: fromNanos(toNanos(now))}
		return nil
	})
	return pv, iamWrap("create policy version", err)
}

func scanVersion(def string) func(sc scanner) (*store.PolicyVersion, error) {
	return func(sc scanner) (*store.PolicyVersion, error) {
		var v store.PolicyVersion
		var created int64
		if err := sc.Scan(&v.VersionID, &v.Document, &created); err != nil {
			return nil, err
		}
		v.CreatedAt = fromNanos(created)
		v.IsDefault = v.VersionID == def
		return &v, nil
	}
}

// GetPolicyVersion implements store.IAM.
func (s *Store) GetPolicyVersion(ctx context.Context, accountID, name, versionID string) (*store.PolicyVersion, error) {
	id, def, err := policyRow(ctx, s.r, accountID, name)
	if err != nil {
		return nil, iamWrap("get policy version", err)
	}
	v, err := scanVersion(def)(s.r.QueryRowContext(ctx,
		`SELECT version_id, document, created_at FROM iam_policy_versions WHERE policy_id = $1 AND version_id = $2`, id, versionID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("policy version %s: %w", versionID, store.ErrNotFound)
	}
	return v, iamWrap("get policy version", err)
}

// ListPolicyVersions implements store.IAM.
func (s *Store) ListPolicyVersions(ctx context.Context, accountID, name string) ([]*store.PolicyVersion, error) {
	id, def, err := policyRow(ctx, s.r, accountID, name)
	if err != nil {
		return nil, iamWrap("list policy versions", err)
	}
	rows, err := s.r.QueryContext(ctx,
		`SELECT version_id, document, created_at FROM iam_policy_versions WHERE policy_id = $1 ORDER BY number DESC`, id)
	if err != nil {
		return nil, iamWrap("list policy versions", err)
	}
	return collect(rows, scanVersion(def), "list policy versions")
}

// DeletePolicyVersion implements store.IAM.
func (s *Store) DeletePolicyVersion(ctx context.Context, accountID, name, versionID string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		id, def, err := policyRow(ctx, tx, accountID, name)
		if err != nil {
			return err
		}
		if versionID == def {
			return &store.ConflictError{Conflict: store.ConflictDefaultVersion}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM iam_policy_versions WHERE policy_id = $1 AND version_id = $2`, id, versionID)
		return affected(res, err, "policy version "+versionID)
	})
	return iamWrap("delete policy version", err)
}

// SetDefaultPolicyVersion implements store.IAM.
func (s *Store) SetDefaultPolicyVersion(ctx context.Context, accountID, name, versionID string, now time.Time) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		id, _, err := policyRow(ctx, tx, accountID, name)
		if err != nil {
			return err
		}
		ok, err := exists(ctx, tx, `SELECT 1 FROM iam_policy_versions WHERE policy_id = $1 AND version_id = $2`, id, versionID)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("policy version %s: %w", versionID, store.ErrNotFound)
		}
		_, err = tx.ExecContext(ctx, `UPDATE iam_policies SET default_version = $1, updated_at = $2 WHERE id = $3`, versionID, toNanos(now), id)
		return err
	})
	return iamWrap("set default policy version", err)
}
