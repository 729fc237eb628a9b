package policy

import "encoding/base64"

// BinaryEquals compares the request value byte for byte with the
// base64-decoded policy value. Request values for binary keys are the raw
// bytes held in a string.

func parseBinary(s string) ([]byte, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	return b, err == nil
}

func matchBinary(pv *condValue, v string) bool {
	return string(pv.bin) == v
}
