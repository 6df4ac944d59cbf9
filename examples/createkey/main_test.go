package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The example must run on a fresh machine: with no API key it uses the
// fake. The plaintext goes only to the owner-readable file.
func TestRunsAgainstFake(t *testing.T) {
	t.Setenv("AI_STATS_API_KEY", "")
	out := filepath.Join(t.TempDir(), "secret")
	if err := run("test key", out); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("secret file mode %o, want 600", perm)
	}
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(b), "aistats_v1_sk_") || len(strings.TrimSpace(string(b))) != 67 {
		t.Errorf("secret file holds %d bytes, want a 67-character key", len(b))
	}
}
