package ec2api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/imds"
	"github.com/crossbucket/crossbucket/internal/store"
)

// meta is embedded first in every response: the namespace and requestId.
type meta struct {
	Xmlns     string `xml:"xmlns,attr"`
	RequestID string `xml:"requestId"`
}

func (m *meta) setMeta(id string) { m.Xmlns, m.RequestID = Namespace, id }

type metaSetter interface{ setMeta(id string) }

func setRequestID(res any, id string) {
	if m, ok := res.(metaSetter); ok {
		m.setMeta(id)
	}
}

// writeResult writes a response document.
func writeResult(w http.ResponseWriter, res any) {
	var b strings.Builder
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).Encode(res); err != nil {
		WriteError(w, awserr.Internal(err), "")
		return
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.String()))
}

// ec2Time is EC2's timestamp format.
func ec2Time(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type stateXML struct {
	Code int    `xml:"code"`
	Name string `xml:"name"`
}

func state(name string) stateXML { return stateXML{Code: store.InstanceStateCode(name), Name: name} }

type tagXML struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

type profileXML struct {
	ARN string `xml:"arn"`
	ID  string `xml:"id"`
}

type groupXML struct {
	GroupID   string `xml:"groupId"`
	GroupName string `xml:"groupName"`
}

type placementXML struct {
	AvailabilityZone string `xml:"availabilityZone"`
	GroupName        string `xml:"groupName"`
	Tenancy          string `xml:"tenancy"`
}

type stateReasonXML struct {
	Code    string `xml:"code"`
	Message string `xml:"message"`
}

type metadataXML struct {
	State                   string `xml:"state"`
	HTTPTokens              string `xml:"httpTokens"`
	HTTPPutResponseHopLimit int    `xml:"httpPutResponseHopLimit"`
	HTTPEndpoint            string `xml:"httpEndpoint"`
	HTTPProtocolIPv6        string `xml:"httpProtocolIpv6"`
	InstanceMetadataTags    string `xml:"instanceMetadataTags"`
}

// instanceXML is the Instance shape (locationNames of the EC2 model).
type instanceXML struct {
	InstanceID         string          `xml:"instanceId"`
	ImageID            string          `xml:"imageId"`
	State              stateXML        `xml:"instanceState"`
	PrivateDNSName     string          `xml:"privateDnsName"`
	DNSName            string          `xml:"dnsName"`
	Reason             string          `xml:"reason"`
	AmiLaunchIndex     int             `xml:"amiLaunchIndex"`
	ProductCodes       string          `xml:"productCodes"`
	InstanceType       string          `xml:"instanceType"`
	LaunchTime         string          `xml:"launchTime"`
	Placement          placementXML    `xml:"placement"`
	Monitoring         string          `xml:"monitoring>state"`
	SubnetID           string          `xml:"subnetId,omitempty"`
	VPCID              string          `xml:"vpcId,omitempty"`
	PrivateIPAddress   string          `xml:"privateIpAddress,omitempty"`
	SourceDestCheck    bool            `xml:"sourceDestCheck"`
	Groups             []groupXML      `xml:"groupSet>item"`
	StateReason        *stateReasonXML `xml:"stateReason,omitempty"`
	Architecture       string          `xml:"architecture"`
	RootDeviceType     string          `xml:"rootDeviceType"`
	RootDeviceName     string          `xml:"rootDeviceName"`
	BlockDeviceMapping string          `xml:"blockDeviceMapping"`
	VirtualizationType string          `xml:"virtualizationType"`
	ClientToken        string          `xml:"clientToken"`
	Tags               []tagXML        `xml:"tagSet>item,omitempty"`
	Hypervisor         string          `xml:"hypervisor"`
	IAMInstanceProfile *profileXML     `xml:"iamInstanceProfile,omitempty"`
	EbsOptimized       bool            `xml:"ebsOptimized"`
	EnaSupport         bool            `xml:"enaSupport"`
	MetadataOptions    metadataXML     `xml:"metadataOptions"`
	PlatformDetails    string          `xml:"platformDetails"`
	UsageOperation     string          `xml:"usageOperation"`
}

// instanceView renders an instance; st overrides its state name when set
// (RunInstances answers "pending").
func instanceView(inst *store.Instance, st string) instanceXML {
	if st == "" {
		st = inst.State
	}
	x := instanceXML{
		InstanceID: inst.ID, ImageID: inst.ImageID, State: state(st),
		PrivateDNSName: privateDNS(inst), AmiLaunchIndex: inst.LaunchIndex, InstanceType: inst.InstanceType,
		LaunchTime: ec2Time(inst.LaunchTime),
		Placement:  placementXML{AvailabilityZone: imds.AvailabilityZone(inst.Region), Tenancy: "default"},
		Monitoring: "disabled", SubnetID: inst.SubnetID, VPCID: inst.VPCID, PrivateIPAddress: inst.PrivateIP,
		SourceDestCheck: true, Groups: []groupXML{{GroupID: derivedID("sg-", inst.AccountID, inst.Region, "default-sg"), GroupName: "default"}},
		Architecture: inst.Architecture, RootDeviceType: "ebs", RootDeviceName: "/dev/xvda",
		VirtualizationType: "hvm", ClientToken: inst.ClientToken, Hypervisor: "xen", EnaSupport: true,
		MetadataOptions: metadataXML{State: "applied", HTTPTokens: inst.Metadata.HTTPTokens,
			HTTPPutResponseHopLimit: inst.Metadata.HopLimit, HTTPEndpoint: inst.Metadata.HTTPEndpoint,
			HTTPProtocolIPv6: "disabled", InstanceMetadataTags: inst.Metadata.Tags},
		PlatformDetails: "Linux/UNIX", UsageOperation: "RunInstances",
	}
	if st == store.InstancePending {
		x.MetadataOptions.State = "pending"
	}
	if inst.State == store.InstanceTerminated {
		x.PrivateDNSName, x.Groups = "", nil
		x.Reason = "User initiated (" + inst.StateChangedAt.UTC().Format("2006-01-02 15:04:05") + " GMT)"
		x.StateReason = &stateReasonXML{Code: "Client.UserInitiatedShutdown", Message: "Client.UserInitiatedShutdown: User initiated shutdown"}
	}
	for _, t := range inst.Tags {
		x.Tags = append(x.Tags, tagXML(t))
	}
	if inst.Profile != nil {
		x.IAMInstanceProfile = &profileXML{ARN: inst.Profile.ProfileARN, ID: inst.Profile.ProfileID}
	}
	return x
}

// privateDNS is the instance's private DNS name ("ip-10-0-0-1.ec2.internal").
func privateDNS(inst *store.Instance) string {
	if inst.PrivateIP == "" {
		return ""
	}
	host := "ip-" + strings.ReplaceAll(inst.PrivateIP, ".", "-")
	if inst.Region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + inst.Region + ".compute.internal"
}

// derivedID is a stable id for the account's default VPC resources of a
// region: prefix + 17 hex digits.
func derivedID(prefix, account, region, kind string) string {
	h := sha256.Sum256([]byte(account + "\x00" + region + "\x00" + kind))
	return prefix + hex.EncodeToString(h[:])[:17]
}

type reservationXML struct {
	ReservationID string        `xml:"reservationId"`
	OwnerID       string        `xml:"ownerId"`
	Groups        string        `xml:"groupSet"`
	Instances     []instanceXML `xml:"instancesSet>item"`
}

type runInstancesResponse struct {
	XMLName xml.Name `xml:"RunInstancesResponse"`
	meta
	reservationXML
}

type describeInstancesResponse struct {
	XMLName xml.Name `xml:"DescribeInstancesResponse"`
	meta
	Reservations []reservationXML `xml:"reservationSet>item"`
	NextToken    string           `xml:"nextToken,omitempty"`
}

type stateChangeXML struct {
	InstanceID    string   `xml:"instanceId"`
	CurrentState  stateXML `xml:"currentState"`
	PreviousState stateXML `xml:"previousState"`
}

type terminateInstancesResponse struct {
	XMLName xml.Name `xml:"TerminateInstancesResponse"`
	meta
	Instances []stateChangeXML `xml:"instancesSet>item"`
}

type associationXML struct {
	AssociationID      string     `xml:"associationId"`
	InstanceID         string     `xml:"instanceId"`
	IAMInstanceProfile profileXML `xml:"iamInstanceProfile"`
	State              string     `xml:"state"`
	Timestamp          string     `xml:"timestamp,omitempty"`
}

func associationView(instanceID string, a *store.ProfileAssociation, st string, withTime bool) associationXML {
	x := associationXML{AssociationID: a.ID, InstanceID: instanceID,
		IAMInstanceProfile: profileXML{ARN: a.ProfileARN, ID: a.ProfileID}, State: st}
	if withTime {
		x.Timestamp = ec2Time(a.At)
	}
	return x
}

type associateResponse struct {
	XMLName xml.Name
	meta
	Association associationXML `xml:"iamInstanceProfileAssociation"`
}

type describeAssociationsResponse struct {
	XMLName xml.Name `xml:"DescribeIamInstanceProfileAssociationsResponse"`
	meta
	Associations []associationXML `xml:"iamInstanceProfileAssociationSet>item"`
	NextToken    string           `xml:"nextToken,omitempty"`
}
