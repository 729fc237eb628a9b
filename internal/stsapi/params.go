package stsapi

import (
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
)

// assumeRoleInput is a validated AssumeRole request.
type assumeRoleInput struct {
	roleARN, sessionName string
	duration             int
	durationSet          bool
	externalID           string
	externalSet          bool
	sourceIdentity       string
	policy               string
	policyARNs           []string
	tags                 []sessiontoken.Tag
	transitiveKeys       []string
	tagsRequested        bool
	minTokenSize         int
}

// parseAssumeRole reads and validates the parameters.
func parseAssumeRole(c *call) (*assumeRoleInput, error) {
	q := c.q
	var v violations
	in := &assumeRoleInput{
		roleARN:        q.Get("RoleArn"),
		sessionName:    q.Get("RoleSessionName"),
		externalID:     q.Get("ExternalId"),
		sourceIdentity: q.Get("SourceIdentity"),
		policy:         q.Get("Policy"),
	}
	if q.Has("RoleArn") {
		v.text(in.roleARN, "roleArn", 20, 2048)
	} else {
		v.missing("roleArn")
	}
	if q.Has("RoleSessionName") {
		v.str(in.sessionName, "roleSessionName", 2, 64, reSessionName, patSessionName)
	} else {
		v.missing("roleSessionName")
	}
	for i, m := range q.Structs("PolicyArns") {
		arn := m["arn"]
		in.policyARNs = append(in.policyARNs, arn)
		v.text(arn, "policyArns."+itoa(i+1)+".member.arn", 20, 2048)
	}
	v.listLen(in.policyARNs, "policyArns", maxPolicyARNs)
	if q.Has("Policy") {
		v.text(in.policy, "policy", 1, maxSessionPolicy)
	}
	n, ok, err := durationParam(q, &v, minDuration, maxRoleDuration)
	if err != nil {
		return nil, err
	}
	in.duration, in.durationSet = n, ok
	if in.minTokenSize, err = minTokenSizeParam(q, &v); err != nil {
		return nil, err
	}
	var keys []string
	for i, m := range q.Structs("Tags") {
		t := sessiontoken.Tag{Key: m["Key"], Value: m["Value"]}
		prefix := "tags." + itoa(i+1) + ".member."
		if _, ok := m["Key"]; !ok {
			v.missing(prefix + "key")
		} else {
			v.str(t.Key, prefix+"key", 1, 128, reTagKey, patTagKey)
		}
		if _, ok := m["Value"]; !ok {
			v.missing(prefix + "value")
		} else {
			v.str(t.Value, prefix+"value", 0, 256, reTagValue, patTagValue)
		}
		in.tags = append(in.tags, t)
		keys = append(keys, t.Key)
	}
	v.listLen(keys, "tags", maxSessionTags)
	in.transitiveKeys = q.List("TransitiveTagKeys")
	for i, k := range in.transitiveKeys {
		v.str(k, "transitiveTagKeys."+itoa(i+1)+".member", 1, 128, reTagKey, patTagKey)
	}
	v.listLen(in.transitiveKeys, "transitiveTagKeys", maxSessionTags)
	in.tagsRequested = len(in.tags) > 0 || len(in.transitiveKeys) > 0
	if q.Has("ExternalId") {
		in.externalSet = true
		v.str(in.externalID, "externalId", 2, 1224, reExternalID, patExternalID)
	}
	if q.Has("SourceIdentity") {
		v.str(in.sourceIdentity, "sourceIdentity", 2, 64, reSessionName, patSessionName)
	}
	checkMFAParams(q.Has("SerialNumber"), q.Get("SerialNumber"), q.Has("TokenCode"), q.Get("TokenCode"), &v)
	if err := v.err(); err != nil {
		return nil, err
	}

	// Session tag keys are case-insensitive and must be unique; transitive
	// keys must name requested tags. (Texts as AWS answers them; neither is
	// quoted in the API Reference.)
	for i, t := range in.tags {
		for _, u := range in.tags[:i] {
			if strings.EqualFold(t.Key, u.Key) {
				return nil, awserr.New(awserr.InvalidParameterValue, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
			}
		}
	}
	for _, k := range in.transitiveKeys {
		if !containsFold(keys, k) {
			return nil, awserr.New(awserr.InvalidParameterValue, "The specified transitive tag key must be included in the requested tags.")
		}
	}
	return in, nil
}

// checkMFAParams validates SerialNumber and TokenCode.
func checkMFAParams(hasSerial bool, serial string, hasCode bool, code string, v *violations) {
	if hasSerial {
		v.str(serial, "serialNumber", 9, 256, reSerial, patSerial)
	}
	if hasCode {
		v.str(code, "tokenCode", 6, 6, reTokenCode, patTokenCode)
	}
}
