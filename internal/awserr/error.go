// Package awserr is the one catalogue of AWS error codes and the one place
// where an error becomes bytes on the wire (S3 REST XML or the Query
// protocol's ErrorResponse). It imports only the standard library.
package awserr

import (
	"errors"
	"fmt"
)

// Field is an extra element of an S3 error body, such as BucketName, Key,
// StringToSign or Region, written in order after Message.
type Field struct {
	Name  string
	Value string
}

// Error is an AWS error: a catalogue code plus the specifics of one request.
type Error struct {
	Code     *Code
	Message  string // overrides Code.Message when set
	Resource string
	Fields   []Field
	// Headers are set on the response (e.g. x-amz-bucket-region).
	Headers map[string]string
	// Cause is an internal error kept for logs only; it never reaches the wire.
	Cause error
}

// New makes an error with code's default message, or msg when given.
func New(code *Code, msg ...string) *Error {
	e := &Error{Code: code}
	if len(msg) > 0 {
		e.Message = msg[0]
	}
	return e
}

// Newf makes an error with a formatted message.
func Newf(code *Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure as InternalError, keeping the cause for logs.
func Internal(cause error) *Error { return &Error{Code: InternalError, Cause: cause} }

// With appends an extra field and returns e.
func (e *Error) With(name, value string) *Error {
	e.Fields = append(e.Fields, Field{name, value})
	return e
}

// WithResource sets Resource and returns e.
func (e *Error) WithResource(r string) *Error { e.Resource = r; return e }

// WithHeader sets a response header and returns e.
func (e *Error) WithHeader(name, value string) *Error {
	if e.Headers == nil {
		e.Headers = map[string]string{}
	}
	e.Headers[name] = value
	return e
}

// Msg is the message sent on the wire.
func (e *Error) Msg() string {
	if e.Message != "" {
		return e.Message
	}
	return e.Code.Message
}

// Status is the HTTP status of e.
func (e *Error) Status() int { return e.Code.Status }

func (e *Error) Error() string {
	s := e.Code.Name + ": " + e.Msg()
	if e.Cause != nil {
		s += " (" + e.Cause.Error() + ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Cause }

// Is reports whether err is an *Error with the given code.
func Is(err error, code *Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// From returns err as an *Error; anything else becomes InternalError with err as cause.
func From(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}
