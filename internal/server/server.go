// Package server wires the API packages behind one listener: it gives each
// request an id, verifies its signature, resolves its principal, routes it
// by service and logs it. Only this package and cmd/ know concrete stores.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/crossbucket/crossbucket/internal/audit"
	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/blob"
	"github.com/crossbucket/crossbucket/internal/ec2api"
	"github.com/crossbucket/crossbucket/internal/iamapi"
	"github.com/crossbucket/crossbucket/internal/iamapi/iamdata"
	"github.com/crossbucket/crossbucket/internal/imds"
	"github.com/crossbucket/crossbucket/internal/principals"
	"github.com/crossbucket/crossbucket/internal/s3api"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
	"github.com/crossbucket/crossbucket/internal/store"
	"github.com/crossbucket/crossbucket/internal/stsapi"
)

// Config configures a Server.
type Config struct {
	Store store.Store
	Blobs blob.Store
	// Ring seals and opens STS session tokens (required for STS).
	Ring *sessiontoken.Ring
	// Authz overrides the policy-engine authorizer (tests only).
	Authz  authz.Authorizer
	Logger *slog.Logger
	// Domains are the base hosts for virtual-hosted-style S3 requests
	// (bucket.DOMAIN). "localhost" when empty.
	Domains []string
	// Audit, when set, records every authorization decision.
	Audit *audit.Log
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Server is the crossbucket HTTP front end.
type Server struct {
	cfg       Config
	log       *slog.Logger
	resolver  *principals.Resolver
	iamRead   *iamdata.Reader
	policySrc *policySources
	keyUse    *keyUse
	s3        *s3api.API
	iam       *iamapi.API
	sts       *stsapi.API
	ec2       *ec2api.API
	metadata  *imds.Manager
}

// New builds a Server.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if len(cfg.Domains) == 0 {
		cfg.Domains = []string{"localhost"}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, log: cfg.Logger}
	s.iamRead = iamdata.New(cfg.Store)
	s.policySrc = newPolicySources(cfg.Store, s.iamRead, cfg.Now)
	s.keyUse = newKeyUse(cfg.Store, cfg.Logger)
	if cfg.Authz == nil {
		cfg.Authz = authz.NewPolicies(s.policySrc, cfg.Logger)
	}
	if cfg.Audit != nil {
		cfg.Authz = &audit.Authorizer{Next: cfg.Authz, Log: cfg.Audit}
	}
	s.cfg = cfg
	s.resolver = principals.New(principals.Config{Accounts: cfg.Store, Users: iamUsers{cfg.Store}, Ring: cfg.Ring, Now: cfg.Now})
	s.s3 = s3api.New(s3api.Config{
		Store: cfg.Store, Blobs: cfg.Blobs, Authz: cfg.Authz,
		Domains: cfg.Domains, Logger: cfg.Logger, Now: cfg.Now,
	})
	s.iam = iamapi.New(iamapi.Config{Store: cfg.Store, Authz: cfg.Authz, Logger: cfg.Logger, Now: cfg.Now,
		OnKeyChange: s.resolver.Forget})
	var md ec2api.Metadata
	if cfg.Ring != nil {
		s.sts = stsapi.New(stsapi.Config{Authz: cfg.Authz, Roles: iamRoles{s.iamRead}, Accounts: cfg.Store,
			Ring: cfg.Ring, Logger: cfg.Logger, Now: cfg.Now})
		m, err := imds.New(imds.Config{Store: cfg.Store, IAM: cfg.Store, Logger: cfg.Logger, Now: cfg.Now,
			Credentials: &instanceCredentials{ring: cfg.Ring, accounts: cfg.Store, iam: cfg.Store, now: cfg.Now}})
		if err != nil {
			cfg.Logger.Error("instance metadata disabled", "err", err)
		} else {
			s.metadata, md = m, m
		}
	}
	s.ec2 = ec2api.New(ec2api.Config{Store: cfg.Store, IAM: cfg.Store, Authz: cfg.Authz, Metadata: md, Logger: cfg.Logger, Now: cfg.Now})
	return s
}

// StartMetadata reopens the metadata endpoints of running instances (after
// a restart). Call it once before serving.
func (s *Server) StartMetadata(ctx context.Context) error {
	if s.metadata == nil {
		return nil
	}
	return s.metadata.Restore(ctx)
}

// Close stops the instance metadata endpoints.
func (s *Server) Close() error {
	if s.metadata == nil {
		return nil
	}
	return s.metadata.Close()
}

// Serve serves HTTP on ln until ctx is cancelled, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error { return s.serveOn(ctx, ln, s) }

// ServeEndpoint serves a VPC endpoint's listener until ctx is cancelled.
func (s *Server) ServeEndpoint(ctx context.Context, ln net.Listener, ep VPCEndpoint) error {
	return s.serveOn(ctx, ln, s.EndpointHandler(ep))
}

func (s *Server) serveOn(ctx context.Context, ln net.Listener, h http.Handler) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := hs.Shutdown(shCtx)
		if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
			err = e
		}
		return err
	}
}
