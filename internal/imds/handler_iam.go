package imds

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

// assumeRoleUnauthorized is the code iam/info and the credentials item
// carry when the role's trust policy does not let EC2 assume it ("Troubleshoot
// IAM and Amazon EC2": "AssumeRoleUnauthorizedAccess").
const assumeRoleUnauthorized = "AssumeRoleUnauthorizedAccess"

// serveIAM serves iam/… (rest is the path below iam/). Without an instance
// profile every iam item is 404.
func (h *handler) serveIAM(ctx context.Context, w http.ResponseWriter, r *http.Request, inst *store.Instance, rest string, dir bool, delivery string, now time.Time) {
	if inst.Profile == nil {
		writeStatus(w, r, http.StatusNotFound)
		return
	}
	prof, err := LookupProfileARN(ctx, h.m.cfg.IAM, inst.AccountID, inst.Profile.ProfileARN)
	if errors.Is(err, ErrNoProfile) {
		writeStatus(w, r, http.StatusNotFound)
		return
	}
	if err != nil {
		h.m.log.Error("imds: load instance profile", "instance", h.id, "err", err)
		writeStatus(w, r, http.StatusInternalServerError)
		return
	}
	trusted := prof.Role != nil && TrustsEC2(prof.Role, prof.RoleARN, h.m.policies)
	switch rest {
	case "":
		writeText(w, r, "info\nsecurity-credentials/")
	case "info":
		if prof.Role != nil && !trusted {
			writeText(w, r, h.unauthorizedDoc(prof, now))
			return
		}
		writeText(w, r, jsonDoc([]field{
			{"Code", "Success"},
			{"LastUpdated", h.lastUpdated(now)},
			{"InstanceProfileArn", prof.ARN},
			{"InstanceProfileId", prof.ID},
		}))
	case "security-credentials":
		if prof.Role == nil {
			writeStatus(w, r, http.StatusNotFound)
			return
		}
		writeText(w, r, prof.Role.Name)
	default:
		name, ok := strings.CutPrefix(rest, "security-credentials/")
		if !ok || prof.Role == nil || name != prof.Role.Name || dir {
			writeStatus(w, r, http.StatusNotFound)
			return
		}
		if !trusted {
			writeText(w, r, h.unauthorizedDoc(prof, now))
			return
		}
		h.serveCredentials(ctx, w, r, inst, prof, delivery, now)
	}
}

// lastUpdated is when the credentials served were issued, or now.
func (h *handler) lastUpdated(now time.Time) time.Time {
	h.creds.mu.Lock()
	defer h.creds.mu.Unlock()
	if h.creds.creds != nil {
		return h.creds.updated
	}
	return now
}

// unauthorizedDoc is what the metadata service answers when EC2 cannot
// assume the profile's role.
func (h *handler) unauthorizedDoc(prof *Profile, now time.Time) string {
	return jsonDoc([]field{
		{"Code", assumeRoleUnauthorized},
		{"Message", "EC2 cannot assume the role " + prof.Role.Name + ".  Please see documentation at https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_iam-ec2.html."},
		{"LastUpdated", now},
	})
}

// serveCredentials answers iam/security-credentials/ROLE with the role
// session credentials of the instance, issuing new ones when due.
func (h *handler) serveCredentials(ctx context.Context, w http.ResponseWriter, r *http.Request, inst *store.Instance, prof *Profile, delivery string, now time.Time) {
	key := prof.RoleARN + "\x00" + inst.Profile.ID + "\x00" + delivery
	creds, updated, err := h.creds.get(key, now, func() (*Credentials, error) {
		return h.m.cfg.Credentials.IssueForInstance(ctx, &SessionRequest{
			RoleARN: prof.RoleARN, RoleID: prof.Role.ID, AccountID: prof.Role.AccountID,
			InstanceID: inst.ID, InstanceARN: InstanceARN(inst.Region, inst.AccountID, inst.ID),
			Region: inst.Region, PrivateIPv4: inst.PrivateIP, VPC: inst.VPCID,
			RoleDelivery: delivery, Duration: CredentialLifetime,
		})
	})
	if err != nil {
		// Never log the credentials; the error carries none.
		h.m.log.Error("imds: issue role credentials", "instance", h.id, "role", prof.RoleARN, "err", err)
		writeStatus(w, r, http.StatusInternalServerError)
		return
	}
	writeText(w, r, jsonDoc([]field{
		{"Code", "Success"},
		{"LastUpdated", updated},
		{"Type", "AWS-HMAC"},
		{"AccessKeyId", creds.AccessKeyID},
		{"SecretAccessKey", creds.SecretAccessKey},
		{"Token", creds.SessionToken},
		{"Expiration", creds.Expiration},
	}))
}

// InstanceARN is arn:aws:ec2:REGION:ACCOUNT:instance/ID.
func InstanceARN(region, accountID, id string) string {
	return "arn:aws:ec2:" + region + ":" + accountID + ":instance/" + id
}
