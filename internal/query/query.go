// Package query reads and writes AWS's Query protocol (IAM, STS, EC2):
// form-encoded parameters in, XML documents out.
package query

import (
	"encoding/xml"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// MaxBody bounds a Query request's form body.
const MaxBody = 1 << 20

// Request is a parsed Query request.
type Request struct {
	Action  string
	Version string
	Values  url.Values
}

// Parse reads the parameters of r from its URL query and, for a form POST,
// its body (bounded by MaxBody). It fails with MissingAction when there is
// no Action.
func Parse(r *http.Request) (*Request, error) {
	vals := url.Values{}
	for k, v := range r.URL.Query() {
		vals[k] = append(vals[k], v...)
	}
	if r.Method == http.MethodPost && r.Body != nil {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct == "application/x-www-form-urlencoded" || ct == "" {
			body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
			if err != nil {
				return nil, awserr.From(err)
			}
			if len(body) > MaxBody {
				return nil, awserr.New(awserr.ValidationError, "Request body too large")
			}
			form, err := url.ParseQuery(string(body))
			if err != nil {
				return nil, awserr.New(awserr.MalformedQueryString(), "Malformed form body")
			}
			for k, v := range form {
				vals[k] = append(vals[k], v...)
			}
		}
	}
	q := &Request{Action: vals.Get("Action"), Version: vals.Get("Version"), Values: vals}
	if q.Action == "" {
		return nil, awserr.New(awserr.MissingAction, "Missing Action")
	}
	return q, nil
}

// Get returns a parameter ("" when absent).
func (q *Request) Get(name string) string { return q.Values.Get(name) }

// Has reports whether the parameter was sent (even empty).
func (q *Request) Has(name string) bool { _, ok := q.Values[name]; return ok }

// Int returns an integer parameter; ok is false when absent. A malformed
// number is a ValidationError.
func (q *Request) Int(name string) (n int, ok bool, err error) {
	s, present := q.Values[name]
	if !present || len(s) == 0 || s[0] == "" {
		return 0, false, nil
	}
	n, convErr := strconv.Atoi(s[0])
	if convErr != nil {
		return 0, false, awserr.Newf(awserr.ValidationError, "Value '%s' at '%s' failed to satisfy constraint: Member must be a number", s[0], lowerFirst(name))
	}
	return n, true, nil
}

// List returns the values of a list parameter sent as Name.member.1,
// Name.member.2, … in member order.
func (q *Request) List(name string) []string {
	prefix := name + ".member."
	type item struct {
		i int
		v string
	}
	var items []item
	for k, v := range q.Values {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			if i, err := strconv.Atoi(rest); err == nil && len(v) > 0 {
				items = append(items, item{i, v[0]})
			}
		}
	}
	sort.Slice(items, func(a, b int) bool { return items[a].i < items[b].i })
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.v
	}
	return out
}

// Structs returns the members of a list of structures sent as
// Name.member.N.Field, in member order, each as Field → value.
func (q *Request) Structs(name string) []map[string]string {
	prefix := name + ".member."
	byIndex := map[int]map[string]string{}
	for k, v := range q.Values {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || len(v) == 0 {
			continue
		}
		idx, field, ok := strings.Cut(rest, ".")
		if !ok {
			continue
		}
		i, err := strconv.Atoi(idx)
		if err != nil {
			continue
		}
		if byIndex[i] == nil {
			byIndex[i] = map[string]string{}
		}
		byIndex[i][field] = v[0]
	}
	idx := make([]int, 0, len(byIndex))
	for i := range byIndex {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	out := make([]map[string]string, len(idx))
	for j, i := range idx {
		out[j] = byIndex[i]
	}
	return out
}

// WriteResult writes <ActionResponse xmlns=ns><ActionResult>result</ActionResult>
// <ResponseMetadata><RequestId>id</RequestId></ResponseMetadata></ActionResponse>.
// result is marshalled with encoding/xml as the inner elements; nil writes
// no Result element (as IAM does for actions without output).
func WriteResult(w http.ResponseWriter, action, ns, requestID string, result any) {
	var b strings.Builder
	b.WriteString(`<` + action + `Response xmlns="` + ns + `">`)
	if result != nil {
		enc := xml.NewEncoder(&b)
		if err := enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			awserr.WriteQuery(w, awserr.Internal(err), ns, requestID)
			return
		}
	}
	b.WriteString(`<ResponseMetadata><RequestId>`)
	_ = xml.EscapeText(&b, []byte(requestID))
	b.WriteString(`</RequestId></ResponseMetadata></` + action + `Response>`)
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, b.String())
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
