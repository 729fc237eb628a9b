package s3acl

import (
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

func TestParsePublicAccessBlock(t *testing.T) {
	// The PutPublicAccessBlock request syntax of the API Reference, filled in.
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
   <BlockPublicAcls>true</BlockPublicAcls>
   <IgnorePublicAcls>false</IgnorePublicAcls>
   <BlockPublicPolicy>true</BlockPublicPolicy>
   <RestrictPublicBuckets>false</RestrictPublicBuckets>
</PublicAccessBlockConfiguration>`
	wrap := func(s string) string {
		return "<PublicAccessBlockConfiguration>" + s + "</PublicAccessBlockConfiguration>"
	}
	tests := []struct {
		name string
		body string
		want PublicAccessBlock
		err  *wantErr
	}{
		{name: "doc", body: doc, want: PublicAccessBlock{BlockPublicAcls: true, BlockPublicPolicy: true}},
		{name: "one setting", body: wrap("<IgnorePublicAcls>true</IgnorePublicAcls>"), want: PublicAccessBlock{IgnorePublicAcls: true}},
		{name: "all false", body: wrap("<BlockPublicAcls>false</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets>")},
		{name: "upper-case TRUE", body: wrap("<RestrictPublicBuckets>TRUE</RestrictPublicBuckets>"), want: PublicAccessBlock{RestrictPublicBuckets: true}},
		{name: "none", body: wrap(""), err: &wantErr{code: awserr.InvalidRequest, msg: "Must specify at least one configuration."}},
		{name: "bad value", body: wrap("<BlockPublicAcls>yes</BlockPublicAcls>"), err: &wantErr{code: awserr.MalformedXML}},
		{name: "empty value", body: wrap("<BlockPublicAcls></BlockPublicAcls>"), err: &wantErr{code: awserr.MalformedXML}},
		{name: "repeated", body: wrap("<BlockPublicAcls>true</BlockPublicAcls><BlockPublicAcls>true</BlockPublicAcls>"), err: &wantErr{code: awserr.MalformedXML}},
		{name: "unknown element", body: wrap("<BlockEverything>true</BlockEverything>"), err: &wantErr{code: awserr.MalformedXML}},
		{name: "wrong root", body: "<PublicAccessBlock><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlock>", err: &wantErr{code: awserr.MalformedXML}},
		{name: "empty body", body: "", err: &wantErr{code: awserr.MalformedXML}},
		{name: "not xml", body: "{}", err: &wantErr{code: awserr.MalformedXML}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePublicAccessBlock(strings.NewReader(tt.body))
			checkErr(t, err, tt.err)
			if tt.err == nil && got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPublicAccessBlockXML(t *testing.T) {
	p := PublicAccessBlock{BlockPublicAcls: true, RestrictPublicBuckets: true}
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`
	if got := PublicAccessBlockXML(p); got != want {
		t.Fatalf("got %s", got)
	}
	// Every combination round-trips, all-false included.
	for i := 0; i < 16; i++ {
		p := PublicAccessBlock{i&1 != 0, i&2 != 0, i&4 != 0, i&8 != 0}
		back, err := ParsePublicAccessBlock(strings.NewReader(PublicAccessBlockXML(p)))
		if err != nil || back != p {
			t.Errorf("%+v: %+v, %v", p, back, err)
		}
	}
}

func TestPublicAccessBlockOr(t *testing.T) {
	a := PublicAccessBlock{BlockPublicAcls: true}
	b := PublicAccessBlock{IgnorePublicAcls: true, BlockPublicAcls: false}
	if got := a.Or(b); got != (PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true}) {
		t.Errorf("Or = %+v", got)
	}
}

func TestCheckBlockPublicAcls(t *testing.T) {
	pub, _ := Canned(CannedPublicRead, ownerA, ownerB, true)
	logs, _ := Canned(CannedLogDeliveryWrite, ownerA, ownerB, false)
	block := PublicAccessBlock{BlockPublicAcls: true}
	checkErr(t, CheckBlockPublicAcls(block, pub), &wantErr{code: awserr.AccessDenied, msg: "Access Denied"})
	checkErr(t, CheckBlockPublicAcls(block, logs), nil)
	checkErr(t, CheckBlockPublicAcls(block, Private(ownerA)), nil)
	checkErr(t, CheckBlockPublicAcls(PublicAccessBlock{IgnorePublicAcls: true}, pub), nil)
}
