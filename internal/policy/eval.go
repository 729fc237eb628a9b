package policy

// NamedPolicy is a compiled policy with the name used in explanations: a
// managed policy ARN, "user/alice inline policy-name", a level of an
// organization, and so on.
type NamedPolicy struct {
	Name   string
	Policy *Policy
}

// Result is the tri-state outcome of one policy, or of a set of policies of
// one type, for a request.
type Result struct {
	// Effect is NoMatch, Allow or Deny.
	Effect Effect
	// Policy names the policy holding Statement.
	Policy string
	// Statement is the deciding statement: the first applicable Deny, or
	// else the Allow that applies.
	Statement *Statement

	match matchKind // how an Allow in a resource policy matched the principal
}

// Allowed reports whether the result is an Allow.
func (r Result) Allowed() bool { return r.Effect == Allow }

// Denied reports whether the result is an explicit Deny.
func (r Result) Denied() bool { return r.Effect == Deny }

// evalState carries what statement matching needs besides the request.
type evalState struct {
	req         *Request
	ctx         *Context
	res         splitResource
	hasBoundary bool
}

func newEvalState(req *Request) evalState {
	return evalState{req: req, ctx: req.Context, res: newSplitResource(req.Resource)}
}

// applies reports whether s applies to the request and, for statements with
// a Principal, how the principal matched.
func (s *Statement) applies(st *evalState) (bool, matchKind) {
	req := st.req
	if !s.matchResource(&st.res, st.ctx) || !s.matchAction(req.Action) {
		return false, mkNone
	}
	mk := mkDirect
	if s.hasPrincipal {
		if s.notPrincipal {
			// "Permissions boundaries for IAM entities": a Deny
			// with NotPrincipal always denies an IAM principal that
			// has a permissions boundary, whatever NotPrincipal names.
			if !(s.Effect == Deny && st.hasBoundary) && s.excludedBy(&req.Principal) {
				return false, mkNone
			}
		} else if mk = s.matchPrincipal(&req.Principal); mk == mkNone {
			return false, mkNone
		}
	}
	if !s.matchConditions(st.ctx) {
		return false, mkNone
	}
	return true, mk
}

// eval evaluates one policy: Deny if any Deny statement applies, else
// Allow if an Allow statement applies, else NoMatch.
func (p *Policy) eval(name string, st *evalState) Result {
	var r Result
	for _, s := range p.Statements {
		if s.Effect == Allow && r.match == mkDirect {
			// An Allow that matched directly cannot be improved on;
			// only Deny statements still matter.
			continue
		}
		ok, mk := s.applies(st)
		if !ok {
			continue
		}
		if s.Effect == Deny {
			return Result{Effect: Deny, Policy: name, Statement: s}
		}
		if r.Effect == NoMatch || mk > r.match {
			r = Result{Effect: Allow, Policy: name, Statement: s, match: mk}
		}
	}
	return r
}

// Evaluate evaluates the policy alone against req, as a policy of its own
// kind: the tri-state the S3 layer combines with ACLs and Block Public
// Access.
func (p *Policy) Evaluate(req *Request) Result {
	st := newEvalState(req)
	return p.eval("", &st)
}

// evalSet combines policies of one type: Deny wins, then Allow.
func evalSet(ps []NamedPolicy, st *evalState) Result {
	var r Result
	for i := range ps {
		if ps[i].Policy == nil {
			continue
		}
		pr := ps[i].Policy.eval(ps[i].Name, st)
		switch {
		case pr.Effect == Deny:
			return pr
		case pr.Effect == Allow && (r.Effect == NoMatch || pr.match > r.match):
			r = pr
		}
	}
	return r
}

// EvaluatePolicies evaluates a set of policies of one type together.
func EvaluatePolicies(ps []NamedPolicy, req *Request) Result {
	st := newEvalState(req)
	return evalSet(ps, &st)
}

// OrgLevel is one level of an organization (root, an OU, the account) with
// the SCPs or RCPs attached there. Every level must allow a request.
type OrgLevel struct {
	Name     string
	Policies []NamedPolicy
}

// evalLevels returns Deny if any level denies, NoMatch (with the level's
// name as Policy) for the first level that does not allow, else the Allow of
// the last level.
func evalLevels(levels []OrgLevel, st *evalState) Result {
	var last Result
	missing := -1
	for i := range levels {
		r := evalSet(levels[i].Policies, st)
		switch {
		case r.Effect == Deny:
			return r
		case r.Effect != Allow && missing < 0:
			missing = i
		case r.Effect == Allow:
			last = r
		}
	}
	if missing >= 0 {
		return Result{Policy: levels[missing].Name}
	}
	return last
}
