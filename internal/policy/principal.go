package policy

import "strings"

// principalType is what a Principal entry names ("AWS JSON policy
// elements: Principal").
type principalType uint8

const (
	ptAny       principalType = iota // "*" or {"AWS":"*"}
	ptAccount                        // "123456789012" or arn:aws:iam::123456789012:root
	ptUser                           // arn:aws:iam::ACCT:user/...
	ptRole                           // arn:aws:iam::ACCT:role/...
	ptSession                        // arn:aws:sts::ACCT:assumed-role/ROLE/SESSION
	ptFedUser                        // arn:aws:sts::ACCT:federated-user/NAME
	ptService                        // {"Service": "ec2.amazonaws.com"}
	ptFederated                      // {"Federated": "accounts.google.com"}
	ptCanonical                      // {"CanonicalUser": "79a5..."}
	ptInvalid                        // anything else: matches nothing
)

type principalEntry struct {
	typ     principalType
	value   string // the ARN, account id, service, provider or canonical id
	account string // account of AWS entries
	raw     string // as written, for messages
	key     string // "AWS", "Service", "Federated", "CanonicalUser"
}

// matchKind says how a resource-based policy statement matched the
// requester, which decides whether implicit denies on the identity side
// still matter (see evaluate.go).
type matchKind uint8

const (
	mkNone    matchKind = iota
	mkAccount           // the requester's account: delegation to its IAM policies
	mkIssuer            // the role behind a session, or the user behind a federated session
	mkDirect            // the requester itself, "*", a service or a provider
)

func parseAWSPrincipal(v string) principalEntry {
	e := principalEntry{raw: v, key: "AWS", typ: ptInvalid}
	if v == "*" {
		e.typ = ptAny
		return e
	}
	if isAccountID(v) {
		e.typ, e.account, e.value = ptAccount, v, v
		return e
	}
	var parts [6]string
	if !splitARN(v, &parts) || parts[0] != "arn" || parts[1] == "" || parts[3] != "" || !isAccountID(parts[4]) {
		return e
	}
	if strings.ContainsAny(v, "*?") {
		// "You cannot use a wildcard to match part of a principal name or ARN."
		return e
	}
	acct, res := parts[4], parts[5]
	e.account, e.value = acct, v
	switch parts[2] {
	case "iam":
		switch {
		case res == "root":
			e.typ, e.value = ptAccount, acct
		case strings.HasPrefix(res, "user/") && len(res) > len("user/"):
			e.typ = ptUser
		case strings.HasPrefix(res, "role/") && len(res) > len("role/"):
			e.typ = ptRole
		}
	case "sts":
		switch {
		case strings.HasPrefix(res, "assumed-role/") && strings.Count(res, "/") == 2 && !strings.HasSuffix(res, "/"):
			e.typ = ptSession
		case strings.HasPrefix(res, "federated-user/") && len(res) > len("federated-user/"):
			e.typ = ptFedUser
		}
	}
	return e
}

func splitARN(s string, out *[6]string) bool {
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return false
		}
		out[i] = s[:j]
		s = s[j+1:]
	}
	out[5] = s
	return true
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isServicePrincipal(s string) bool {
	for _, suffix := range []string{".amazonaws.com", ".amazonaws.com.cn"} {
		if name, ok := strings.CutSuffix(s, suffix); ok && name != "" && !strings.ContainsAny(name, "*? /:") {
			return true
		}
	}
	return false
}

func isCanonicalID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// match reports how e matches the requester.
func (e *principalEntry) match(p *Principal) matchKind {
	switch e.typ {
	case ptAny:
		return mkDirect
	case ptAccount:
		switch p.Kind {
		case PrincipalRoot, PrincipalUser, PrincipalAssumedRole, PrincipalFederatedUser:
			if p.Account == e.account {
				return mkAccount
			}
		}
	case ptUser:
		switch {
		case p.Kind == PrincipalUser && p.ARN == e.value:
			return mkDirect
		case p.Kind == PrincipalFederatedUser && p.IssuerARN == e.value:
			// A policy naming the IAM user who federated applies to
			// the federated session, limited by its session policy
			// ("Policy evaluation logic", IAM federated user sessions).
			return mkIssuer
		}
	case ptRole:
		if p.Kind == PrincipalAssumedRole && p.IssuerARN == e.value {
			return mkIssuer
		}
	case ptSession:
		if p.Kind == PrincipalAssumedRole && p.ARN == e.value {
			return mkDirect
		}
	case ptFedUser:
		if p.Kind == PrincipalFederatedUser && p.ARN == e.value {
			return mkDirect
		}
	case ptService:
		if p.Kind == PrincipalService && strings.EqualFold(p.Service, e.value) {
			return mkDirect
		}
	case ptFederated:
		if p.Kind == PrincipalWebIdentity && p.Provider == e.value {
			return mkDirect
		}
	case ptCanonical:
		if p.CanonicalID != "" && p.CanonicalID == e.value {
			switch p.Kind {
			case PrincipalRoot, PrincipalUser, PrincipalAssumedRole, PrincipalFederatedUser:
				return mkAccount
			}
		}
	}
	return mkNone
}

// matchPrincipal applies Principal. NotPrincipal is handled by
// excludedBy.
func (s *Statement) matchPrincipal(p *Principal) matchKind {
	best := mkNone
	for i := range s.principals {
		if k := s.principals[i].match(p); k > best {
			best = k
			if k == mkDirect {
				break
			}
		}
	}
	return best
}

// excludedBy reports whether a NotPrincipal list exempts p. AWS may check
// the account, then the role or user, then the session ("AWS JSON policy
// elements: NotPrincipal"), so p is exempt only when every link of that
// chain is listed; naming just a user leaves its account, and so the user,
// covered by the statement.
func (s *Statement) excludedBy(p *Principal) bool {
	has := func(typ principalType, value string) bool {
		for i := range s.principals {
			e := &s.principals[i]
			if e.typ == ptAny {
				return true
			}
			if e.typ != typ {
				continue
			}
			if typ == ptService && strings.EqualFold(e.value, value) || e.value == value {
				return true
			}
		}
		return false
	}
	switch p.Kind {
	case PrincipalAnonymous:
		return has(ptAny, "")
	case PrincipalRoot:
		return has(ptAccount, p.Account)
	case PrincipalUser:
		return has(ptAccount, p.Account) && has(ptUser, p.ARN)
	case PrincipalAssumedRole:
		return has(ptAccount, p.Account) && has(ptRole, p.IssuerARN) && has(ptSession, p.ARN)
	case PrincipalFederatedUser:
		return has(ptAccount, p.Account) && has(ptFedUser, p.ARN)
	case PrincipalService:
		return has(ptService, p.Service)
	case PrincipalWebIdentity:
		return has(ptFederated, p.Provider)
	}
	return false
}
