package checksum

import (
	"crypto/md5"
	"net/http"
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		alg Algorithm
		in  string
		ok  bool
	}{
		{CRC32, "i9aeUg==", true},
		{CRC32, "i9aeUg", false},       // unpadded
		{CRC32, "i9aeUgA=", false},     // 5 bytes
		{CRC32, "i9ae", false},         // 3 bytes
		{CRC32, "", false},             // empty
		{CRC32, "i9a!Ug==", false},     // not base64
		{CRC32, "i9ae\nUg==", false},   // newline the decoder would skip
		{CRC32, "OOJZ0D8xKts=", false}, // a CRC64 value
		{CRC32C, "crUfeA==", true},
		{CRC64NVME, "OOJZ0D8xKts=", true},
		{CRC64NVME, "AAAAAAAAAAA=", true},
		{CRC64NVME, "!", false},
		{CRC64NVME, "i9aeUg==", false},
		{SHA1, "e1AsOh9IyGCa4hLN+2Od7jlnP14=", true},
		{SHA1, "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=", false},
		{SHA256, "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=", true},
		{SHA256, "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw", false},
		{SHA256, strings.Repeat("A", 1<<20), false},
		{Algorithm("MD5"), "1B2M2Y8AsgTpgAmY7PhCfg==", false},
	}
	for _, tt := range tests {
		b, err := Decode(tt.alg, tt.in)
		if tt.ok {
			if err != nil || len(b) != tt.alg.Size() || Encode(b) != tt.in {
				t.Errorf("Decode(%s, %q) = %x, %v", tt.alg, tt.in, b, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("Decode(%s, %.40q) accepted", tt.alg, tt.in)
			continue
		}
		e := err.(*awserr.Error)
		want := "Value for " + tt.alg.Header() + " header is invalid."
		if e.Code != awserr.InvalidRequest || e.Msg() != want || e.Status() != http.StatusBadRequest {
			t.Errorf("Decode(%s, %.40q) error = %v, want InvalidRequest %q", tt.alg, tt.in, err, want)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		err  *awserr.Error
		code *awserr.Code
		msg  string
	}{
		{InvalidValue(CRC32), awserr.InvalidRequest, "Value for x-amz-checksum-crc32 header is invalid."},
		{InvalidValue(CRC64NVME), awserr.InvalidRequest, "Value for x-amz-checksum-crc64nvme header is invalid."},
		{Mismatch(CRC32), awserr.BadDigest, "The CRC32 you specified did not match the calculated checksum."},
		{Mismatch(CRC32C), awserr.BadDigest, "The CRC32C you specified did not match the calculated checksum."},
		{Mismatch(SHA256), awserr.BadDigest, "The SHA256 you specified did not match the calculated checksum."},
	}
	for _, tt := range tests {
		if tt.err.Code != tt.code || tt.err.Msg() != tt.msg {
			t.Errorf("got %s %q, want %s %q", tt.err.Code.Name, tt.err.Msg(), tt.code.Name, tt.msg)
		}
	}
}

func TestVerify(t *testing.T) {
	sum := []byte{0x8b, 0xd6, 0x9e, 0x52} // CRC32("Hello world")
	tests := []struct {
		want string
		code *awserr.Code // nil: accepted
	}{
		{"i9aeUg==", nil},
		{"i9aeUw==", awserr.BadDigest},
		{"AAAAAA==", awserr.BadDigest},
		{"i9aeUg", awserr.InvalidRequest},
		{"", awserr.InvalidRequest},
	}
	for _, tt := range tests {
		err := Verify(CRC32, tt.want, sum)
		if tt.code == nil && err != nil || tt.code != nil && !awserr.Is(err, tt.code) {
			t.Errorf("Verify(%q) = %v, want %v", tt.want, err, tt.code)
		}
	}
}

func TestVerifyContentMD5(t *testing.T) {
	body := md5.Sum([]byte("Hello world"))
	good := Encode(body[:])
	tests := []struct {
		name   string
		header string
		code   *awserr.Code
		msg    string
	}{
		{"match", good, nil, ""},
		{"mismatch", "1B2M2Y8AsgTpgAmY7PhCfg==", awserr.BadDigest, "The Content-MD5 you specified did not match what we received."},
		{"not base64", "not-an-md5-at-all-here!!", awserr.InvalidDigest, "The Content-MD5 you specified is not valid."},
		{"wrong length", "i9aeUg==", awserr.InvalidDigest, "The Content-MD5 you specified is not valid."},
		{"hex not base64", "3e25960a79dbc69b674cd4ec67a72c62", awserr.InvalidDigest, "The Content-MD5 you specified is not valid."},
		{"empty", "", awserr.InvalidDigest, "The Content-MD5 you specified is not valid."},
	}
	for _, tt := range tests {
		err := VerifyContentMD5(tt.header, body[:])
		if tt.code == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		e, ok := err.(*awserr.Error)
		if !ok || e.Code != tt.code || e.Msg() != tt.msg {
			t.Errorf("%s: got %v, want %s %q", tt.name, err, tt.code.Name, tt.msg)
		}
	}
}
