package awserr

import "net/http"

var malformedQueryString = c("MalformedQueryString", http.StatusBadRequest, "The query string is malformed.")

// MalformedQueryString is the Query protocol's error for an unparsable query or form.
func MalformedQueryString() *Code { return malformedQueryString }
