// Package audit records every authorization decision as a JSON line under
// the data dir, like CloudTrail data events, and finds them again by request
// id for `crossbucket explain`. Secrets and session tokens never enter it.
package audit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/crossbucket/crossbucket/internal/authz"
)

// FileName is the audit log's name inside its directory.
const FileName = "decisions.jsonl"

// Record is one authorization decision.
type Record struct {
	Time            time.Time `json:"eventTime"`
	RequestID       string    `json:"requestID"`
	PrincipalARN    string    `json:"principalArn"`
	PrincipalType   string    `json:"principalType"`
	Account         string    `json:"principalAccount,omitempty"`
	AccessKeyID     string    `json:"accessKeyId,omitempty"`
	SourceIP        string    `json:"sourceIPAddress,omitempty"`
	VPCEndpoint     string    `json:"vpcEndpointId,omitempty"`
	Action          string    `json:"action"`
	Resource        string    `json:"resource"`
	ResourceAccount string    `json:"resourceAccount,omitempty"`
	Allowed         bool      `json:"allowed"`
	CrossAccount    bool      `json:"crossAccount"`
	Reason          string    `json:"reason"`
}

// Decision is "Allow" or "Deny".
func (r *Record) Decision() string {
	if r.Allowed {
		return "Allow"
	}
	return "Deny"
}

// Log appends records to DIR/decisions.jsonl from a background writer.
type Log struct {
	path string
	ch   chan *Record
	done chan struct{}
	log  *slog.Logger

	closeOnce sync.Once
}

// Open starts a log in dir.
func Open(dir string, logger *slog.Logger) (*Log, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	l := &Log{path: path, ch: make(chan *Record, 4096), done: make(chan struct{}), log: logger}
	go l.run(f)
	return l, nil
}

// Add queues a record; it blocks only when the writer is far behind.
func (l *Log) Add(r *Record) { l.ch <- r }

// Close flushes and closes the log.
func (l *Log) Close() error {
	l.closeOnce.Do(func() { close(l.ch) })
	<-l.done
	return nil
}

// run writes records, flushing whenever the queue is drained, so a record
// reaches the file within moments of its decision.
func (l *Log) run(f *os.File) {
	defer close(l.done)
	defer f.Close()
	w := bufio.NewWriterSize(f, 64<<10)
	enc := json.NewEncoder(w)
	for r := range l.ch {
		if err := enc.Encode(r); err != nil {
			l.log.Error("audit write", "err", err)
		}
		if len(l.ch) == 0 {
			if err := w.Flush(); err != nil {
				l.log.Error("audit flush", "err", err)
			}
		}
	}
	_ = w.Flush()
}

// Authorizer records every decision of Next.
type Authorizer struct {
	Next authz.Authorizer
	Log  *Log
}

var _ authz.Authorizer = (*Authorizer)(nil)

// Authorize implements authz.Authorizer.
func (a *Authorizer) Authorize(ctx context.Context, req *authz.Request) authz.Decision {
	d := a.Next.Authorize(ctx, req)
	rec := &Record{Time: time.Now().UTC(), Action: req.Action, Resource: req.Resource,
		ResourceAccount: req.ResourceAccount, Allowed: d.Allowed, CrossAccount: d.CrossAccount, Reason: d.Reason,
		PrincipalARN: "anonymous", PrincipalType: "Anonymous"}
	if p := req.Principal; !p.IsAnonymous() {
		rec.PrincipalARN, rec.PrincipalType, rec.Account, rec.AccessKeyID = p.ARN, string(p.Kind), p.AccountID, p.AccessKeyID
	}
	if info := req.Info; info != nil {
		rec.RequestID, rec.VPCEndpoint = info.ID, info.VPCEndpoint
		if info.SourceIP.IsValid() {
			rec.SourceIP = info.SourceIP.String()
		}
		if !info.Received.IsZero() {
			rec.Time = info.Received.UTC()
		}
	}
	a.Log.Add(rec)
	return d
}

// Find returns the records of a request id in the log in dir.
func Find(dir, requestID string) ([]Record, error) {
	f, err := os.Open(filepath.Join(dir, FileName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return scan(f, requestID)
}

func scan(r io.Reader, requestID string) ([]Record, error) {
	var out []Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	needle := []byte(`"requestID":"` + requestID + `"`)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.Contains(line, needle) {
			continue
		}
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			continue // a torn last line after a crash
		}
		if rec.RequestID == requestID {
			out = append(out, rec)
		}
	}
	return out, sc.Err()
}
