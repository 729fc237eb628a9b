package e2e

import (
	"io"
	"net/http"
	"os"
	"testing"
)

type httpResult struct {
	status int
	body   string
	header http.Header
}

// httpGet fetches url with a plain client (no signing).
func httpGet(t *testing.T, url string) httpResult {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return httpResult{status: resp.StatusCode, body: string(b), header: resp.Header}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
