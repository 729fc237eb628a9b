package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExamples runs every seed scenario in examples/ against its own server
// (each script starts one): the scenarios are the end-to-end tests of the
// cross-account patterns, driven by the real aws CLI.
func TestExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example scripts; run without -short")
	}
	bin := filepath.Join(t.TempDir(), "crossbucket")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/crossbucket").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	scripts, err := filepath.Glob("../examples/[0-9]*.sh")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no example scripts: %v", err)
	}
	for _, script := range scripts {
		t.Run(strings.TrimSuffix(filepath.Base(script), ".sh"), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", script)
			cmd.Env = append(os.Environ(), "CROSSBUCKET="+bin)
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "Scenario passed.") {
				t.Fatalf("%s: %v\n%s", script, err, out)
			}
		})
	}
}
