package stsapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
)

// A realistic session policy at the 2,048-character limit and 50 ordinary
// tags must fit the packed budgets; incompressible inputs must not.
func TestPackedBudgets(t *testing.T) {
	var stmts []any
	for i := 0; ; i++ {
		stmts = append(stmts, map[string]any{
			"Sid": fmt.Sprintf("ReadBucket%d", i), "Effect": "Allow",
			"Action":   []string{"s3:GetObject", "s3:ListBucket", "s3:GetObjectVersion"},
			"Resource": []string{fmt.Sprintf("arn:aws:s3:::team-data-%d", i), fmt.Sprintf("arn:aws:s3:::team-data-%d/*", i)},
		})
		b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
		if len(b) > 2048 {
			stmts = stmts[:len(stmts)-1]
			break
		}
	}
	doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	arns := []string{"arn:aws:iam::111122223333:policy/a", "arn:aws:iam::111122223333:policy/b"}
	var tags []sessiontoken.Tag
	for i := range 50 {
		tags = append(tags, sessiontoken.Tag{Key: fmt.Sprintf("cost-center-%02d", i), Value: fmt.Sprintf("department/engineering/team-%d", i)})
	}
	size, err := checkPacked(string(doc), arns, tags)
	if err != nil || size < 1 || size > 100 {
		t.Fatalf("realistic %d-char policy and 50 tags: size %d, %v", len(doc), size, err)
	}

	var big []sessiontoken.Tag
	for i := range 50 {
		big = append(big, sessiontoken.Tag{Key: randomish(i, 128), Value: randomish(i+500, 256)})
	}
	if _, err := checkPacked("", nil, big); !awserr.Is(err, awserr.PackedPolicyTooLarge) ||
		!strings.HasPrefix(awserr.From(err).Msg(), "Packed size of session tags consumes ") {
		t.Fatalf("maximal random tags: %v", err)
	}
	if pp, tp := packedSizes("", nil, nil); pp != 0 || tp != 0 {
		t.Fatalf("empty inputs: %d %d", pp, tp)
	}
}

func TestIsText(t *testing.T) {
	for s, want := range map[string]bool{"": false, "abc": true, "a\tb\nc\r": true, "\x00": false, "\x7f": false,
		"\u0085": true, "\u0090": false, "é€😀": true, "\xff": false, "\ufffe": false} {
		if isText(s) != want {
			t.Errorf("isText(%q) = %v", s, !want)
		}
	}
}
