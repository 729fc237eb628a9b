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

var _ store.EC2 = (*Store)(nil)

const instanceCols = `id, account_id, region, state, state_changed_at, association_id, imds_port, data`

// instanceArgs returns the column values of inst in instanceCols order.
func instanceArgs(inst *store.Instance) ([]any, error) {
	data, err := encodeJSON("instance", inst)
	if err != nil {
		return nil, err
	}
	var assoc any // NULL without a profile
	if inst.Profile != nil && inst.Profile.ID != "" {
		assoc = inst.Profile.ID
	}
	return []any{inst.ID, inst.AccountID, inst.Region, inst.State, toNanos(inst.StateChangedAt),
		assoc, inst.IMDSPort, data}, nil
}

func scanInstance(row interface{ Scan(...any) error }) (*store.Instance, error) {
	var (
		id, account, region, state, data string
		changed                          int64
		assoc                            sql.NullString
		port                             int
	)
	if err := row.Scan(&id, &account, &region, &state, &changed, &assoc, &port, &data); err != nil {
		return nil, err
	}
	inst := &store.Instance{}
	if err := decodeJSON("instance", data, inst); err != nil {
		return nil, err
	}
	// The columns are authoritative for what queries select on.
	inst.ID, inst.AccountID, inst.Region, inst.State, inst.IMDSPort = id, account, region, state, port
	inst.StateChangedAt = fromNanos(changed)
	utcTimes(inst)
	return inst, nil
}

// utcTimes puts the times of inst in UTC, as they are read back.
func utcTimes(inst *store.Instance) {
	inst.LaunchTime = inst.LaunchTime.UTC()
	inst.StateChangedAt = inst.StateChangedAt.UTC()
	if inst.Profile != nil {
		inst.Profile.At = inst.Profile.At.UTC()
	}
}

// CreateInstances stores instances in one transaction. Zero LaunchTime and
// StateChangedAt are set to now.
func (s *Store) CreateInstances(ctx context.Context, insts []*store.Instance) error {
	for _, inst := range insts {
		if inst == nil || inst.ID == "" || inst.AccountID == "" {
			return errors.New("sqlstore: instance id and account are required")
		}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		t := now()
		for _, inst := range insts {
			if inst.LaunchTime.IsZero() {
				inst.LaunchTime = t
			}
			if inst.StateChangedAt.IsZero() {
				inst.StateChangedAt = inst.LaunchTime
			}
			args, err := instanceArgs(inst)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO ec2_instances (`+instanceCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, args...)
			if s.d.isUnique(err) {
				return fmt.Errorf("instance %s: %w", inst.ID, store.ErrExists)
			}
			if err != nil {
				return wrap("create instance", err)
			}
		}
		return nil
	})
}

// GetInstance returns an instance by id.
func (s *Store) GetInstance(ctx context.Context, id string) (*store.Instance, error) {
	return getInstance(ctx, s.r, `id = $1`, id)
}

// GetInstanceByAssociation returns the instance holding an association.
func (s *Store) GetInstanceByAssociation(ctx context.Context, associationID string) (*store.Instance, error) {
	return getInstance(ctx, s.r, `association_id = $1`, associationID)
}

func getInstance(ctx context.Context, q querier, where, arg string) (*store.Instance, error) {
	inst, err := scanInstance(q.QueryRowContext(ctx, `SELECT `+instanceCols+` FROM ec2_instances WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("instance %q: %w", arg, store.ErrNotFound)
	}
	return inst, wrap("get instance", err)
}

// ListInstances returns the instances matching q, ordered by id.
func (s *Store) ListInstances(ctx context.Context, q store.InstanceQuery) ([]*store.Instance, error) {
	var (
		conds []string
		args  []any
	)
	eq := func(col, v string) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf("%s = $%d", col, len(args)))
	}
	in := func(col string, vs []string) {
		ph := make([]string, len(vs))
		for i, v := range vs {
			args = append(args, v)
			ph[i] = fmt.Sprintf("$%d", len(args))
		}
		conds = append(conds, col+" IN ("+strings.Join(ph, ", ")+")")
	}
	if q.AccountID != "" {
		eq("account_id", q.AccountID)
	}
	if q.Region != "" {
		eq("region", q.Region)
	}
	if q.IDs != nil {
		if len(q.IDs) == 0 {
			return nil, nil
		}
		in("id", q.IDs)
	}
	if q.States != nil {
		if len(q.States) == 0 {
			return nil, nil
		}
		in("state", q.States)
	}
	if q.After != "" {
		args = append(args, q.After)
		conds = append(conds, fmt.Sprintf("id > $%d", len(args)))
	}
	query := `SELECT ` + instanceCols + ` FROM ec2_instances`
	if len(conds) > 0 {
		query += ` WHERE ` + strings.Join(conds, " AND ")
	}
	query += ` ORDER BY id`
	if q.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrap("list instances", err)
	}
	defer rows.Close()
	var out []*store.Instance
	for rows.Next() {
		inst, err := scanInstance(rows)
		if err != nil {
			return nil, wrap("list instances", err)
		}
		out = append(out, inst)
	}
	return out, wrap("list instances", rows.Err())
}

// UpdateInstance applies fn to an instance in one write transaction.
func (s *Store) UpdateInstance(ctx context.Context, id string, fn func(*store.Instance) error) (*store.Instance, error) {
	var inst *store.Instance
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if inst, err = getInstance(ctx, tx, `id = $1`, id); err != nil {
			return err
		}
		account := inst.AccountID
		if err := fn(inst); err != nil {
			return err
		}
		if inst.ID != id || inst.AccountID != account {
			return fmt.Errorf("sqlstore: UpdateInstance cannot change the id or owner of %s", id)
		}
		args, err := instanceArgs(inst)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE ec2_instances SET account_id = $2, region = $3, state = $4,
			state_changed_at = $5, association_id = $6, imds_port = $7, data = $8 WHERE id = $1`, args...)
		if s.d.isUnique(err) {
			return fmt.Errorf("instance %s association: %w", id, store.ErrExists)
		}
		return wrap("update instance", err)
	})
	if err != nil {
		return nil, err
	}
	utcTimes(inst)
	return inst, nil
}

// DeleteTerminated removes instances terminated before t.
func (s *Store) DeleteTerminated(ctx context.Context, before time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM ec2_instances WHERE state = $1 AND state_changed_at < $2`,
		store.InstanceTerminated, toNanos(before))
	if err != nil {
		return 0, wrap("delete terminated instances", err)
	}
	n, err := res.RowsAffected()
	return int(n), wrap("delete terminated instances", err)
}
