package policy

import "strings"

// Null tests whether a key is absent: "true" means the key must be absent,
// "false" that it must be present. It takes no set qualifier and no
// IfExists.

func parseNullValue(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func (c *condition) evalNull(present bool) bool {
	for i := range c.values {
		v := &c.values[i]
		if v.ok && v.null != present {
			return true
		}
	}
	return false
}
