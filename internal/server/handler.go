package server

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/ec2api"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/principals"
	"github.com/crossbucket/crossbucket/internal/s3api"
	"github.com/crossbucket/crossbucket/internal/sigv4"
)

// maxQueryBody bounds the form bodies of Query-protocol services (IAM, STS),
// which must be hashed in memory to verify their signature.
const maxQueryBody = 1 << 20

// VPCEndpoint is a listener that stands for an interface or gateway VPC
// endpoint: requests through it carry aws:SourceVpce and aws:SourceVpc, and
// its endpoint policy (if any) takes part in every decision.
type VPCEndpoint struct {
	ID     string // vpce-…
	VPC    string // vpc-…, optional
	Policy string // endpoint policy document, optional
}

// ServeHTTP authenticates a request and hands it to the API of its service.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.serve(w, r, nil) }

// EndpointHandler serves requests arriving through a VPC endpoint.
func (s *Server) EndpointHandler(ep VPCEndpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, &ep) })
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, ep *VPCEndpoint) {
	start := s.cfg.Now()
	info := &identity.Request{ID: newRequestID(), HostID: newHostID(), Received: start, Secure: r.TLS != nil}
	if ep != nil {
		info.VPCEndpoint, info.VPC, info.VPCEndpointPolicy = ep.ID, ep.VPC, ep.Policy
	}
	if r.TLS != nil {
		info.TLSVersion = r.TLS.Version
	}
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		info.SourceIP = ap.Addr().Unmap()
	} else if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		info.SourceIP, _ = netip.ParseAddr(host)
	}
	h := w.Header()
	h.Set("x-amz-request-id", info.ID)
	h.Set("x-amz-id-2", info.HostID)
	h.Set("Server", "crossbucket")
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic serving request", "request_id", info.ID, "panic", p)
			if !rec.wrote {
				awserr.WriteS3(rec, r, awserr.New(awserr.InternalError), info.ID, info.HostID)
			}
		}
		s.logRequest(r, info, rec.status, start)
	}()

	service := scopeService(r)
	var resolved *principals.Resolved
	res, err := sigv4.Verify(r.Context(), r, s.resolver.Lookup(service, &resolved), sigv4.Options{
		Now:                      start,
		BucketFromHost:           func(host string) (string, bool) { return s3api.BucketFromHost(host, s.cfg.Domains) },
		MaxUnsignedPayloadBuffer: maxQueryBody,
	})
	if err != nil {
		s.writeError(rec, r, service, info, err)
		return
	}
	info.Auth = identity.Auth{Method: res.Method, SignatureVersion: res.SignatureVersion,
		Region: res.Region, Service: res.Service, SignedAt: res.SignedAt}
	ctx := r.Context()
	if res.Anonymous || resolved == nil {
		info.Principal = &identity.Principal{Kind: identity.Anonymous}
	} else {
		info.Principal = resolved.Principal
		if resolved.Session != nil {
			ctx = principals.WithSession(ctx, resolved.Session)
		} else {
			region := res.Region
			if region == "" {
				region = "us-east-1"
			}
			svc := res.Service
			if svc == "" {
				svc = "s3"
			}
			s.keyUse.note(ctx, res.AccessKeyID, svc, region, start)
		}
	}
	if res.Service != "" {
		service = res.Service
	}
	r.Body = res.Body
	r.ContentLength = res.ContentLength
	r.Trailer = res.Trailer
	r = r.WithContext(identity.With(ctx, info))

	switch {
	case service == "s3":
		s.s3.ServeHTTP(rec, r)
	case service == "iam" && !res.Anonymous:
		s.iam.ServeHTTP(rec, r)
		// Identity-side policies may have changed: recheck cached ones.
		s.policySrc.gen.Add(1)
	case service == "sts" && !res.Anonymous && s.sts != nil:
		s.sts.ServeHTTP(rec, r)
	case service == "ec2" && !res.Anonymous:
		s.ec2.ServeHTTP(rec, r)
	case service == "iam" || service == "sts" || service == "ec2":
		s.writeError(rec, r, service, info, awserr.New(awserr.MissingAuthenticationTok, "Request is missing Authentication Token"))
	default:
		// Fail closed: a service we do not serve is never waved through.
		s.writeError(rec, r, service, info, awserr.Newf(awserr.InvalidAction,
			"crossbucket does not serve the %q service", service))
	}
}

// writeError writes err in the wire format of service.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, service string, info *identity.Request, err error) {
	e := awserr.From(err)
	if e.Code.Status >= 500 {
		s.log.Error("request failed", "request_id", info.ID, "err", e)
	}
	switch service {
	case "iam":
		awserr.WriteQuery(w, e, "https://iam.amazonaws.com/doc/2010-05-08/", info.ID)
	case "sts":
		awserr.WriteQuery(w, e, "https://sts.amazonaws.com/doc/2011-06-15/", info.ID)
	case "ec2":
		ec2api.WriteError(w, e, info.ID)
	default:
		awserr.WriteS3(w, r, e, info.ID, info.HostID)
	}
}

// scopeService reads the service of the credential scope without verifying
// anything, only to choose the wire format of an authentication error.
func scopeService(r *http.Request) string {
	cred := r.URL.Query().Get("X-Amz-Credential")
	if a := r.Header.Get("Authorization"); cred == "" && strings.HasPrefix(a, "AWS4-HMAC-SHA256 ") {
		if i := strings.Index(a, "Credential="); i >= 0 {
			cred = a[i+len("Credential="):]
			if j := strings.IndexAny(cred, ", "); j >= 0 {
				cred = cred[:j]
			}
		}
	}
	parts := strings.Split(cred, "/")
	if len(parts) == 5 {
		return parts[3]
	}
	return "s3"
}

func (s *Server) logRequest(r *http.Request, info *identity.Request, status int, start time.Time) {
	if !s.log.Enabled(r.Context(), slog.LevelInfo) {
		return
	}
	who := "anonymous"
	if info.Principal != nil && info.Principal.ARN != "" {
		who = info.Principal.ARN
	}
	// The query string is never logged: presigned URLs carry signatures and tokens in it.
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("request_id", info.ID), slog.String("method", r.Method),
		slog.String("path", r.URL.EscapedPath()), slog.Int("status", status),
		slog.String("principal", who), slog.Duration("took", s.cfg.Now().Sub(start)))
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}

func newHostID() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// statusRecorder remembers the status written, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
