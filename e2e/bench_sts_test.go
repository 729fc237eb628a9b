package e2e

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// BenchmarkSTS measures AssumeRole calls/s through the SDK over loopback,
// and the cost of a request authenticated with session credentials beside
// the same request with long-term keys, in one run.
//
//	go test ./e2e -run '^$' -bench STS -benchtime 2s
func BenchmarkSTS(b *testing.B) {
	e := Start(b)
	a := e.Account(b)
	ctx := context.Background()
	rk := rootKeys(a)
	role := "arn:aws:iam::" + a.AccountID + ":role/bench"
	if _, err := e.IAM(rk).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}); err != nil {
		b.Fatal(err)
	}
	if _, err := e.IAM(rk).PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","s3:*"],"Resource":"*"}]}`)}); err != nil {
		b.Fatal(err)
	}
	k, err := e.IAM(rk).CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("u")})
	if err != nil {
		b.Fatal(err)
	}
	uk := keys{*k.AccessKey.AccessKeyId, *k.AccessKey.SecretAccessKey, ""}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + a.AccountID + `:root"},"Action":"sts:AssumeRole"}]}`
	if _, err := e.IAM(rk).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bench"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		b.Fatal(err)
	}
	if _, err := e.IAM(rk).PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("bench"), PolicyName: aws.String("s3"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)}); err != nil {
		b.Fatal(err)
	}
	if _, err := e.S3Keys(rk).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench-sts")}); err != nil {
		b.Fatal(err)
	}
	out, err := e.STS(uk).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	sk := keys{*out.Credentials.AccessKeyId, *out.Credentials.SecretAccessKey, *out.Credentials.SessionToken}

	b.Run("AssumeRole", func(b *testing.B) {
		c := e.STS(uk)
		for b.Loop() {
			if _, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("bench")}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	})
	for _, tc := range []struct {
		name string
		k    keys
	}{{"HeadBucket/long-term-user-key", uk}, {"HeadBucket/role-session", sk}} {
		b.Run(tc.name, func(b *testing.B) {
			c := e.S3Keys(tc.k)
			for b.Loop() {
				if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("bench-sts")}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
