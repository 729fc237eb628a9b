package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

// RunEC2 runs the conformance suite of store.EC2. open must return a new,
// empty store on each call; RunEC2 registers no Close (open may).
func RunEC2(t *testing.T, open func(t *testing.T) store.EC2) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st store.EC2)
	}{
		{"CreateGet", testInstanceCreateGet},
		{"CreateAtomic", testInstanceCreateAtomic},
		{"List", testInstanceList},
		{"Update", testInstanceUpdate},
		{"Association", testInstanceAssociation},
		{"UpdateRace", testInstanceUpdateRace},
		{"DeleteTerminated", testInstanceDeleteTerminated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// instance returns a running instance with every field set.
func instance(id, account, region string) *store.Instance {
	return &store.Instance{
		ID: id, AccountID: account, Region: region, ReservationID: "r-0123456789abcdef0",
		ImageID: "ami-12345678", InstanceType: "t3.micro", LaunchIndex: 1,
		State: store.InstanceRunning, LaunchTime: base, StateChangedAt: base.Add(time.Second),
		StateReason: "", ClientToken: "tok", PrivateIP: "172.31.1.2",
		VPCID: "vpc-0123456789abcdef0", SubnetID: "subnet-0123456789abcdef0", Architecture: "x86_64",
		Metadata: store.MetadataOptions{HTTPTokens: "required", HTTPEndpoint: "enabled", HopLimit: 2, Tags: "disabled"},
		Tags:     []store.Tag{{Key: "Name", Value: "web"}, {Key: "é", Value: ""}},
		Profile: &store.ProfileAssociation{ID: "iip-assoc-" + id[2:], ProfileARN: "arn:aws:iam::" + account + ":instance-profile/p",
			ProfileID: "AIPAEXAMPLE", State: "associated", At: base},
		IMDSPort: 0,
	}
}

// sameInstance compares a stored instance with what was stored.
func sameInstance(t *testing.T, got, want *store.Instance) {
	t.Helper()
	if got == nil {
		t.Fatalf("instance %s: got nil", want.ID)
	}
	sameTime(t, want.ID+" LaunchTime", got.LaunchTime, want.LaunchTime)
	sameTime(t, want.ID+" StateChangedAt", got.StateChangedAt, want.StateChangedAt)
	g, w := *got, *want
	g.LaunchTime, w.LaunchTime = time.Time{}, time.Time{}
	g.StateChangedAt, w.StateChangedAt = time.Time{}, time.Time{}
	if g.Profile != nil && w.Profile != nil {
		sameTime(t, want.ID+" Profile.At", g.Profile.At, w.Profile.At)
		gp, wp := *g.Profile, *w.Profile
		gp.At, wp.At = time.Time{}, time.Time{}
		g.Profile, w.Profile = &gp, &wp
	}
	if len(g.Tags) == 0 {
		g.Tags = nil
	}
	if len(w.Tags) == 0 {
		w.Tags = nil
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("instance %s:\n got %+v\nwant %+v", want.ID, g, w)
	}
}

func testInstanceCreateGet(t *testing.T, st store.EC2) {
	ctx := t.Context()
	a := instance("i-00000000000000001", "111111111111", "us-east-1")
	b := instance("i-00000000000000002", "111111111111", "us-east-1")
	b.Profile, b.Tags = nil, nil
	must(t, "CreateInstances", st.CreateInstances(ctx, []*store.Instance{a, b}))
	for _, want := range []*store.Instance{a, b} {
		got, err := st.GetInstance(ctx, want.ID)
		must(t, "GetInstance", err)
		sameInstance(t, got, want)
	}
	_, err := st.GetInstance(ctx, "i-0000000000000000f")
	wantErr(t, "GetInstance missing", err, store.ErrNotFound)
	err = st.CreateInstances(ctx, []*store.Instance{instance(a.ID, "222222222222", "eu-west-1")})
	wantErr(t, "CreateInstances duplicate id", err, store.ErrExists)
	// A zero launch time is set to now.
	c := instance("i-00000000000000003", "111111111111", "us-east-1")
	c.Profile, c.LaunchTime, c.StateChangedAt = nil, time.Time{}, time.Time{}
	before := time.Now()
	must(t, "CreateInstances zero time", st.CreateInstances(ctx, []*store.Instance{c}))
	got, err := st.GetInstance(ctx, c.ID)
	must(t, "GetInstance", err)
	if got.LaunchTime.Before(before.Add(-time.Second)) || got.StateChangedAt.IsZero() {
		t.Errorf("zero times not set: launch %v, changed %v", got.LaunchTime, got.StateChangedAt)
	}
}

func testInstanceCreateAtomic(t *testing.T, st store.EC2) {
	ctx := t.Context()
	a := instance("i-00000000000000001", "111111111111", "us-east-1")
	must(t, "CreateInstances", st.CreateInstances(ctx, []*store.Instance{a}))
	// The second instance reuses a's association id: nothing is stored.
	b := instance("i-00000000000000002", "111111111111", "us-east-1")
	c := instance("i-00000000000000003", "111111111111", "us-east-1")
	c.Profile.ID = a.Profile.ID
	err := st.CreateInstances(ctx, []*store.Instance{b, c})
	wantErr(t, "CreateInstances duplicate association", err, store.ErrExists)
	for _, id := range []string{b.ID, c.ID} {
		_, err := st.GetInstance(ctx, id)
		wantErr(t, "GetInstance after failed batch "+id, err, store.ErrNotFound)
	}
}

func ids(insts []*store.Instance) []string {
	out := []string{}
	for _, i := range insts {
		out = append(out, i.ID)
	}
	return out
}

func testInstanceList(t *testing.T, st store.EC2) {
	ctx := t.Context()
	var all []*store.Instance
	for i, spec := range []struct{ acct, region, state string }{
		{"111111111111", "us-east-1", store.InstanceRunning},
		{"222222222222", "us-east-1", store.InstanceRunning},
		{"111111111111", "eu-west-1", store.InstanceRunning},
		{"111111111111", "us-east-1", store.InstanceTerminated},
		{"111111111111", "us-east-1", store.InstanceStopped},
	} {
		inst := instance(fmt.Sprintf("i-0000000000000000%d", 5-i), spec.acct, spec.region)
		inst.State = spec.state
		inst.Profile = nil
		all = append(all, inst)
	}
	must(t, "CreateInstances", st.CreateInstances(ctx, all))
	tests := []struct {
		name string
		q    store.InstanceQuery
		want []string
	}{
		{"all, ordered by id", store.InstanceQuery{}, []string{"i-00000000000000001", "i-00000000000000002", "i-00000000000000003", "i-00000000000000004", "i-00000000000000005"}},
		{"account and region", store.InstanceQuery{AccountID: "111111111111", Region: "us-east-1"}, []string{"i-00000000000000001", "i-00000000000000002", "i-00000000000000005"}},
		{"states", store.InstanceQuery{States: []string{store.InstanceRunning}}, []string{"i-00000000000000003", "i-00000000000000004", "i-00000000000000005"}},
		{"ids", store.InstanceQuery{IDs: []string{"i-00000000000000004", "i-00000000000000001", "i-0000000000000000f"}}, []string{"i-00000000000000001", "i-00000000000000004"}},
		{"empty ids", store.InstanceQuery{IDs: []string{}}, []string{}},
		{"empty states", store.InstanceQuery{States: []string{}}, []string{}},
		{"after and limit", store.InstanceQuery{After: "i-00000000000000002", Limit: 2}, []string{"i-00000000000000003", "i-00000000000000004"}},
		{"other account", store.InstanceQuery{AccountID: "222222222222", Region: "eu-west-1"}, []string{}},
	}
	for _, tc := range tests {
		got, err := st.ListInstances(ctx, tc.q)
		must(t, "ListInstances "+tc.name, err)
		if g := ids(got); !reflect.DeepEqual(g, tc.want) {
			t.Errorf("ListInstances %s: got %q, want %q", tc.name, g, tc.want)
		}
	}
	got, err := st.ListInstances(ctx, store.InstanceQuery{IDs: []string{all[0].ID}})
	must(t, "ListInstances one", err)
	if len(got) != 1 {
		t.Fatalf("ListInstances one: %d results", len(got))
	}
	sameInstance(t, got[0], all[0])
}

func testInstanceUpdate(t *testing.T, st store.EC2) {
	ctx := t.Context()
	a := instance("i-00000000000000001", "111111111111", "us-east-1")
	must(t, "CreateInstances", st.CreateInstances(ctx, []*store.Instance{a}))
	later := base.Add(time.Hour)
	got, err := st.UpdateInstance(ctx, a.ID, func(i *store.Instance) error {
		i.State, i.StateChangedAt, i.IMDSPort, i.Profile = store.InstanceTerminated, later, 40123, nil
		i.Tags = append(i.Tags, store.Tag{Key: "k", Value: "v"})
		return nil
	})
	must(t, "UpdateInstance", err)
	want := *a
	want.State, want.StateChangedAt, want.IMDSPort, want.Profile = store.InstanceTerminated, later, 40123, nil
	want.Tags = append(append([]store.Tag{}, a.Tags...), store.Tag{Key: "k", Value: "v"})
	sameInstance(t, got, &want)
	stored, err := st.GetInstance(ctx, a.ID)
	must(t, "GetInstance", err)
	sameInstance(t, stored, &want)
	got2, err := st.ListInstances(ctx, store.InstanceQuery{States: []string{store.InstanceTerminated}})
	must(t, "ListInstances terminated", err)
	if len(got2) != 1 {
		t.Fatalf("state column not updated: %d terminated", len(got2))
	}

	boom := errors.New("boom")
	_, err = st.UpdateInstance(ctx, a.ID, func(i *store.Instance) error { i.State = store.InstanceRunning; return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("UpdateInstance fn error: got %v", err)
	}
	stored, _ = st.GetInstance(ctx, a.ID)
	if stored.State != store.InstanceTerminated {
		t.Fatalf("failed update was written: state %s", stored.State)
	}
	_, err = st.UpdateInstance(ctx, a.ID, func(i *store.Instance) error { i.AccountID = "222222222222"; return nil })
	if err == nil {
		t.Fatal("UpdateInstance changed the owner")
	}
	_, err = st.UpdateInstance(ctx, "i-0000000000000000f", func(*store.Instance) error { return nil })
	wantErr(t, "UpdateInstance missing", err, store.ErrNotFound)
}

func testInstanceAssociation(t *testing.T, st store.EC2) {
	ctx := t.Context()
	a := instance("i-00000000000000001", "111111111111", "us-east-1")
	b := instance("i-00000000000000002", "111111111111", "us-east-1")
	b.Profile = nil
	must(t, "CreateInstances", st.CreateInstances(ctx, []*store.Instance{a, b}))
	got, err := st.GetInstanceByAssociation(ctx, a.Profile.ID)
	must(t, "GetInstanceByAssociation", err)
	if got.ID != a.ID {
		t.Fatalf("GetInstanceByAssociation: got %s", got.ID)
	}
	_, err = st.UpdateInstance(ctx, b.ID, func(i *store.Instance) error {
		i.Profile = &store.ProfileAssociation{ID: a.Profile.ID, ProfileARN: "x", State: "associated", At: base}
		return nil
	})
	wantErr(t, "UpdateInstance taking another's association", err, store.ErrExists)
	// Replacing the association frees the old id.
	_, err = st.UpdateInstance(ctx, a.ID, func(i *store.Instance) error { i.Profile.ID = "iip-assoc-new"; return nil })
	must(t, "UpdateInstance new association", err)
	_, err = st.GetInstanceByAssociation(ctx, a.Profile.ID)
	wantErr(t, "old association", err, store.ErrNotFound)
	got, err = st.GetInstanceByAssociation(ctx, "iip-assoc-new")
	must(t, "new association", err)
	if got.ID != a.ID {
		t.Fatalf("new association: got %s", got.ID)
	}
}

// testInstanceUpdateRace: concurrent read-modify-write updates lose nothing.
func testInstanceUpdateRace(t *testing.T, st store.EC2) {
	ctx := t.Context()
	a := instance("i-00000000000000001", "111111111111", "us-east-1")
	a.Tags = nil
	must(t, "CreateInstances", st.CreateInstances(ctx, []*store.Instance{a}))
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := st.UpdateInstance(ctx, a.ID, func(inst *store.Instance) error {
				inst.Tags = append(inst.Tags, store.Tag{Key: fmt.Sprint(i)})
				return nil
			})
			if err != nil {
				t.Errorf("UpdateInstance: %v", err)
			}
		}()
	}
	wg.Wait()
	got, err := st.GetInstance(ctx, a.ID)
	must(t, "GetInstance", err)
	if len(got.Tags) != n {
		t.Fatalf("lost updates: %d tags, want %d", len(got.Tags), n)
	}
}

func testInstanceDeleteTerminated(t *testing.T, st store.EC2) {
	ctx := t.Context()
	old := instance("i-00000000000000001", "111111111111", "us-east-1")
	old.State, old.StateChangedAt, old.Profile = store.InstanceTerminated, base, nil
	recent := instance("i-00000000000000002", "111111111111", "us-east-1")
	recent.State, recent.StateChangedAt, recent.Profile = store.InstanceTerminated, base.Add(2*time.Hour), nil
	running := instance("i-00000000000000003", "111111111111", "us-east-1")
	running.StateChangedAt, running.Profile = base, nil
	must(t, "CreateInstances", st.CreateInstances(ctx, []*store.Instance{old, recent, running}))
	n, err := st.DeleteTerminated(ctx, base.Add(time.Hour))
	must(t, "DeleteTerminated", err)
	if n != 1 {
		t.Fatalf("DeleteTerminated removed %d, want 1", n)
	}
	left, err := st.ListInstances(ctx, store.InstanceQuery{})
	must(t, "ListInstances", err)
	if g := ids(left); !reflect.DeepEqual(g, []string{recent.ID, running.ID}) {
		t.Fatalf("left %q", g)
	}
}
