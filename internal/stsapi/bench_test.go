package stsapi

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// BenchmarkGetCallerIdentity measures a whole signed STS request through
// the SDK, the listener, SigV4 verification and principal resolution, with
// session credentials (sealed token) and with a cached long-term key, in
// the same run.
func BenchmarkGetCallerIdentity(b *testing.B) {
	b.Setenv("AWS_CA_BUNDLE", "")
	e := newEnv(b)
	role := e.addRole(acctA, "/", "bench", trust(aliceARN, nil), 0, nil)
	out, err := e.client(e.alice).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role.ARN), RoleSessionName: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		c    cred
	}{{"session", credOf(out.Credentials)}, {"long-term-cached", e.alice}} {
		client := e.client(tc.c)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
