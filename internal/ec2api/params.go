package ec2api

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/query"
)

// EC2 flattens lists without ".member": Name.1, Name.2, … and structures
// as Name.N.Field (the ec2 protocol of the service model).

// list returns the values of name.N in index order.
func list(q *query.Request, name string) []string {
	type item struct {
		i int
		v string
	}
	var items []item
	prefix := name + "."
	for k, v := range q.Values {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || len(v) == 0 {
			continue
		}
		if i, err := strconv.Atoi(rest); err == nil {
			items = append(items, item{i, v[0]})
		}
	}
	sort.Slice(items, func(a, b int) bool { return items[a].i < items[b].i })
	out := make([]string, len(items))
	for j, it := range items {
		out[j] = it.v
	}
	return out
}

// indexes returns the distinct N of keys name.N.… in order.
func indexes(q *query.Request, name string) []int {
	seen := map[int]bool{}
	prefix := name + "."
	for k := range q.Values {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		idx, _, _ := strings.Cut(rest, ".")
		if i, err := strconv.Atoi(idx); err == nil {
			seen[i] = true
		}
	}
	out := make([]int, 0, len(seen))
	for i := range seen {
		out = append(out, i)
	}
	sort.Ints(out)
	return out
}

// filter is one Filter.N of a Describe request.
type filter struct {
	Name   string
	Values []string
}

// filters reads Filter.N.Name and Filter.N.Value.M.
func filters(q *query.Request) []filter {
	var out []filter
	for _, i := range indexes(q, "Filter") {
		p := "Filter." + strconv.Itoa(i)
		out = append(out, filter{Name: q.Get(p + ".Name"), Values: list(q, p+".Value")})
	}
	return out
}

// intParam reads an integer parameter; ok is false when absent.
func intParam(q *query.Request, name string) (n int, ok bool, err error) {
	s := q.Get(name)
	if s == "" {
		return 0, false, nil
	}
	n, err = strconv.Atoi(s)
	if err != nil {
		return 0, false, errf(awserr.EC2InvalidParameterValue, "Invalid value '%s' for %s", s, lowerFirst(name))
	}
	return n, true, nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// page reads MaxResults (min..1000) and NextToken; the token is the last id
// of the previous page.
func page(q *query.Request, minResults int) (limit int, after string, err error) {
	n, ok, err := intParam(q, "MaxResults")
	if err != nil {
		return 0, "", err
	}
	if ok && (n < minResults || n > 1000) {
		return 0, "", errf(awserr.EC2InvalidParameterValue, "Value ( %d ) for parameter maxResults is invalid. Expecting a value between %d and 1000.", n, minResults)
	}
	if tok := q.Get("NextToken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(b) == 0 {
			return 0, "", awserr.New(awserr.EC2InvalidPaginationToken, "Invalid pagination token: "+tok)
		}
		after = string(b)
	}
	return n, after, nil
}

func nextToken(lastID string) string { return base64.RawURLEncoding.EncodeToString([]byte(lastID)) }
