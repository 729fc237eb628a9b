package s3api

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/crossbucket/crossbucket/internal/store"
)

// countingStore counts ListObjects calls and the objects they return.
type countingStore struct {
	store.Store
	calls, rows int
}

func (c *countingStore) ListObjects(ctx context.Context, bucket, prefix, after string, limit int) ([]*store.Object, error) {
	objs, err := c.Store.ListObjects(ctx, bucket, prefix, after, limit)
	c.calls++
	c.rows += len(objs)
	return objs, err
}

// putMeta stores object metadata directly (listing tests need no bytes).
func putMeta(t *testing.T, st store.Store, bucket string, keys ...string) {
	t.Helper()
	b, err := st.GetBucket(context.Background(), bucket)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		o := &store.Object{Bucket: bucket, Key: k, ETag: "d41d8cd98f00b204e9800998ecf8427e"}
		o.OwnerAccount = b.AccountID
		if _, err := st.PutObject(context.Background(), o, store.Cond{}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestListSkipsCommonPrefixes(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	mustBucket(t, e.client(a), "many")
	var keys []string
	for i := range 1500 {
		keys = append(keys, fmt.Sprintf("big/%05d", i))
	}
	keys = append(keys, "a", "big0", "z/1", "z/2")
	putMeta(t, e.st, "many", keys...)
	cs := &countingStore{Store: e.st}
	api := New(Config{Store: cs, Blobs: e.blobs})
	rq := &request{r: httpRequest(t), info: anyInfo()}
	l, err := api.list(rq, "many", "", "/", "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range l.objects {
		got = append(got, o.Key)
	}
	if strings.Join(got, ",") != "a,big0" || strings.Join(l.prefixes, ",") != "big/,z/" || l.truncated {
		t.Fatalf("listing: %v %v %v", got, l.prefixes, l.truncated)
	}
	if cs.rows > 40 || cs.calls > 5 {
		t.Errorf("walked %d rows in %d calls to roll up two prefixes", cs.rows, cs.calls)
	}
}

func TestListObjectsV2(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	ctx := context.Background()
	c := e.client(a)
	mustBucket(t, c, "lv2")
	putMeta(t, e.st, "lv2", "a/1", "a/2", "b", "c/1", "c/d/2", "d", "e f", "é")
	// Every page size sees every entry once, in order.
	want := "a/,b,c/,d,e f,é"
	for mk := 1; mk <= 7; mk++ {
		var seen []string
		p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("lv2"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(int32(mk))})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if int(aws.ToInt32(page.KeyCount)) != len(page.Contents)+len(page.CommonPrefixes) || int(aws.ToInt32(page.KeyCount)) > mk {
				t.Fatalf("max-keys %d: KeyCount %d", mk, aws.ToInt32(page.KeyCount))
			}
			for _, cp := range page.CommonPrefixes {
				seen = append(seen, *cp.Prefix)
			}
			for _, o := range page.Contents {
				seen = append(seen, *o.Key)
			}
		}
		if got := strings.Join(sortedCopy(seen), ","); got != want {
			t.Errorf("max-keys %d: %s", mk, got)
		}
	}
	out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lv2"), Prefix: aws.String("c/"), Delimiter: aws.String("/"), FetchOwner: aws.Bool(true)})
	if err != nil || len(out.Contents) != 1 || *out.Contents[0].Key != "c/1" || len(out.CommonPrefixes) != 1 || *out.CommonPrefixes[0].Prefix != "c/d/" ||
		out.Contents[0].Owner == nil || aws.ToString(out.Contents[0].Owner.ID) != a.CanonicalID {
		t.Errorf("prefix c/: %+v %v", out, err)
	}
	out, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lv2"), StartAfter: aws.String("c/d/2")})
	if err != nil || len(out.Contents) != 3 || *out.Contents[0].Key != "d" || out.Contents[0].Owner != nil {
		t.Errorf("start-after: %+v %v", out, err)
	}
	r := e.raw(t, a, "GET", "/lv2?list-type=2&encoding-type=url&prefix=e%20", nil, nil)
	if !strings.Contains(r.body, "<Key>e+f</Key>") || !strings.Contains(r.body, "<Prefix>e+</Prefix>") || !strings.Contains(r.body, "<EncodingType>url</EncodingType>") {
		t.Errorf("encoding-type=url: %s", r.body)
	}
	r = e.raw(t, a, "GET", "/lv2?list-type=2&encoding-type=url&prefix=%C3", nil, nil)
	if r.status != 200 {
		t.Errorf("odd prefix: %d", r.status)
	}
	if r := e.raw(t, a, "GET", "/lv2?list-type=2&max-keys=0", nil, nil); !strings.Contains(r.body, "<KeyCount>0</KeyCount>") || strings.Contains(r.body, "<Contents>") {
		t.Errorf("max-keys=0: %s", r.body)
	}
	for q, want := range map[string]string{
		"max-keys=-1":            "Argument maxKeys must be an integer between 0 and 2147483647",
		"max-keys=x":             "Provided max-keys not an integer or within integer range",
		"continuation-token=%21": "The continuation token provided is incorrect",
		"continuation-token=":    "The continuation token provided is incorrect",
		"encoding-type=zip":      "Invalid Encoding Method specified in Request",
	} {
		if r := e.raw(t, a, "GET", "/lv2?list-type=2&"+q, nil, nil); r.status != 400 || !strings.Contains(r.body, want) {
			t.Errorf("%s: %d %s", q, r.status, r.body)
		}
	}
}

func TestListObjectsV1(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	ctx := context.Background()
	c := e.client(a)
	mustBucket(t, c, "lv1")
	putMeta(t, e.st, "lv1", "a/1", "a/2", "b", "c", "d/1")
	out, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("lv1"), MaxKeys: aws.Int32(2)})
	if err != nil || !aws.ToBool(out.IsTruncated) || out.NextMarker != nil || len(out.Contents) != 2 || out.Contents[0].Owner == nil {
		t.Fatalf("page 1: %+v %v", out, err)
	}
	out, err = c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("lv1"), Marker: aws.String("a/2")})
	if err != nil || aws.ToBool(out.IsTruncated) || len(out.Contents) != 3 || aws.ToString(out.Marker) != "a/2" {
		t.Fatalf("marker: %+v %v", out, err)
	}
	var seen []string
	marker := ""
	for range 10 {
		out, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("lv1"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(1), Marker: aws.String(marker)})
		if err != nil {
			t.Fatal(err)
		}
		for _, cp := range out.CommonPrefixes {
			seen = append(seen, *cp.Prefix)
		}
		for _, o := range out.Contents {
			seen = append(seen, *o.Key)
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		marker = aws.ToString(out.NextMarker)
		if marker == "" {
			t.Fatal("truncated delimiter listing without NextMarker")
		}
	}
	if strings.Join(seen, ",") != "a/,b,c,d/" {
		t.Errorf("v1 delimiter paging: %v", seen)
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j-1] > out[j]; j-- {
			out[j-1], out[j] = out[j], out[j-1]
		}
	}
	return out
}
