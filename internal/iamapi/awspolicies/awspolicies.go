// Package awspolicies holds the AWS managed policies crossbucket serves
// under arn:aws:iam::aws:policy/NAME, visible to every account (see
// README.md for where the documents come from).
package awspolicies

import (
	"embed"
	"encoding/json"
	"sort"
	"time"
)

// ARNPrefix starts the ARN of every AWS managed policy at path "/".
const ARNPrefix = "arn:aws:iam::aws:policy/"

// Policy is an AWS managed policy.
type Policy struct {
	Name        string
	ID          string // ANPA…
	Path        string // "/"
	ARN         string
	Version     string // default version id
	Description string
	Created     time.Time
	Updated     time.Time
	Document    string
}

//go:embed *.json
var files embed.FS

var (
	byARN  map[string]*Policy
	sorted []*Policy
)

func init() {
	var index []struct {
		Name, ID, Version, Description string
		Created, Updated               time.Time
	}
	b, err := files.ReadFile("index.json")
	if err != nil {
		panic(err)
	}
	if err := json.Unmarshal(b, &index); err != nil {
		panic("awspolicies: index.json: " + err.Error())
	}
	byARN = make(map[string]*Policy, len(index))
	for _, e := range index {
		doc, err := files.ReadFile(e.Name + ".json")
		if err != nil {
			panic(err)
		}
		p := &Policy{Name: e.Name, ID: e.ID, Path: "/", ARN: ARNPrefix + e.Name, Version: e.Version,
			Description: e.Description, Created: e.Created, Updated: e.Updated, Document: string(doc)}
		byARN[p.ARN] = p
		sorted = append(sorted, p)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
}

// Get returns the AWS managed policy with the given ARN, or nil.
func Get(arn string) *Policy { return byARN[arn] }

// All returns every AWS managed policy, by name. The slice is shared: do
// not modify it.
func All() []*Policy { return sorted }
