package policy

import (
	"sort"
	"strings"
)

// compile turns a validated document into a Policy.
func compile(rp *rawPolicy, kind Kind) *Policy {
	p := &Policy{Version: rp.version, ID: rp.id, Kind: kind}
	vars := rp.version == Version2012
	for i, rs := range rp.statements {
		s := &Statement{Sid: rs.sid, Index: i, Effect: Allow}
		if strings.EqualFold(rs.effect, "Deny") {
			s.Effect = Deny
		}
		s.notAction = rs.has("NotAction")
		for _, a := range rs.actions {
			s.actions = append(s.actions, compileAction(a))
		}
		s.hasResource = rs.has("Resource") || rs.has("NotResource")
		s.notResource = rs.has("NotResource")
		for _, r := range rs.resources {
			s.resources = append(s.resources, compileResource(r, vars))
		}
		s.hasPrincipal = rs.has("Principal") || rs.has("NotPrincipal")
		s.notPrincipal = rs.has("NotPrincipal")
		if rs.principalStar {
			s.principals = append(s.principals, principalEntry{typ: ptAny, raw: "*", key: "AWS"})
		}
		for _, rpr := range rs.principals {
			s.principals = append(s.principals, compilePrincipal(rpr))
		}
		for _, rc := range rs.conditions {
			op, _ := parseOperator(rc.op)
			c := condition{op: op, key: strings.ToLower(rc.key), rawKey: rc.key}
			for _, val := range rc.values {
				c.values = append(c.values, compileValue(&op, val, vars))
			}
			s.conditions = append(s.conditions, c)
		}
		// Conditions are ANDed, so cheap families go first.
		sort.SliceStable(s.conditions, func(i, j int) bool {
			return condCost(s.conditions[i].op.fam) < condCost(s.conditions[j].op.fam)
		})
		p.Statements = append(p.Statements, s)
	}
	return p
}

func compilePrincipal(r rawPrincipal) principalEntry {
	switch r.key {
	case "AWS":
		return parseAWSPrincipal(r.value)
	case "Service":
		return principalEntry{typ: ptService, value: strings.ToLower(r.value), raw: r.value, key: r.key}
	case "Federated":
		return principalEntry{typ: ptFederated, value: r.value, raw: r.value, key: r.key}
	case "CanonicalUser":
		return principalEntry{typ: ptCanonical, value: r.value, raw: r.value, key: r.key}
	}
	return principalEntry{typ: ptInvalid, raw: r.value, key: r.key}
}

// condCost orders condition families by evaluation cost.
func condCost(f family) int {
	switch f {
	case famNull, famBool, famString:
		return 0
	case famArn, famNumeric, famBinary:
		return 1
	}
	return 2 // dates and IP addresses are parsed per request value
}
