package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestAccessKeyLastUsed: GetAccessKeyLastUsed answers N/A for a new key,
// then the service, region and date of its use.
func TestAccessKeyLastUsed(t *testing.T) {
	e := Start(t)
	a := e.Account(t)
	ctx := context.Background()
	c := e.IAM(rootKeys(a))
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}); err != nil {
		t.Fatal(err)
	}
	k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("u")})
	if err != nil {
		t.Fatal(err)
	}
	id := k.AccessKey.AccessKeyId
	out, err := c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: id})
	if err != nil || *out.AccessKeyLastUsed.ServiceName != "N/A" || out.AccessKeyLastUsed.LastUsedDate != nil {
		t.Fatalf("unused key: %+v %v", out, err)
	}
	before := time.Now().Add(-time.Second)
	uk := keys{*id, *k.AccessKey.SecretAccessKey, ""}
	// Denied (no policy), but the key was used all the same.
	_, _ = s3.NewFromConfig(e.cfg(uk), func(o *s3.Options) {
		o.BaseEndpoint = aws.String(e.HTTP.URL)
		o.UsePathStyle = true
		o.Region = "eu-west-1"
	}).ListBuckets(ctx, &s3.ListBucketsInput{})
	out, err = c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: id})
	if err != nil {
		t.Fatal(err)
	}
	lu := out.AccessKeyLastUsed
	if *lu.ServiceName != "s3" || *lu.Region != "eu-west-1" || lu.LastUsedDate == nil || lu.LastUsedDate.Before(before) || *out.UserName != "u" {
		t.Fatalf("used key: service %v region %v date %v", *lu.ServiceName, *lu.Region, lu.LastUsedDate)
	}
}
