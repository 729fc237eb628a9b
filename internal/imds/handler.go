package imds

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

// Request headers of IMDSv2.
const (
	headerTTL   = "X-Aws-Ec2-Metadata-Token-Ttl-Seconds"
	headerToken = "X-Aws-Ec2-Metadata-Token"
	tokenPath   = "/latest/api/token"
)

// handler serves the metadata of one instance.
type handler struct {
	m     *Manager
	id    string
	creds credCache
}

// ServeHTTP implements the metadata service for h's instance.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Server", "EC2ws")
	if r.URL.Path == tokenPath {
		h.serveToken(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeStatus(w, r, http.StatusMethodNotAllowed)
		return
	}
	ctx := r.Context()
	inst, ok := h.instance(ctx, w, r)
	if !ok {
		return
	}
	now := h.m.now()
	delivery := "1.0"
	if tok, sent := r.Header[headerToken]; sent {
		// A token that is sent must be valid, even where IMDSv1 is allowed.
		exp, valid := h.m.key.check(h.id, strings.Join(tok, ""), now)
		if !valid {
			writeStatus(w, r, http.StatusUnauthorized)
			return
		}
		w.Header().Set(headerTTL, strconv.FormatInt(int64(exp.Sub(now)/time.Second), 10))
		delivery = "2.0"
	} else if inst.Metadata.HTTPTokens != "optional" {
		// IMDSv2 required: no token, no metadata.
		writeStatus(w, r, http.StatusUnauthorized)
		return
	}
	h.route(ctx, w, r, inst, delivery, now)
}

// serveToken answers PUT /latest/api/token.
func (h *handler) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		writeStatus(w, r, http.StatusMethodNotAllowed)
		return
	}
	// IMDSv2 issues no token to a request that went through a proxy.
	if _, ok := r.Header["X-Forwarded-For"]; ok {
		writeStatus(w, r, http.StatusForbidden)
		return
	}
	ttl, err := strconv.Atoi(strings.TrimSpace(r.Header.Get(headerTTL)))
	if err != nil || ttl < MinTokenTTL || ttl > MaxTokenTTL {
		writeStatus(w, r, http.StatusBadRequest)
		return
	}
	if _, ok := h.instance(r.Context(), w, r); !ok {
		return
	}
	tok, err := h.m.key.issue(h.id, h.m.now().Add(time.Duration(ttl)*time.Second))
	if err != nil {
		h.m.log.Error("imds: issue token", "instance", h.id, "err", err)
		writeStatus(w, r, http.StatusInternalServerError)
		return
	}
	w.Header().Set(headerTTL, strconv.Itoa(ttl))
	writeText(w, r, tok)
}

// instance loads h's instance; one that is gone or not running answers 404.
func (h *handler) instance(ctx context.Context, w http.ResponseWriter, r *http.Request) (*store.Instance, bool) {
	inst, err := h.m.cfg.Store.GetInstance(ctx, h.id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.m.log.Error("imds: load instance", "instance", h.id, "err", err)
		writeStatus(w, r, http.StatusInternalServerError)
		return nil, false
	}
	if err != nil || (inst.State != store.InstanceRunning && inst.State != store.InstancePending) {
		writeStatus(w, r, http.StatusNotFound)
		return nil, false
	}
	if inst.Metadata.HTTPEndpoint == "disabled" {
		writeStatus(w, r, http.StatusForbidden)
		return nil, false
	}
	return inst, true
}

// route serves one metadata path.
func (h *handler) route(ctx context.Context, w http.ResponseWriter, r *http.Request, inst *store.Instance, delivery string, now time.Time) {
	p := r.URL.Path
	dir := strings.HasSuffix(p, "/")
	p = strings.TrimSuffix(p, "/")
	switch p {
	case "":
		writeText(w, r, "latest")
		return
	case "/latest":
		writeText(w, r, "dynamic\nmeta-data")
		return
	case "/latest/dynamic":
		writeText(w, r, "instance-identity/")
		return
	case "/latest/dynamic/instance-identity":
		writeText(w, r, "document")
		return
	case "/latest/dynamic/instance-identity/document":
		writeText(w, r, identityDocument(inst))
		return
	}
	rest, ok := strings.CutPrefix(p, "/latest/meta-data")
	if !ok || (rest != "" && rest[0] != '/') {
		writeStatus(w, r, http.StatusNotFound)
		return
	}
	rest = strings.TrimPrefix(rest, "/")
	if rest == "iam" || strings.HasPrefix(rest, "iam/") {
		h.serveIAM(ctx, w, r, inst, strings.TrimPrefix(strings.TrimPrefix(rest, "iam"), "/"), dir, delivery, now)
		return
	}
	if rest == "tags" || strings.HasPrefix(rest, "tags/") {
		serveTags(w, r, inst, rest)
		return
	}
	if rest == "" {
		writeText(w, r, listing(inst, inst.Profile != nil))
		return
	}
	if v, ok := metadataItems(inst)[rest]; ok {
		writeText(w, r, v)
		return
	}
	writeStatus(w, r, http.StatusNotFound)
}

// metadataItems are the plain items under /latest/meta-data/.
func metadataItems(inst *store.Instance) map[string]string {
	host := hostname(inst)
	return map[string]string{
		"ami-id":                      inst.ImageID,
		"ami-launch-index":            strconv.Itoa(inst.LaunchIndex),
		"hostname":                    host,
		"instance-id":                 inst.ID,
		"instance-life-cycle":         "on-demand",
		"instance-type":               inst.InstanceType,
		"local-hostname":              host,
		"local-ipv4":                  inst.PrivateIP,
		"placement":                   "availability-zone\nregion",
		"placement/availability-zone": AvailabilityZone(inst.Region),
		"placement/region":            inst.Region,
		"reservation-id":              inst.ReservationID,
		"security-groups":             "default",
	}
}

// listing is the /latest/meta-data/ listing: items, and directories with
// a trailing slash, in name order.
func listing(inst *store.Instance, profile bool) string {
	names := []string{"ami-id", "ami-launch-index", "hostname", "instance-id", "instance-life-cycle",
		"instance-type", "local-hostname", "local-ipv4", "placement/", "reservation-id", "security-groups"}
	if profile {
		names = append(names, "iam/")
	}
	if inst.Metadata.Tags == "enabled" {
		names = append(names, "tags/")
	}
	sort.Strings(names)
	return strings.Join(names, "\n")
}

// AvailabilityZone is the zone every emulated instance of a region is in.
func AvailabilityZone(region string) string { return region + "a" }

// hostname is the instance's private DNS name.
func hostname(inst *store.Instance) string {
	ip := "ip-" + strings.ReplaceAll(inst.PrivateIP, ".", "-")
	if inst.Region == "us-east-1" {
		return ip + ".ec2.internal"
	}
	return ip + "." + inst.Region + ".compute.internal"
}

// serveTags serves tags/instance/ when instance metadata tags are enabled.
func serveTags(w http.ResponseWriter, r *http.Request, inst *store.Instance, rest string) {
	if inst.Metadata.Tags != "enabled" {
		writeStatus(w, r, http.StatusNotFound)
		return
	}
	switch rest {
	case "tags":
		writeText(w, r, "instance/")
		return
	case "tags/instance":
		keys := make([]string, 0, len(inst.Tags))
		for _, t := range inst.Tags {
			keys = append(keys, t.Key)
		}
		sort.Strings(keys)
		writeText(w, r, strings.Join(keys, "\n"))
		return
	}
	key := strings.TrimPrefix(rest, "tags/instance/")
	for _, t := range inst.Tags {
		if t.Key == key && key != rest {
			writeText(w, r, t.Value)
			return
		}
	}
	writeStatus(w, r, http.StatusNotFound)
}

// identityDocument is /latest/dynamic/instance-identity/document.
func identityDocument(inst *store.Instance) string {
	arch := inst.Architecture
	if arch == "" {
		arch = "x86_64"
	}
	return jsonDoc([]field{
		{"accountId", inst.AccountID},
		{"architecture", arch},
		{"availabilityZone", AvailabilityZone(inst.Region)},
		{"billingProducts", nil},
		{"devpayProductCodes", nil},
		{"marketplaceProductCodes", nil},
		{"imageId", inst.ImageID},
		{"instanceId", inst.ID},
		{"instanceType", inst.InstanceType},
		{"kernelId", nil},
		{"pendingTime", inst.LaunchTime},
		{"privateIp", inst.PrivateIP},
		{"ramdiskId", nil},
		{"region", inst.Region},
		{"version", "2017-09-30"},
	})
}
