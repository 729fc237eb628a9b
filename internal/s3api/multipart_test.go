package s3api

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestMultipart(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	ctx := context.Background()
	c := e.tlsClient(a)
	mustBucket(t, c, "mpu")
	bk, key := aws.String("mpu"), aws.String("big/obj")
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bk, Key: key, ContentType: aws.String("video/mp4"),
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	if err != nil {
		t.Fatal(err)
	}
	var parts []types.CompletedPart
	var whole []byte
	var md5s []byte
	for i, n := range []int{5 << 20, 5 << 20, 1234} {
		data := bytes.Repeat([]byte{byte('a' + i)}, n)
		whole = append(whole, data...)
		s := md5.Sum(data)
		md5s = append(md5s, s[:]...)
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bk, Key: key, UploadId: up.UploadId, PartNumber: aws.Int32(int32(i + 1)),
			Body: bytes.NewReader(data), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(i + 1)), ChecksumCRC32: out.ChecksumCRC32})
	}
	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: bk, Key: key, UploadId: up.UploadId, MaxParts: aws.Int32(2)})
	if err != nil || len(lp.Parts) != 2 || !aws.ToBool(lp.IsTruncated) || aws.ToString(lp.NextPartNumberMarker) != "2" || lp.ChecksumAlgorithm != types.ChecksumAlgorithmCrc32 {
		t.Fatalf("list parts: %+v %v", lp, err)
	}
	lp, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: bk, Key: key, UploadId: up.UploadId, PartNumberMarker: aws.String("2")})
	if err != nil || len(lp.Parts) != 1 || aws.ToInt32(lp.Parts[0].PartNumber) != 3 || aws.ToBool(lp.IsTruncated) {
		t.Fatalf("list parts page 2: %+v %v", lp, err)
	}
	lu, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: bk})
	if err != nil || len(lu.Uploads) != 1 || aws.ToString(lu.Uploads[0].UploadId) != aws.ToString(up.UploadId) {
		t.Fatalf("list uploads: %+v %v", lu, err)
	}
	complete := func(ps []types.CompletedPart) error {
		_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bk, Key: key, UploadId: up.UploadId,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: ps}})
		return err
	}
	badETag := parts[1]
	badETag.ETag = aws.String(`"00000000000000000000000000000000"`)
	missing := parts[2]
	missing.PartNumber = aws.Int32(9)
	for name, tc := range map[string]struct {
		ps   []types.CompletedPart
		want string
	}{
		"order":     {[]types.CompletedPart{parts[1], parts[0]}, "InvalidPartOrder"},
		"duplicate": {[]types.CompletedPart{parts[0], parts[0]}, "InvalidPartOrder"},
		"etag":      {[]types.CompletedPart{parts[0], badETag}, "InvalidPart"},
		"missing":   {[]types.CompletedPart{parts[0], missing}, "InvalidPart"},
		"too small": {[]types.CompletedPart{parts[0], parts[2], {PartNumber: aws.Int32(4), ETag: parts[2].ETag}}, "InvalidPart"},
	} {
		if err := complete(tc.ps); code(err) != tc.want {
			t.Errorf("%s: %v, want %s", name, err, tc.want)
		}
	}
	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bk, Key: key, UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
	if err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum(md5s)
	if want := `"` + hex.EncodeToString(sum[:]) + `-3"`; aws.ToString(done.ETag) != want {
		t.Errorf("ETag %s, want %s", aws.ToString(done.ETag), want)
	}
	if !strings.HasSuffix(aws.ToString(done.ChecksumCRC32), "-3") || done.ChecksumType != types.ChecksumTypeComposite {
		t.Errorf("composite checksum %q %q", aws.ToString(done.ChecksumCRC32), done.ChecksumType)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: bk, Key: key, Range: aws.String("bytes=5242870-5242889")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if !bytes.Equal(got, whole[5242870:5242890]) || aws.ToString(out.ContentType) != "video/mp4" {
		t.Errorf("range across parts: %q %q", got, aws.ToString(out.ContentType))
	}
	out, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: bk, Key: key, PartNumber: aws.Int32(3), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(out.Body)
	out.Body.Close()
	if !bytes.Equal(got, whole[10<<20:]) || aws.ToInt32(out.PartsCount) != 3 || aws.ToString(out.ChecksumCRC32) != aws.ToString(parts[2].ChecksumCRC32) {
		t.Errorf("part 3: %d bytes, parts count %d, crc %q", len(got), aws.ToInt32(out.PartsCount), aws.ToString(out.ChecksumCRC32))
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bk, Key: key, PartNumber: aws.Int32(4)}); err == nil || !strings.Contains(err.Error(), "416") {
		t.Errorf("part 4: %v", err)
	}
	if _, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: bk, Key: key, UploadId: up.UploadId}); code(err) != "NoSuchUpload" {
		t.Errorf("parts after completion: %v", err)
	}
	if n := e.blobCount(t); n != 3 {
		t.Errorf("%d blobs for a 3-part object", n)
	}
}

func TestMultipartRules(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	ctx := context.Background()
	c := e.client(a)
	mustBucket(t, c, "mpr")
	bk := aws.String("mpr")
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bk, Key: aws.String("small")})
	if err != nil {
		t.Fatal(err)
	}
	var small []types.CompletedPart
	for i := range 2 {
		o, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bk, Key: aws.String("small"), UploadId: up.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: strings.NewReader("tiny")})
		if err != nil {
			t.Fatal(err)
		}
		small = append(small, types.CompletedPart{ETag: o.ETag, PartNumber: aws.Int32(int32(i + 1))})
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bk, Key: aws.String("small"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: small}}); code(err) != "EntityTooSmall" {
		t.Errorf("small parts: %v", err)
	}
	// One small part is fine (the last part may be small); full-object CRC64NVME by default.
	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bk, Key: aws.String("small"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: small[:1]}})
	if err != nil || !strings.HasSuffix(aws.ToString(done.ETag), `-1"`) {
		t.Fatalf("single part: %+v %v", done, err)
	}
	if got := mustGet(t, c, "mpr", "small"); got != "tiny" {
		t.Errorf("content %q", got)
	}
	if r := e.raw(t, a, "GET", "/mpr/small", nil, map[string]string{"x-amz-checksum-mode": "ENABLED"}); r.header.Get("x-amz-checksum-crc64nvme") == "" ||
		r.header.Get("x-amz-checksum-type") != "FULL_OBJECT" {
		t.Errorf("default full-object checksum: %v", r.header)
	}
	// Abort.
	up2, _ := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bk, Key: aws.String("gone")})
	if _, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bk, Key: aws.String("gone"), UploadId: up2.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: bk, Key: aws.String("gone"), UploadId: up2.UploadId}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: bk, Key: aws.String("gone"), UploadId: up2.UploadId}); code(err) != "NoSuchUpload" {
		t.Errorf("after abort: %v", err)
	}
	if _, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bk, Key: aws.String("gone"), UploadId: aws.String("nope"), PartNumber: aws.Int32(1), Body: strings.NewReader("x")}); code(err) != "NoSuchUpload" {
		t.Errorf("unknown upload: %v", err)
	}
	for _, q := range []string{"partNumber=0", "partNumber=10001", "partNumber=x"} {
		if r := e.raw(t, a, "PUT", "/mpr/k?uploadId=x&"+q, []byte("x"), nil); r.status != 400 || !strings.Contains(r.body, "Part number must be an integer between 1 and 10000") {
			t.Errorf("%s: %d %s", q, r.status, r.body)
		}
	}
	for name, hdr := range map[string]map[string]string{
		"sha with full object": {"x-amz-checksum-algorithm": "SHA256", "x-amz-checksum-type": "FULL_OBJECT"},
		"type alone":           {"x-amz-checksum-type": "COMPOSITE"},
		"crc64 composite":      {"x-amz-checksum-algorithm": "CRC64NVME", "x-amz-checksum-type": "COMPOSITE"},
	} {
		if r := e.raw(t, a, "POST", "/mpr/k?uploads", nil, hdr); r.status != 400 || !strings.Contains(r.body, "InvalidRequest") {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	// Conditional completion.
	up3, _ := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bk, Key: aws.String("small")})
	p, _ := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bk, Key: aws.String("small"), UploadId: up3.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("x")})
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bk, Key: aws.String("small"), UploadId: up3.UploadId,
		IfNoneMatch: aws.String("*"), MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{ETag: p.ETag, PartNumber: aws.Int32(1)}}}}); code(err) != "PreconditionFailed" {
		t.Errorf("If-None-Match completion over an existing key: %v", err)
	}
}

func TestUploadPartCopyAndListUploads(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	ctx := context.Background()
	c := e.client(a)
	mustBucket(t, c, "upc")
	bk := aws.String("upc")
	mustPut(t, c, "upc", "src", "0123456789")
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bk, Key: aws.String("dst")})
	if err != nil {
		t.Fatal(err)
	}
	pc, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: bk, Key: aws.String("dst"), UploadId: up.UploadId, PartNumber: aws.Int32(1),
		CopySource: aws.String("upc/src"), CopySourceRange: aws.String("bytes=2-5")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: bk, Key: aws.String("dst"), UploadId: up.UploadId, PartNumber: aws.Int32(2),
		CopySource: aws.String("upc/src"), CopySourceRange: aws.String("bytes=5-50")}); code(err) != "InvalidArgument" {
		t.Errorf("range past the end: %v", err)
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bk, Key: aws.String("dst"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{ETag: pc.CopyPartResult.ETag, PartNumber: aws.Int32(1)}}}}); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, c, "upc", "dst"); got != "2345" {
		t.Errorf("copied part %q", got)
	}
	// ListMultipartUploads: delimiter, paging.
	for _, k := range []string{"a/1", "a/2", "b", "c/1", "d"} {
		for range 2 {
			if _, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bk, Key: aws.String(k)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var seen []string
	p := s3.NewListMultipartUploadsPaginator(c, &s3.ListMultipartUploadsInput{Bucket: bk, Delimiter: aws.String("/"), MaxUploads: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, cp := range page.CommonPrefixes {
			seen = append(seen, *cp.Prefix)
		}
		for _, u := range page.Uploads {
			seen = append(seen, *u.Key)
		}
	}
	if got := strings.Join(sortedCopy(seen), ","); got != "a/,b,b,c/,d,d" {
		t.Errorf("uploads: %s", got)
	}
}
