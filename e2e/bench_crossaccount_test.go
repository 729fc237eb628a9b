package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// BenchmarkCrossAccountGet measures GetObject of 1 KiB as a role session
// of another account allowed by the bucket policy, beside the bucket
// owner's root and a bare net/http baseline, in one run:
//
//	go test ./e2e -run '^$' -bench CrossAccountGet -benchtime 2s
func BenchmarkCrossAccountGet(b *testing.B) {
	e := Start(b)
	a, other := e.Account(b), e.Account(b)
	ctx := context.Background()
	owner := e.S3(a)
	if _, err := owner.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("xbench")}); err != nil {
		b.Fatal(err)
	}
	body := bytes.Repeat([]byte("x"), 1<<10)
	if _, err := owner.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("xbench"), Key: aws.String("k"), Body: bytes.NewReader(body)}); err != nil {
		b.Fatal(err)
	}
	ok := rootKeys(other)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + other.AccountID + `:root"},"Action":"sts:AssumeRole"}]}`
	role, err := e.IAM(ok).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("xreader"), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.IAM(ok).AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("xreader"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")}); err != nil {
		b.Fatal(err)
	}
	pol := allowPolicy("xbench", aws.ToString(role.Role.Arn), `"s3:GetObject"`)
	if _, err := owner.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("xbench"), Policy: aws.String(pol)}); err != nil {
		b.Fatal(err)
	}
	// Roles may not be assumed by root users: an IAM user of the account assumes it.
	ic := e.IAM(ok)
	if _, err := ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("assumer")}); err != nil {
		b.Fatal(err)
	}
	if _, err := ic.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("assumer"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)}); err != nil {
		b.Fatal(err)
	}
	key, err := ic.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("assumer")})
	if err != nil {
		b.Fatal(err)
	}
	uk := keys{aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), ""}
	cred, err := e.STS(uk).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("bench-session")})
	if err != nil {
		b.Fatal(err)
	}
	sess := e.S3Keys(keys{aws.ToString(cred.Credentials.AccessKeyId), aws.ToString(cred.Credentials.SecretAccessKey), aws.ToString(cred.Credentials.SessionToken)})

	base := httptest.NewServer(baselineHandler())
	defer base.Close()
	bc := e.s3(base.URL, http.DefaultClient, a)
	if _, err := bc.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("xbench"), Key: aws.String("k"), Body: bytes.NewReader(body)}); err != nil {
		b.Fatal(err)
	}
	for _, target := range []struct {
		name string
		c    *s3.Client
	}{{"baseline", bc}, {"owner-root", owner}, {"cross-account-role", sess}} {
		b.Run(target.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				out, err := target.c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("xbench"), Key: aws.String("k")})
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, out.Body)
				out.Body.Close()
				if n != int64(len(body)) {
					b.Fatalf("read %d bytes", n)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
}
