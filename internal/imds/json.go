package imds

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// field is one member of a metadata JSON document, written in order.
type field struct {
	name  string
	value any // string, int, nil (null) or time.Time
}

// imdsTime is the time format of metadata documents (second precision, UTC).
const imdsTime = "2006-01-02T15:04:05Z"

// jsonDoc renders fields the way the metadata service does: one member
// per line, two-space indent, " : " between name and value.
func jsonDoc(fields []field) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i, f := range fields {
		b.WriteString("  ")
		b.Write(quote(f.name))
		b.WriteString(" : ")
		switch v := f.value.(type) {
		case nil:
			b.WriteString("null")
		case string:
			b.Write(quote(v))
		case int:
			b.WriteString(strconv.Itoa(v))
		case time.Time:
			b.Write(quote(v.UTC().Format(imdsTime)))
		}
		if i < len(fields)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}")
	return b.String()
}

func quote(s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return q
}

// writeText answers 200 with a text/plain body, as the metadata service
// does for every item, JSON documents included.
func writeText(w http.ResponseWriter, r *http.Request, body string) {
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(body))
	}
}

// writeStatus answers an error status with a small HTML page, as the
// metadata service does.
func writeStatus(w http.ResponseWriter, r *http.Request, status int) {
	title := strconv.Itoa(status) + " - " + http.StatusText(status)
	body := `<?xml version="1.0" encoding="iso-8859-1"?>` + "\n" +
		`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">` + "\n" +
		`<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">` + "\n" +
		" <head>\n  <title>" + title + "</title>\n </head>\n <body>\n  <h1>" + title + "</h1>\n </body>\n</html>\n"
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(body))
	}
}
