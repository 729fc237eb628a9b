package imds

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/store"
)

// Config configures a Manager.
type Config struct {
	// Store holds the instances; the endpoint reads the instance at every
	// request, so changes made by the EC2 API (or another process) apply at
	// once.
	Store store.EC2
	// IAM resolves instance profiles and roles (store.IAM will do).
	IAM IAM
	// Credentials issues the role credentials.
	Credentials RoleCredentials
	// Host is the address endpoints listen on; "127.0.0.1" when empty.
	Host   string
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Manager runs one metadata endpoint per running instance, each on its own
// loopback port: the SDKs build metadata URLs from the endpoint's host and
// port only (aws-sdk-go-v2's feature/ec2/imds replaces the URL path of
// every request), so an endpoint cannot live under a path prefix.
type Manager struct {
	cfg      Config
	log      *slog.Logger
	key      tokenKey
	policies *policy.Cache

	mu     sync.Mutex
	eps    map[string]*endpoint
	closed bool
}

type endpoint struct {
	url string
	srv *http.Server
	h   *handler
}

// New makes a Manager. Tokens are signed with a key made here, so tokens
// do not survive a restart (clients fetch a new one on 401).
func New(cfg Config) (*Manager, error) {
	if cfg.Store == nil || cfg.IAM == nil || cfg.Credentials == nil {
		return nil, errors.New("imds: Store, IAM and Credentials are required")
	}
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	key, err := newTokenKey()
	if err != nil {
		return nil, fmt.Errorf("imds: token key: %w", err)
	}
	return &Manager{cfg: cfg, log: cfg.Logger, key: key, policies: policy.NewCache(1024), eps: map[string]*endpoint{}}, nil
}

func (m *Manager) now() time.Time { return m.cfg.Now() }

// Handler returns an http.Handler serving the metadata of one instance at
// the root of its URL space (/latest/…). Start uses it for each endpoint.
func (m *Manager) Handler(instanceID string) http.Handler {
	return &handler{m: m, id: instanceID}
}

// Start opens the metadata endpoint of inst, unless it is open already or
// the instance's metadata endpoint is disabled, and returns its URL ("" when
// disabled). It reuses the port recorded in the store when it is free and
// records the port it opened.
func (m *Manager) Start(ctx context.Context, inst *store.Instance) (string, error) {
	if inst.Metadata.HTTPEndpoint == "disabled" {
		return "", nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return "", errors.New("imds: manager closed")
	}
	if ep, ok := m.eps[inst.ID]; ok {
		return ep.url, nil
	}
	var ln net.Listener
	var err error
	if inst.IMDSPort != 0 {
		ln, err = net.Listen("tcp", net.JoinHostPort(m.cfg.Host, strconv.Itoa(inst.IMDSPort)))
	}
	if ln == nil {
		if ln, err = net.Listen("tcp", net.JoinHostPort(m.cfg.Host, "0")); err != nil {
			return "", fmt.Errorf("imds: listen for %s: %w", inst.ID, err)
		}
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if port != inst.IMDSPort {
		_, err := m.cfg.Store.UpdateInstance(ctx, inst.ID, func(i *store.Instance) error { i.IMDSPort = port; return nil })
		if err != nil {
			ln.Close()
			return "", fmt.Errorf("imds: record port of %s: %w", inst.ID, err)
		}
		inst.IMDSPort = port
	}
	h := &handler{m: m, id: inst.ID}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(m.log.Handler(), slog.LevelDebug),
	}
	ep := &endpoint{url: "http://" + ln.Addr().String(), srv: srv, h: h}
	m.eps[inst.ID] = ep
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.log.Error("imds: endpoint stopped", "instance", inst.ID, "err", err)
		}
	}()
	m.log.Info("imds: endpoint open", "instance", inst.ID, "url", ep.url)
	return ep.url, nil
}

// Stop closes the endpoint of an instance (a no-op when none is open) and
// forgets its credentials.
func (m *Manager) Stop(instanceID string) error {
	m.mu.Lock()
	ep, ok := m.eps[instanceID]
	delete(m.eps, instanceID)
	m.mu.Unlock()
	if !ok {
		return nil
	}
	ep.h.creds.clear()
	return ep.srv.Close()
}

// Endpoint returns the URL of an instance's open endpoint.
func (m *Manager) Endpoint(instanceID string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ep, ok := m.eps[instanceID]
	if !ok {
		return "", false
	}
	return ep.url, true
}

// Restore opens the endpoints of every pending or running instance in the
// store, on the ports recorded when free (after a restart). It goes on past
// failures and returns them joined.
func (m *Manager) Restore(ctx context.Context) error {
	insts, err := m.cfg.Store.ListInstances(ctx, store.InstanceQuery{States: []string{store.InstancePending, store.InstanceRunning}})
	if err != nil {
		return fmt.Errorf("imds: restore: %w", err)
	}
	var errs []error
	for _, inst := range insts {
		if _, err := m.Start(ctx, inst); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Close closes every endpoint; Start fails afterwards.
func (m *Manager) Close() error {
	m.mu.Lock()
	eps := m.eps
	m.eps, m.closed = map[string]*endpoint{}, true
	m.mu.Unlock()
	var errs []error
	for _, ep := range eps {
		errs = append(errs, ep.srv.Close())
	}
	return errors.Join(errs...)
}
